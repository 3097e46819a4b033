package session

import (
	"encoding/base64"
	"testing"

	"github.com/connlab/connlab/engine/services"
)

// FuzzSession feeds arbitrary bytes (in two sends, with a shutdown) to a
// server with each kind of handler: no panic, no hang (the step budget
// holds), and bounded buffers.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
		"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
		"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nraw",
	} {
		f.Add([]byte(seed), uint8(0), uint8(3))
	}
	handlers := services.Handlers()
	f.Fuzz(func(t *testing.T, data []byte, handler, split uint8) {
		h := handlers[int(handler)%len(handlers)]
		cut := 0
		if len(data) > 0 {
			cut = int(split) % (len(data) + 1)
		}
		a := base64.StdEncoding.EncodeToString(data[:cut])
		b := base64.StdEncoding.EncodeToString(data[cut:])
		js := `{"version":1,"handler":"` + h.Name + `","step_budget":20000,"transport":{"read_chunk":` + itoa(int(split%9)) + `},"input":[{"send_b64":"` + a + `"},{"send_b64":"` + b + `"},{"shutdown":"write"}]}`
		file, err := ParseBytes([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		s := New(file, Options{})
		if err := s.Run(); err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		if n := s.Server.Dispatcher().View().ReadBuf; n > 1<<20 {
			t.Fatalf("read buffer grew to %d bytes", n)
		}
		_ = s.Transcript(false)
	})
}
