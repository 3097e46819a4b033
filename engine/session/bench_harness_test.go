package session

import (
	"fmt"
	"runtime"
	"time"
)

// engineHelloPipelined times n pipelined GETs through the engine (the
// measurement beside the net/http peer in TestBenchCompare). Tests may read
// the wall clock; engine code never does.
func engineHelloPipelined(requests, pipeline int, withTrace bool) (seconds, allocsPerReq float64, err error) {
	b := NewHelloBench(pipeline, withTrace)
	// warm up buffers so steady state is measured
	if _, err := b.Run(pipeline * 4); err != nil {
		return 0, 0, err
	}
	before := b.Requests()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	if _, err := b.Run(requests); err != nil {
		return 0, 0, err
	}
	seconds = time.Since(start).Seconds()
	runtime.ReadMemStats(&m1)
	if got := b.Requests() - before; got != requests {
		return 0, 0, fmt.Errorf("served %d of %d requests", got, requests)
	}
	return seconds, float64(m1.Mallocs-m0.Mallocs) / float64(requests), nil
}
