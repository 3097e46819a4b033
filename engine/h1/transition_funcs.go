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
func TransitionFuncs(t Transition) []string { return transitionFuncs[t] }

func rd(from, to ReadingKind) Transition { return Transition{FieldReading, uint8(from), uint8(to)} }
func wr(from, to WritingKind) Transition { return Transition{FieldWriting, uint8(from), uint8(to)} }
func ka(from, to KA) Transition          { return Transition{FieldKeepAlive, uint8(from), uint8(to)} }

var transitionFuncs = map[Transition][]string{
	// Reading: Conn::poll_read_head sets the state the head asks for,
	// Conn::poll_read_body ends the body, State::idle starts over, and
	// State::close_read / State::close end reading for good.
	rd(ReadingInit, ReadingContinue):    {"poll_read_head"},
	rd(ReadingInit, ReadingBody):        {"poll_read_head"},
	rd(ReadingInit, ReadingKeepAlive):   {"poll_read_head"},
	rd(ReadingInit, ReadingClosed):      {"close_read", "close"},
	rd(ReadingContinue, ReadingBody):    {"poll_read_body", "poll_drain_or_close_read"},
	rd(ReadingContinue, ReadingClosed):  {"close_read", "close"},
	rd(ReadingBody, ReadingKeepAlive):   {"poll_read_body"},
	rd(ReadingBody, ReadingClosed):      {"poll_read_body", "close_read", "close"},
	rd(ReadingKeepAlive, ReadingInit):   {"idle"},
	rd(ReadingKeepAlive, ReadingClosed): {"close", "close_read"},

	// Writing: Conn::write_head (encode_head on an error) starts a
	// message; Conn::write_body, write_body_and_end (a body in one
	// chunk), end_body or write_trailers finish it.
	wr(WritingInit, WritingBody):        {"write_head"},
	wr(WritingInit, WritingKeepAlive):   {"write_head"},
	wr(WritingInit, WritingClosed):      {"write_head", "encode_head", "close_write", "close"},
	wr(WritingBody, WritingKeepAlive):   {"write_body", "write_body_and_end", "end_body", "write_trailers"},
	wr(WritingBody, WritingClosed):      {"write_body", "write_body_and_end", "end_body", "write_trailers", "close_write", "close"},
	wr(WritingKeepAlive, WritingInit):   {"idle"},
	wr(WritingKeepAlive, WritingClosed): {"close", "close_write"},

	// KA: State::busy and State::idle; Disabled by `keep_alive &= …`
	// (KA::bitand_assign, in poll_read_head and the encoders),
	// State::disable_keep_alive or a close.
	ka(KAIdle, KABusy):     {"busy"},
	ka(KAIdle, KADisabled): {"close", "close_read", "close_write"},
	ka(KABusy, KAIdle):     {"idle"},
	ka(KABusy, KADisabled): {"bitand_assign", "disable_keep_alive", "close", "close_read", "close_write"},

	// notify_read: State::idle and Conn::maybe_notify set it,
	// Conn::wants_read_again clears it.
	{FieldNotifyRead, 0, 1}: {"maybe_notify", "idle"},
	{FieldNotifyRead, 1, 0}: {"wants_read_again"},
	// is_closing: Dispatcher::close.
	{FieldIsClosing, 0, 1}: {"close"},
}
