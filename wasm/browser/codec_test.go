//go:build !js

package browser

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/connlab/connlab/wasm/ui"
)

// TestBrowserLinkCodec: the page compresses links with the browser's own
// CompressionStream('deflate-raw') (connlab.deflateRaw) and reads them
// with DecompressionStream (connlab.inflateRaw): what the page compresses
// compress/flate decompresses, what compress/flate compresses the page
// decompresses, and the page stops at the limit.
func TestBrowserLinkCodec(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")

	// run(fn, data, limit) in the page: base64 in, base64 out (or
	// "error: …" / "too large")
	const helper = `(fn, b64, limit) => new Promise((resolve) => {
		const bin = atob(b64), bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		window.connlab[fn](bytes, limit, (out, msg, tooLarge) => {
			if (tooLarge) return resolve("too large");
			if (!out) return resolve("error: " + msg);
			let s = ""; for (let i = 0; i < out.length; i++) s += String.fromCharCode(out[i]);
			resolve(btoa(s));
		});
	})`
	run := func(fn string, data []byte, limit int) string {
		t.Helper()
		var out string
		b.eval(`(`+helper+`)(`+jsonString(fn)+`, `+jsonString(base64.StdEncoding.EncodeToString(data))+`, `+itoa(limit)+`)`, &out)
		return out
	}
	decode := func(s string) []byte {
		t.Helper()
		p, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return p
	}

	inputs := [][]byte{
		{},
		[]byte(`{"session":{"version":1,"mode":"server","handler":"echo","input":[{"send":"GET / HTTP/1.1\r\nHost: x\r\n\r\n"}]},"cursor":3}`),
		[]byte(strings.Repeat("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab\u2028é", 400)),
	}
	for i := 0; i < 256; i++ {
		inputs[0] = append(inputs[0], byte(i*7))
	}
	for _, p := range inputs {
		// the page compresses, compress/flate decompresses
		z := decode(run("deflateRaw", p, 0))
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
		if err != nil || !bytes.Equal(got, p) {
			t.Errorf("%.30q: compress/flate reads the page's stream as %.30q, %v", p, got, err)
		}
		// compress/flate compresses (as native links are), the page decompresses
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		w.Write(p)
		w.Close()
		if got := decode(run("inflateRaw", buf.Bytes(), ui.MaxInflated)); !bytes.Equal(got, p) {
			t.Errorf("%.30q: the page reads compress/flate's stream as %.30q", p, got)
		}
		// and the page reads its own
		if got := decode(run("inflateRaw", z, ui.MaxInflated)); !bytes.Equal(got, p) {
			t.Errorf("%.30q: the page reads its own stream as %.30q", p, got)
		}
	}
	// a stream beyond the limit stops there; data that is not DEFLATE fails
	big := bytes.Repeat([]byte("a"), ui.MaxInflated+1)
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(big)
	w.Close()
	if got := run("inflateRaw", buf.Bytes(), ui.MaxInflated); got != "too large" {
		t.Errorf("a %d-byte stream with the limit %d: %.40q", len(big), ui.MaxInflated, got)
	}
	if got := run("inflateRaw", []byte("not deflate at all"), ui.MaxInflated); !strings.HasPrefix(got, "error: ") {
		t.Errorf("not DEFLATE: %.40q", got)
	}
	// a browser without the streams: an error, never before the call
	// returns (the Go side may be rendering when it asks)
	var noStreams string
	b.eval(`new Promise((resolve) => {
		const saved = window.CompressionStream;
		window.CompressionStream = undefined;
		let returned = false;
		window.connlab.deflateRaw(new Uint8Array(1), 0, (out, msg) => resolve((returned ? "later: " : "at once: ") + msg));
		returned = true;
		window.CompressionStream = saved;
	})`, &noStreams)
	if !strings.HasPrefix(noStreams, "later: this browser cannot compress links") {
		t.Errorf("without CompressionStream: %q", noStreams)
	}
	b.noProblems()
}

func itoa(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
