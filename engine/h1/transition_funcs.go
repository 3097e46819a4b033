package h1

// Which of hyper's functions takes each transition (issue 16, item 5: the
// state diagram labels every arrow with it). The names are hyper's own, in
// src/proto/h1/conn.rs and dispatch.rs (testdata/hyper_fns.txt lists
// them); the first of each list is the one that takes the transition in
// the ordinary course of a message, the rest take it on the way out
// (EOF, an error, a shutdown). TestTransitionFuncs checks that every edge
// of the tables has names, that each is one of hyper's functions, and
// that every transition the engine records in the scenario library is
// taken by a function listed for it.

// Transition is one edge of a transition table: field f from one value
// to another, numbered as the field's type numbers them (ReadingKind,
// WritingKind, KA; 0 false and 1 true for the flags).
type Transition struct {
	Field    StateField
	From, To uint8
}

// TransitionFuncs returns the names of the hyper functions that take
// transition t, most usual first (nil for a change the tables do not
// allow).
func TransitionFuncs(t Transition) []string {
	for _, e := range transitionFuncs {
		if e.Transition == t {
			return e.names
		}
	}
	return nil
}

// transitionFuncs is an array of constants, not a map literal with calls
// in its keys: the linker lays it out as data, where the map was built by
// about 5 KB of wasm code at init (the browser's wasm has a size budget;
// TestBrowserBudgets). 26 edges are searched in a blink.
var transitionFuncs = [...]struct {
	Transition
	names []string
}{
	// Reading: Conn::poll_read_head sets the state the head asks for,
	// Conn::poll_read_body ends the body, State::idle starts over, and
	// State::close_read / State::close end reading for good.
	{Transition{FieldReading, uint8(ReadingInit), uint8(ReadingContinue)}, []string{"poll_read_head"}},
	{Transition{FieldReading, uint8(ReadingInit), uint8(ReadingBody)}, []string{"poll_read_head"}},
	{Transition{FieldReading, uint8(ReadingInit), uint8(ReadingKeepAlive)}, []string{"poll_read_head"}},
	{Transition{FieldReading, uint8(ReadingInit), uint8(ReadingClosed)}, []string{"close_read", "close"}},
	{Transition{FieldReading, uint8(ReadingContinue), uint8(ReadingBody)}, []string{"poll_read_body", "poll_drain_or_close_read"}},
	{Transition{FieldReading, uint8(ReadingContinue), uint8(ReadingClosed)}, []string{"close_read", "close"}},
	{Transition{FieldReading, uint8(ReadingBody), uint8(ReadingKeepAlive)}, []string{"poll_read_body"}},
	{Transition{FieldReading, uint8(ReadingBody), uint8(ReadingClosed)}, []string{"poll_read_body", "close_read", "close"}},
	{Transition{FieldReading, uint8(ReadingKeepAlive), uint8(ReadingInit)}, []string{"idle"}},
	{Transition{FieldReading, uint8(ReadingKeepAlive), uint8(ReadingClosed)}, []string{"close", "close_read"}},

	// Writing: Conn::write_head (encode_head on an error) starts a
	// message; Conn::write_body, write_body_and_end (a body in one
	// chunk), end_body or write_trailers finish it.
	{Transition{FieldWriting, uint8(WritingInit), uint8(WritingBody)}, []string{"write_head"}},
	{Transition{FieldWriting, uint8(WritingInit), uint8(WritingKeepAlive)}, []string{"write_head"}},
	{Transition{FieldWriting, uint8(WritingInit), uint8(WritingClosed)}, []string{"write_head", "encode_head", "close_write", "close"}},
	{Transition{FieldWriting, uint8(WritingBody), uint8(WritingKeepAlive)}, []string{"write_body", "write_body_and_end", "end_body", "write_trailers"}},
	{Transition{FieldWriting, uint8(WritingBody), uint8(WritingClosed)}, []string{"write_body", "write_body_and_end", "end_body", "write_trailers", "close_write", "close"}},
	{Transition{FieldWriting, uint8(WritingKeepAlive), uint8(WritingInit)}, []string{"idle"}},
	{Transition{FieldWriting, uint8(WritingKeepAlive), uint8(WritingClosed)}, []string{"close", "close_write"}},

	// KA: State::busy and State::idle; Disabled by `keep_alive &= …`
	// (KA::bitand_assign, in poll_read_head and the encoders),
	// State::disable_keep_alive or a close.
	{Transition{FieldKeepAlive, uint8(KAIdle), uint8(KABusy)}, []string{"busy"}},
	{Transition{FieldKeepAlive, uint8(KAIdle), uint8(KADisabled)}, []string{"close", "close_read", "close_write"}},
	{Transition{FieldKeepAlive, uint8(KABusy), uint8(KAIdle)}, []string{"idle"}},
	{Transition{FieldKeepAlive, uint8(KABusy), uint8(KADisabled)}, []string{"bitand_assign", "disable_keep_alive", "close", "close_read", "close_write"}},

	// notify_read: State::idle and Conn::maybe_notify set it,
	// Conn::wants_read_again clears it.
	{Transition{FieldNotifyRead, 0, 1}, []string{"maybe_notify", "idle"}},
	{Transition{FieldNotifyRead, 1, 0}, []string{"wants_read_again"}},
	// is_closing: Dispatcher::close.
	{Transition{FieldIsClosing, 0, 1}, []string{"close"}},
}
