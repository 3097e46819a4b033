package h1

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
)

// The date line that ends a response head is cached whole with the date
// (one copy per response): when the virtual second changes, both change,
// and title-cased heads still spell the name in title case.
func TestDateLineFollowsTheClock(t *testing.T) {
	for _, title := range []bool{false, true} {
		svc := svcFunc(func(req *Request) ServiceFuture { return respond(200, body.NewFull([]byte("x"))) })
		opts := DefaultOptions()
		opts.TitleCaseHeaders = title
		h := newHarness(t, svc, opts)
		name := "date: "
		if title {
			name = "Date: "
		}
		h.send(get)
		h.ex.Clock().Advance(86_400_000 + 2_000) // a day and two seconds
		h.send(get)
		out := string(h.out)
		first := name + string(appendDate(nil, 0)) + "\r\n\r\nx"
		second := name + string(appendDate(nil, 86_400_000+2_000)) + "\r\n\r\nx"
		if strings.Count(out, "HTTP/1.1 200 OK") != 2 || !strings.Contains(out, first) || !strings.Contains(out, second) {
			t.Fatalf("title case %v: output %q: want %q, then %q", title, out, first, second)
		}
	}
}
