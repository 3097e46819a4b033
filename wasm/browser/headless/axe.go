//go:build !js

package headless

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// AxeViolation is one rule axe-core found broken on a page.
type AxeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  int      `json:"nodes"`
	Where  []string `json:"where"` // the first few nodes: selector and axe's summary
}

// Serious reports whether the violation is serious or critical (the ones
// the browser tests do not allow).
func (v AxeViolation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

func (v AxeViolation) String() string {
	return fmt.Sprintf("%s (%s, %d nodes): %s\n\t%s", v.ID, v.Impact, v.Nodes, v.Help, strings.Join(v.Where, "\n\t"))
}

// axeSource is axe-core's axe.min.js from site/node_modules (pinned in
// site/package.json), found from the test's folder upwards.
func axeSource(t testing.TB) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "site", "node_modules", "axe-core", "axe.min.js")
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			t.Fatalf("%s is missing: run npm ci --prefix site (axe-core is pinned in site/package.json)", p)
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("site/node_modules/axe-core/axe.min.js not found above the test's folder: run npm ci --prefix site")
		}
		dir = up
	}
}

// axeRunJS runs axe on the page's document (not its iframes: an embed is
// checked on its own page) with the WCAG 2 A and AA rules, and returns the
// violations in short.
const axeRunJS = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, iframes: false, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.length,
    where: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 240))})))`

// Axe injects axe-core into the page in ctx (through DevTools, so the
// page's CSP does not apply) and returns its WCAG 2 A/AA violations.
func Axe(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	src := axeSource(t)
	var out []AxeViolation
	await := func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(src+"\n;0", new(int)),
		chromedp.Evaluate(axeRunJS, &out, await),
	); err != nil {
		t.Fatalf("axe: %v", err)
	}
	return out
}

// AxeCheck runs axe on the page in ctx, logs the counts by impact under
// name, and fails t for each serious or critical violation.
func AxeCheck(t testing.TB, ctx context.Context, name string) (serious, all int) {
	t.Helper()
	vs := Axe(t, ctx)
	counts := map[string]int{}
	for _, v := range vs {
		counts[v.Impact]++
		if v.Serious() {
			serious++
			t.Errorf("axe on %s: %s", name, v)
		}
	}
	t.Logf("axe on %s: %d violations (critical %d, serious %d, moderate %d, minor %d)", name, len(vs), counts["critical"], counts["serious"], counts["moderate"], counts["minor"])
	return serious, len(vs)
}
