package ui

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"testing"
)

func inflate(t testing.TB, z []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatalf("compress/flate cannot read our stream: %v", err)
	}
	return out
}

func TestDeflateRoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, p := range [][]byte{
		nil,
		[]byte("a"),
		[]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		all,
		bytes.Repeat(all, 300), // beyond the 32 KB window
		[]byte(strings.Repeat(`{"send":"GET / HTTP/1.1\r\nHost: x\r\n\r\n"},`, 500)),
	} {
		z := deflate(p)
		if got := inflate(t, z); !bytes.Equal(got, p) {
			t.Fatalf("round trip of %d bytes gave %d bytes", len(p), len(got))
		}
	}
	// it compresses what links hold
	j := []byte(strings.Repeat(`{"send":"GET / HTTP/1.1\r\nHost: x\r\n\r\n"},`, 50))
	if z := deflate(j); len(z) > len(j)/8 {
		t.Errorf("%d bytes of repetitive JSON compress to %d", len(j), len(z))
	}
}

func FuzzDeflate(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n"))
	f.Add(bytes.Repeat([]byte{0, 1, 2}, 200))
	f.Fuzz(func(t *testing.T, p []byte) {
		if got := inflate(t, deflate(p)); !bytes.Equal(got, p) {
			t.Fatalf("round trip of %q gave %q", p, got)
		}
	})
}
