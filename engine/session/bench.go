package session

import (
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/trace"
)

// benchRequest is the tiny GET the benchmarks pipeline.
const benchRequest = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

// HelloBench serves pipelined GETs to `hello` over one duplex: the harness
// of `connlab bench` and `make bench`. It does no timing itself (engine/
// never reads the clock); callers time Run.
type HelloBench struct {
	ex       *poll.Executor
	dx       *duplex.Duplex
	srv      *h1.ServerConn
	batch    []byte
	out      []byte
	Pipeline int
	Rec      *trace.Recorder
}

// NewHelloBench prepares a connection; trace records every event.
func NewHelloBench(pipeline int, withTrace bool) *HelloBench {
	if pipeline <= 0 {
		pipeline = 1
	}
	var rec *trace.Recorder
	if withTrace {
		rec = trace.New()
	}
	ex := poll.NewExecutor(EpochMillis, rec)
	dx := duplex.New(ex, duplex.Config{Capacity: 1 << 20}, rec)
	h, _ := services.LookupHandler("hello")
	srv := h1.NewServerConn(ex, dx.Server, h.New(&services.Env{Ex: ex, Rec: rec}), h1.DefaultOptions())
	ex.Spawn("server connection", srv)
	b := &HelloBench{ex: ex, dx: dx, srv: srv, Pipeline: pipeline, Rec: rec}
	for i := 0; i < pipeline; i++ {
		b.batch = append(b.batch, benchRequest...)
	}
	b.out = make([]byte, 0, 1<<16)
	return b
}

// Run sends n requests, Pipeline at a time, and returns the bytes of
// responses read (the caller checks the count).
func (b *HelloBench) Run(n int) (responseBytes int, err error) {
	for sent := 0; sent < n; {
		k := min(b.Pipeline, n-sent)
		req := b.batch[:k*len(benchRequest)]
		for len(req) > 0 {
			w := b.dx.Client.Write(req)
			req = req[w:]
			if _, err := b.ex.RunUntilIdle(0); err != nil {
				return responseBytes, err
			}
		}
		sent += k
		b.out = b.dx.Client.ReadAll(b.out[:0])
		responseBytes += len(b.out)
		if b.Rec != nil && b.Rec.Len() > 1<<20 {
			// keep memory bounded on long traced runs
			b.Rec.Reset()
		}
	}
	if e := b.srv.Err(); e != nil {
		return responseBytes, e
	}
	return responseBytes, nil
}

// Requests is the number of requests the server has seen.
func (b *HelloBench) Requests() int { return b.srv.RequestsSeen() }
