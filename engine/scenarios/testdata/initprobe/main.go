// Command initprobe only loads package scenarios, for TestInitAllocatesLittle
// (run with GODEBUG=inittrace=1; the test binary's own init includes the
// tests' tables).
package main

import _ "github.com/connlab/connlab/engine/scenarios"

func main() {}
