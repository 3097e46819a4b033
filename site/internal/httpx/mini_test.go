package httpx

import (
	"io"
	"net/http"
	"net/textproto"
	"reflect"
	"testing"
)

// TestCanonicalKey holds CanonicalKey to textproto's.
func TestCanonicalKey(t *testing.T) {
	for _, k := range []string{"", "a", "A", "content-type", "Content-Type", "CONTENT-TYPE", "cf-connecting-ip",
		"x-a-b", "-x", "x-", "a--b", "ünïcode", "with space", "with:colon", "a_b", "1abc", "host", "HOST",
		"accept-encoding", "Sec-WebSocket-Key", "sec-websocket-key", "x.y", "~tilde", "a\tb", "é-x"} {
		if got, want := CanonicalKey(k), textproto.CanonicalMIMEHeaderKey(k); got != want {
			t.Errorf("CanonicalKey(%q) = %q, textproto says %q", k, got, want)
		}
	}
}

// TestMiniHeader: the same calls on a MiniHeader and on net/http's Header
// leave the same map and answer the same.
func TestMiniHeader(t *testing.T) {
	m, h := MiniHeader{}, http.Header{}
	for _, op := range [][3]string{
		{"add", "x-a", "1"}, {"add", "X-A", "2"}, {"set", "content-type", "text/plain"},
		{"set", "Content-Type", "application/json"}, {"add", "with space", "v"}, {"del", "x-a"},
		{"add", "x-b", "3"}, {"del", "nope"}, {"set", "etag", "e"}, {"del", "ETAG"},
	} {
		switch op[0] {
		case "add":
			m.Add(op[1], op[2])
			h.Add(op[1], op[2])
		case "set":
			m.Set(op[1], op[2])
			h.Set(op[1], op[2])
		case "del":
			m.Del(op[1])
			h.Del(op[1])
		}
		for _, k := range []string{"x-a", "X-B", "content-type", "with space", "etag", "absent"} {
			if m.Get(k) != h.Get(k) || !reflect.DeepEqual(m.Values(k), h.Values(k)) {
				t.Errorf("after %v: %q is %q %q, net/http %q %q", op, k, m.Get(k), m.Values(k), h.Get(k), h.Values(k))
			}
		}
	}
	if !reflect.DeepEqual(map[string][]string(m), map[string][]string(h)) {
		t.Errorf("MiniHeader %v, net/http %v", m, h)
	}
}

func TestMiniStatusText(t *testing.T) {
	for _, code := range []int{StatusOK, StatusNoContent, StatusBadRequest, StatusNotFound, StatusMethodNotAllowed,
		StatusRequestEntityTooLarge, StatusUnprocessableEntity, StatusInternalServerError, StatusServiceUnavailable} {
		if got, want := miniStatusText(code), http.StatusText(code); got != want || want == "" {
			t.Errorf("%d: %q, net/http %q", code, got, want)
		}
	}
	if miniStatusText(599) != http.StatusText(599) {
		t.Error("an unknown code")
	}
}

func TestMiniNoBody(t *testing.T) {
	b, err := io.ReadAll(miniNoBody{})
	if len(b) != 0 || err != nil || (miniNoBody{}).Close() != nil {
		t.Errorf("%q %v", b, err)
	}
}

// TestConstants: httpx's methods and statuses are net/http's.
func TestConstants(t *testing.T) {
	for got, want := range map[any]any{MethodGet: http.MethodGet, MethodHead: http.MethodHead, MethodPost: http.MethodPost,
		MethodOptions: http.MethodOptions} {
		if got != want {
			t.Errorf("%v != %v", got, want)
		}
	}
	for _, p := range [][2]int{{StatusOK, http.StatusOK}, {StatusNoContent, http.StatusNoContent}, {StatusBadRequest, http.StatusBadRequest},
		{StatusNotFound, http.StatusNotFound}, {StatusMethodNotAllowed, http.StatusMethodNotAllowed},
		{StatusRequestEntityTooLarge, http.StatusRequestEntityTooLarge}, {StatusUnprocessableEntity, http.StatusUnprocessableEntity},
		{StatusInternalServerError, http.StatusInternalServerError}, {StatusServiceUnavailable, http.StatusServiceUnavailable}} {
		if p[0] != p[1] {
			t.Errorf("%d != %d", p[0], p[1])
		}
	}
}
