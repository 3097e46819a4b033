package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/connlab/connlab/engine/session"
)

// cmdBench times pipelined GETs to `hello` on one goroutine. The CLI is the
// engine's outside world, so it may read the wall clock; engine/ never does.
func cmdBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	requests := fs.Int("requests", 100000, "number of requests")
	pipeline := fs.Int("pipeline", 16, "requests sent at a time")
	withTrace := fs.Bool("trace", false, "record the trace while serving")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *requests <= 0 || *pipeline <= 0 {
		fmt.Fprintln(stderr, "connlab bench: --requests and --pipeline must be positive")
		return 2
	}
	b := session.NewHelloBench(*pipeline, *withTrace)
	start := time.Now()
	_, err := b.Run(*requests)
	secs := time.Since(start).Seconds()
	if err != nil {
		fmt.Fprintf(stderr, "connlab bench: %v\n", err)
		return 1
	}
	if b.Requests() != *requests {
		fmt.Fprintf(stderr, "connlab bench: served %d of %d requests\n", b.Requests(), *requests)
		return 1
	}
	out := struct {
		Requests int     `json:"requests"`
		Seconds  float64 `json:"seconds"`
		ReqPerS  float64 `json:"req_per_s"`
	}{*requests, secs, float64(*requests) / secs}
	json.NewEncoder(stdout).Encode(out)
	return 0
}
