package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

func bigModel(b testing.TB) *Model { return pipelinedModel(b, 400) }

// pipelinedModel is a page with a session of so many pipelined requests
// to hello (400: about 10 000 events; 30 100: about a million), at its
// middle event.
func pipelinedModel(b testing.TB, requests int) *Model {
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", requests)
	j, _ := json.Marshal(req)
	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send":` + string(j) + `}]}`))
	if err != nil {
		b.Fatal(err)
	}
	m := New()
	tl, err := timeline.New(f)
	if err != nil {
		b.Fatal(err)
	}
	m.setTimeline(tl, "")
	tl.JumpTo(tl.Len() / 2)
	m.Render()
	return m
}

// BenchmarkStepRender is a step and its re-render on a 10 000-event
// timeline (the browser budget's Go side).
func BenchmarkStepRender(b *testing.B) {
	m := bigModel(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Update(Step{Default: true, Back: i%100 >= 50})
		m.Render()
	}
}

// BenchmarkStepRender1M is BenchmarkStepRender with a million events:
// a step costs what it costs with 10 000 (it read every wire span before
// the event, and every segment of the streams before the wire panels'
// window: 7 ms of the browser's 16 at a million events).
func BenchmarkStepRender1M(b *testing.B) {
	m := pipelinedModel(b, 30100)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Update(Step{Default: true, Back: i%100 >= 50})
		m.Render()
	}
}

func BenchmarkJumpRender(b *testing.B) {
	m := bigModel(b)
	n := m.TL.Len()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Update(JumpTo{Event: (i * 7919) % n})
		m.Render()
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m := New()
		m.Render()
	}
}
