package session

import "testing"

func benchHello(b *testing.B, withTrace bool) {
	hb := NewHelloBench(16, withTrace)
	if _, err := hb.Run(64); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := hb.Run(b.N); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHelloPipelined16 is one request per op, 16 pipelined at a time.
func BenchmarkHelloPipelined16(b *testing.B)      { benchHello(b, false) }
func BenchmarkHelloPipelined16Trace(b *testing.B) { benchHello(b, true) }
