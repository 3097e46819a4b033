package ui

import (
	"runtime"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// TestInputsViewCopiesNoSend: the input log shows a send's length and
// first 48 bytes without copying the whole send (a long run's one send is
// 800 KB, and the log is rendered again after every slice of the run).
func TestInputsViewCopiesNoSend(t *testing.T) {
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 40000) // 1 MB
	f := &session.File{Version: 1, Mode: "server", Handler: "hello", Input: []session.Input{{Send: &req}}}
	tl, err := timeline.New(f)
	if err != nil {
		t.Fatal(err)
	}
	m := New()
	m.setTimeline(tl, "")
	html := m.inputsHTML()
	if !strings.Contains(html, "send "+itoa(len(req))+" B: GET / HTTP/1.1") || !strings.Contains(html, "…") {
		t.Errorf("the input log shows %.300q", html)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 10 {
		html = m.inputsHTML()
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 16<<10 {
		t.Errorf("the input log allocates %d B a render for a %d B send", per, len(req))
	}
}
