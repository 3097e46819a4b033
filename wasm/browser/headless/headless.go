//go:build !js

// Package headless starts Debian's Chromium for connlab's browser tests
// (the sandbox's and the docs'): headless, with the flags this machine
// needs (no background networking: outside connections are refused here),
// and a fresh profile that is removed, with retries, when the test ends.
package headless

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian installs Chromium.
const ChromiumPath = "/usr/bin/chromium"

// Start launches Chromium with a width×height window and returns a
// chromedp context for it. Chromium is closed, then its profile removed,
// when t ends.
func Start(t testing.TB, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "connlab-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeWithRetries(profile) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancel := chromedp.NewContext(actx)
	// cleanups run last-registered first: Chromium closes before its
	// profile is removed
	t.Cleanup(func() { cancel(); acancel() })
	return ctx
}

// removeWithRetries deletes dir; Chromium keeps writing to its profile for
// a moment after it exits.
func removeWithRetries(dir string) {
	for i := 0; i < 30; i++ {
		if err := os.RemoveAll(dir); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
