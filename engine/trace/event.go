// Package trace records what the engine does, one Event at a time, so that a
// person can step through it. Recording is off when the *Recorder is nil:
// every method checks for that first, so a disabled trace costs one branch.
//
// Events are plain values with constant strings (no formatting on the hot
// path); spans are interned as nodes of a call tree and rendered to
// "Dispatcher.pollLoop#2/pollRead/Conn.pollReadHead" only when asked.
package trace

// Kind says what an event is about.
type Kind uint8

const (
	KindPoll       Kind = iota + 1 // a task was polled; Detail is "ready" or "pending"
	KindIter                       // a poll_loop iteration began; N is its number (1..16)
	KindCall                       // an engine function worth seeing was entered
	KindRet                        // ... and returned; Detail is its result
	KindTransition                 // Field changed From -> To
	KindIO                         // bytes moved: Name is read/write/flush/shutdown, N bytes at stream offset Off
	KindWake                       // Name woke task N
	KindYield                      // poll_loop spent its 16 iterations and yielded
	KindTimer                      // a timer was armed, reset, cleared or fired (Name), deadline N ms
	KindQueue                      // dispatch queue or in-flight slot changed
	KindBody                       // body channel: Name is send/want/cancel/eof/error, N bytes
	KindUpgrade                    // upgrade handoff; N leftover bytes
	KindError                      // an error surfaced; Name is its kind, Detail the message
	KindNote                       // hyper's own trace message
	KindFrame                      // an upgraded protocol's frame (WebSocket): Name opcode, Detail "fin"/"more", N payload length, Field direction "in"/"out"
	kindCount
)

var kindNames = [...]string{
	KindPoll: "poll", KindIter: "iter", KindCall: "call", KindRet: "ret",
	KindTransition: "transition", KindIO: "io", KindWake: "wake", KindYield: "yield",
	KindTimer: "timer", KindQueue: "queue", KindBody: "body", KindUpgrade: "upgrade",
	KindError: "error", KindNote: "note", KindFrame: "frame",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// KindFromString is the inverse of Kind.String; ok is false for unknown names.
func KindFromString(s string) (Kind, bool) {
	for k := Kind(1); k < kindCount; k++ {
		if kindNames[k] == s {
			return k, true
		}
	}
	return 0, false
}

// Event is one recorded happening. Strings are constants or interned, so an
// Event never owns memory of its own except Detail on rare events.
type Event struct {
	Seq  int32 // position in the trace, from 0
	Step int32 // executor step that produced it
	Task int32 // task being polled (0 outside a poll)
	Span int32 // call-tree node; see Recorder.SpanString
	Kind Kind
	// FieldID, FromID and ToID are a transition's field and values as the
	// recording package numbers them (engine/h1: h1.StateField and the
	// field's enum), beside the Field, From and To strings, so a view reads
	// the typed value without parsing the strings back. FieldID 0 means the
	// transition was recorded without typed values.
	FieldID, FromID, ToID uint8

	Field  string // transition: reading, writing, keep_alive, is_closing, ...
	From   string
	To     string
	Name   string // function, io op, timer op, body op, error kind
	Detail string // result, note text, error message
	// Ref is hyper's source file, function and chapter section, e.g.
	// "conn.rs Conn::poll_read_head §12.10.1" (names.go: ParseRef, and Func
	// for hyper's name with the Go one beside it); a section the book
	// numbers twice is cited with its title, "§12.8.1 (errors: poll_catch)".
	Ref string
	N   int64 // bytes, iteration, deadline, task, ...
	Off int64 // stream offset for io events
}
