package b64

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// pairs are each Encoding with the encoding/base64 one it stands for.
var pairs = []struct {
	name string
	ours Encoding
	std  *base64.Encoding
}{
	{"Std", Std, base64.StdEncoding},
	{"StdStrict", StdStrict, base64.StdEncoding.Strict()},
	{"RawURL", RawURL, base64.RawURLEncoding},
}

// check: s decodes to the same bytes with the same error, and bytes
// encode to the same text, as with encoding/base64.
func check(t *testing.T, s string) {
	t.Helper()
	for _, p := range pairs {
		got, err := p.ours.DecodeString(s)
		want, werr := p.std.DecodeString(s)
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() || !bytes.Equal(got, want) {
			t.Fatalf("%s.DecodeString(%q) = %q, %v; encoding/base64: %q, %v", p.name, s, got, err, want, werr)
		}
		if got, want := p.ours.EncodeToString([]byte(s)), p.std.EncodeToString([]byte(s)); got != want {
			t.Fatalf("%s.EncodeToString(%q) = %q; encoding/base64: %q", p.name, s, got, want)
		}
	}
}

var seeds = []string{
	"", "=", "==", "A", "AA", "AA=", "AA==", "AAA", "AAA=", "AAAA", "Zg", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	"Zh==", "Zm9=", "Zm9v\n", "\r\nZm\n9v\r", "Zg=\n=", "Zg==x", "Zg==\nx", "Zg==\n", "Z===", "Zm9v=",
	"-_-_", "+/+/", "a+b/", "a-b_", "AAAAAAAA", "AAAAAAAAAAA", "AAAAAAA=", "YWJjZGVmZ2hpamts", "YWJj ZGVm",
	"\x00", "\xff\xfe", "hello, world", "\n", "====", "A=A=",
}

func TestAgainstEncodingBase64(t *testing.T) {
	for _, s := range seeds {
		check(t, s)
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for n := 0; n <= len(all); n++ { // every length, every byte value
		check(t, string(all[:n]))
		for _, p := range pairs {
			check(t, p.std.EncodeToString(all[:n]))
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { check(t, s) })
}
