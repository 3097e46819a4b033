package session

import "testing"

// SendLen is len(Bytes()) for every kind of input, base64 with and without
// padding included.
func TestSendLenIsLenOfBytes(t *testing.T) {
	str := func(s string) *string { return &s }
	ms := int64(5)
	for _, in := range []Input{
		{Send: str("")},
		{Send: str("GET / HTTP/1.1\r\n\r\n")},
		{SendB64: str("")},
		{SendB64: str("YQ==")},     // a
		{SendB64: str("YWI=")},     // ab
		{SendB64: str("YWJj")},     // abc
		{SendB64: str("YWJjZA==")}, // abcd
		{WaitMS: &ms},
		{Shutdown: str("write")},
	} {
		if err := in.validate("input"); err != nil {
			t.Fatal(err)
		}
		if got, want := in.SendLen(), len(in.Bytes()); got != want {
			t.Errorf("%+v: SendLen %d, len(Bytes) %d", in, got, want)
		}
	}
}
