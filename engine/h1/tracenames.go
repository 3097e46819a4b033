package h1

import "github.com/connlab/connlab/engine/trace"

// What a traced connection records on every message is registered once,
// as the package initializes (engine/trace's registry.go): recording it
// then stores a number, not strings looked up each time. The events read
// back exactly as if the strings had been recorded.

// The typed fields of the state (StateField): a transition reads back with
// the field's name and its values' names.
var (
	_ = trace.RegisterField(uint8(FieldReading), "reading", func(v uint8) string { return ReadingKind(v).String() })
	_ = trace.RegisterField(uint8(FieldWriting), "writing", func(v uint8) string { return WritingKind(v).String() })
	_ = trace.RegisterField(uint8(FieldKeepAlive), "keep_alive", func(v uint8) string { return KA(v).String() })
	_ = trace.RegisterField(uint8(FieldNotifyRead), "notify_read", flagName)
	_ = trace.RegisterField(uint8(FieldIsClosing), "is_closing", flagName)
)

// flagName names a flag's value as boolNames do.
func flagName(v uint8) string { return enumName(boolNames[:], v, "bool") }

// hyper's messages of the shape "prefix, a number, suffix" (trace.NoteNum).
var (
	numEncodingChunked       = trace.RegisterNum("encoding chunked ", "B", refEncode)
	numSizedWrite            = trace.RegisterNum("sized write, len = ", "", refEncode)
	numCloseDelimitedWrite   = trace.RegisterNum("close delimited write ", "B", refEncode)
	numChunkSize             = trace.RegisterNum("Chunk size is ", "", refChunked)
	numChunkedRead           = trace.RegisterNum("Chunked read, remaining=", "", refChunked)
	numReceived              = trace.RegisterNum("received ", " bytes", refReadFromIO)
	numParsedHeaders         = trace.RegisterNum("parsed ", " headers", refParseHeaders)
	numMaxBufSize            = trace.RegisterNum("max_buf_size (", ") reached, closing", refParseHeaders)
	numPartialHeaders        = trace.RegisterNum("partial headers; ", " bytes so far", refParseHeaders)
	numRequestParseBytes     = trace.RegisterNum("Request.parse bytes=", "", refServerParse)
	numResponseParseBytes    = trace.RegisterNum("Response.parse bytes=", "", refClientParse)
	numFlushed               = trace.RegisterNum("flushed ", " bytes", refIOFlush)
	numWriteZero             = trace.RegisterNum("write returned zero, but ", " bytes remaining", refIOFlush)
	numRequestParseComplete  = trace.RegisterNum("Request.parse Complete(", ")", refServerParse)
	numResponseParseComplete = trace.RegisterNum("Response.parse Complete(", ")", refClientParse)
	numIgnoringInformational = trace.RegisterNum("ignoring informational response: ", "", refClientDecoder)
)

// The refs of the state's transitions (trace.TypedTransition).
var (
	trBusy         = trace.RegisterRef(refBusy)
	trClose        = trace.RegisterRef(refClose)
	trCloseRead    = trace.RegisterRef(refCloseRead)
	trCloseWrite   = trace.RegisterRef(refCloseWrite)
	trDrainOrClose = trace.RegisterRef(refDrainOrClose)
	trEndBody      = trace.RegisterRef(refEndBody)
	trIdle         = trace.RegisterRef(refIdle)
	trKAAnd        = trace.RegisterRef(refKAAnd)
	trMaybeNotify  = trace.RegisterRef(refMaybeNotify)
	trPollRead     = trace.RegisterRef(refPollRead)
	trPollReadBody = trace.RegisterRef(refPollReadBody)
	trPollReadHead = trace.RegisterRef(refPollReadHead)
	trWriteBody    = trace.RegisterRef(refWriteBody)
	trWriteBodyEnd = trace.RegisterRef(refWriteBodyEnd)
	trWriteHead    = trace.RegisterRef(refWriteHead)
)

// Events recorded with their strings registered (trace.RecordAt).
var (
	evInFlightSet  = trace.RegisterEvent(trace.KindQueue, "in_flight set", "in_flight", refServerDispatch)
	evInFlightDone = trace.RegisterEvent(trace.KindQueue, "in_flight done", "in_flight", refServerDispatch)
	evIter         = trace.RegisterEvent(trace.KindIter, "", "", refPollLoop)
	evReadHead     = trace.RegisterEvent(trace.KindNote, "", "Conn::read_head", refPollReadHead)
)

// The engine's calls (trace.CallAt).
var (
	callPollReadHead      = trace.RegisterCall("Conn.pollReadHead", refPollReadHead)
	callPollReadBody      = trace.RegisterCall("Conn.pollReadBody", refPollReadBody)
	callTryKeepAlive      = trace.RegisterCall("State.tryKeepAlive", refTryKeepAlive)
	callWriteHead         = trace.RegisterCall("Conn.writeHead", refWriteHead)
	callWriteBody         = trace.RegisterCall("Conn.writeBody", refWriteBody)
	callWriteBodyAndEnd   = trace.RegisterCall("Conn.writeBodyAndEnd", refWriteBodyEnd)
	callEndBody           = trace.RegisterCall("Conn.endBody", refEndBody)
	callPollShutdown      = trace.RegisterCall("Conn.pollShutdown", "conn.rs Conn::poll_shutdown §12.8.3")
	callDrainOrCloseRead  = trace.RegisterCall("Conn.pollDrainOrCloseRead", refDrainOrClose)
	callPollReadKeepAlive = trace.RegisterCall("Conn.pollReadKeepAlive", refReadKeepAlive)
)
