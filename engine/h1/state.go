package h1

import (
	"strconv"

	"github.com/connlab/connlab/engine/trace"
)

// This file is the connection's state machine, hyper's State in conn.rs:
// three orthogonal enums (Reading, Writing, KA) and the functions that are
// allowed to change them. Everything that changes reading, writing,
// keep_alive or notify_read goes through the setters here, so every change
// is checked against the transition tables and traced.

// ReadingKind is the variant of Reading.
type ReadingKind uint8

const (
	ReadingInit      ReadingKind = iota // no head read yet
	ReadingContinue                     // head had Expect: 100-continue; body not yet wanted
	ReadingBody                         // streaming the body through the decoder
	ReadingKeepAlive                    // body done; waiting for the write side
	ReadingClosed                       // no more reading
)

var readingNames = [...]string{
	ReadingInit: "Init", ReadingContinue: "Continue", ReadingBody: "Body",
	ReadingKeepAlive: "KeepAlive", ReadingClosed: "Closed",
}

func (k ReadingKind) String() string {
	if int(k) < len(readingNames) {
		return readingNames[k]
	}
	return enumName(nil, uint8(k), "ReadingKind")
}

// WritingKind is the variant of Writing.
type WritingKind uint8

const (
	WritingInit      WritingKind = iota // no head written yet
	WritingBody                         // writing the body through the encoder
	WritingKeepAlive                    // message written; waiting for the read side
	WritingClosed                       // no more writing
)

var writingNames = [...]string{
	WritingInit: "Init", WritingBody: "Body", WritingKeepAlive: "KeepAlive", WritingClosed: "Closed",
}

func (k WritingKind) String() string {
	if int(k) < len(writingNames) {
		return writingNames[k]
	}
	return enumName(nil, uint8(k), "WritingKind")
}

// KA is the keep-alive status: may the connection carry another message?
type KA uint8

const (
	KAIdle     KA = iota // no message in progress; a new one may start
	KABusy               // a message is in progress (the default)
	KADisabled           // never again: close after this message
)

var kaNames = [...]string{KAIdle: "Idle", KABusy: "Busy", KADisabled: "Disabled"}

func (k KA) String() string {
	if int(k) < len(kaNames) {
		return kaNames[k]
	}
	return enumName(nil, uint8(k), "KA")
}

// boolNames name the two flags' values, as their transitions show them.
var boolNames = [...]string{"false", "true"}

// enumName is names[v], or "Type(v)" for a value outside the table (x/net's
// name-table style: String never panics).
func enumName(names []string, v uint8, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// And is hyper's `keep_alive &= enabled`: a one-way lock. Any false
// disables keep-alive for good; true changes nothing.
func (k *KA) And(enabled bool) {
	if !enabled {
		*k = KADisabled
	}
}

// StateField names what a transition event changed: the Conn State's three
// enums, its notify_read flag, and the Dispatcher's is_closing. A
// transition event carries it typed (trace.Event.FieldID) beside the name.
type StateField uint8

const (
	FieldReading    StateField = iota + 1 // State.reading, a ReadingKind
	FieldWriting                          // State.writing, a WritingKind
	FieldKeepAlive                        // State.keep_alive, a KA
	FieldNotifyRead                       // State.notify_read: 0 false, 1 true
	FieldIsClosing                        // Dispatcher.is_closing: 0 false, 1 true
	fieldCount
)

var fieldNames = [...]string{
	FieldReading: "reading", FieldWriting: "writing", FieldKeepAlive: "keep_alive",
	FieldNotifyRead: "notify_read", FieldIsClosing: "is_closing",
}

// String is the field's name in trace events: "reading", "keep_alive", ...
func (f StateField) String() string {
	if f == 0 {
		return "StateField(0)"
	}
	return enumName(fieldNames[:], uint8(f), "StateField")
}

// The transition tables are data: for each field, the values each value
// may change to (h11's EVENT_TRIGGERED_TRANSITIONS). A missing entry is
// the error: the setters below check every change against them and panic
// on one the table does not list. The state diagram in the UI is drawn
// from the same tables (Transitions), so the picture cannot drift from the
// code. Each list is in the order the diagram draws the edges.
var (
	readingNext = [...][]ReadingKind{
		ReadingInit:      {ReadingContinue, ReadingBody, ReadingKeepAlive, ReadingClosed},
		ReadingContinue:  {ReadingBody, ReadingClosed},
		ReadingBody:      {ReadingKeepAlive, ReadingClosed},
		ReadingKeepAlive: {ReadingInit, ReadingClosed},
		ReadingClosed:    {},
	}
	writingNext = [...][]WritingKind{
		WritingInit:      {WritingBody, WritingKeepAlive, WritingClosed},
		WritingBody:      {WritingKeepAlive, WritingClosed},
		WritingKeepAlive: {WritingInit, WritingClosed},
		WritingClosed:    {},
	}
	// keep_alive: Disabled is for good (busy() never leaves it, KA.And is
	// one-way).
	kaNext = [...][]KA{
		KAIdle:     {KABusy, KADisabled},
		KABusy:     {KAIdle, KADisabled},
		KADisabled: {},
	}
	// notify_read is set by idle() and maybe_notify, and cleared by
	// wants_read_again.
	notifyReadNext = [...][]uint8{0: {1}, 1: {0}}
	// is_closing: once the dispatcher closes, it stays closing.
	isClosingNext = [...][]uint8{0: {1}, 1: {}}
)

// transitionTable is one field's table, with its value names.
type transitionTable struct {
	title string     // hyper's type name, for the diagram
	names []string   // the field type's name table
	next  [][2]uint8 // the edges, from → to, in table order
}

// allowed[f] bit from*8+to says whether field f may change from -> to:
// the tables flattened for the setters' check (one load and a bit test,
// cheap enough for the setters to inline), with no change allowed too (it
// is no transition).
var allowed [8]uint64 // [f&7]: fieldCount <= 8, and the mask spares a bounds check

func newTable[T ~uint8](f StateField, title string, names []string, next [][]T) transitionTable {
	t := transitionTable{title: title, names: names}
	for from, tos := range next {
		allowed[f] |= 1 << (from*8 + from)
		for _, to := range tos {
			t.next = append(t.next, [2]uint8{uint8(from), uint8(to)})
			allowed[f] |= 1 << (uint(from)*8 + uint(to))
		}
	}
	return t
}

// transitionTables is indexed by StateField.
var transitionTables = [fieldCount]transitionTable{
	FieldReading:    newTable(FieldReading, "Reading", readingNames[:], readingNext[:]),
	FieldWriting:    newTable(FieldWriting, "Writing", writingNames[:], writingNext[:]),
	FieldKeepAlive:  newTable(FieldKeepAlive, "KA", kaNames[:], kaNext[:]),
	FieldNotifyRead: newTable(FieldNotifyRead, "notify_read", boolNames[:], notifyReadNext[:]),
	FieldIsClosing:  newTable(FieldIsClosing, "is_closing", boolNames[:], isClosingNext[:]),
}

// checkTransition panics unless field f's table lets it change from -> to.
// It is always on, so every test, fuzz run and scenario checks it without
// a flag: it is one load and a branch per change (all of issue 18's
// changes together cost 0.3% of the instructions of a pipelined request,
// measured with callgrind), and a state the table does not allow would
// make the trace and the diagram lie. The API and the browser recover the
// panic and report it.
func checkTransition(f StateField, from, to uint8) {
	if !transitionAllowed(f, from, to) {
		// a panic of a plain value: the compiler knows it does not return,
		// so the setters keep their arguments in registers
		panic(transitionError{f, from, to})
	}
}

// transitionAllowed is checkTransition's question, for a fast path that
// stores without calling the setters.
func transitionAllowed(f StateField, from, to uint8) bool {
	return allowed[f&7]>>(from&7<<3|to&7)&1 != 0
}

// transitionError is the panic value of an illegal transition.
type transitionError struct {
	field    StateField
	from, to uint8
}

func (e transitionError) Error() string {
	t := &transitionTables[e.field]
	return "h1: illegal transition: " + e.field.String() + " " + enumName(t.names, e.from, t.title) + " -> " + enumName(t.names, e.to, t.title) + " is not in the transition table"
}

// StateTable is one field's transition table, read-only, as the UI draws
// it: States are the value names by number, Edges the allowed changes
// (from, to), in the table's order.
type StateTable struct {
	Field  StateField
	Title  string // hyper's type name: "Reading", "Writing", "KA"; the flag's name for flags
	States []string
	Edges  [][2]uint8
}

// Transitions returns a copy of every transition table, in StateField
// order: reading, writing, keep_alive (the Conn State's enums, the state
// diagram), then notify_read and is_closing.
func Transitions() []StateTable {
	out := make([]StateTable, 0, fieldCount-1)
	for f := FieldReading; f < fieldCount; f++ {
		t := &transitionTables[f]
		out = append(out, StateTable{
			Field:  f,
			Title:  t.title,
			States: append([]string(nil), t.names...),
			Edges:  append([][2]uint8(nil), t.next...),
		})
	}
	return out
}

// Refs to hyper's source and the chapter, used in trace events.
const (
	refTryKeepAlive   = "conn.rs State::try_keep_alive §12.8.1 (try_keep_alive's four paths)"
	refIdle           = "conn.rs State::idle §12.8.1 (try_keep_alive's four paths)"
	refBusy           = "conn.rs State::busy §12.10.2"
	refClose          = "conn.rs State::close §12.3"
	refCloseRead      = "conn.rs State::close_read §12.6.1"
	refCloseWrite     = "conn.rs State::close_write §12.8"
	refKAAnd          = "conn.rs KA::bitand_assign §12.2.4"
	refPollReadHead   = "conn.rs Conn::poll_read_head §12.10.1"
	refPollReadBody   = "conn.rs Conn::poll_read_body §12.6"
	refWriteHead      = "conn.rs Conn::write_head §12.7"
	refWriteBody      = "conn.rs Conn::write_body §12.7.1 (poll_write's three chunk branches)"
	refWriteBodyEnd   = "conn.rs Conn::write_body_and_end §12.7.1 (poll_write's three chunk branches)"
	refEndBody        = "conn.rs Conn::end_body §12.7.1 (poll_write's three chunk branches)"
	refDrainOrClose   = "conn.rs Conn::poll_drain_or_close_read §12.10.2.5"
	refReadKeepAlive  = "conn.rs Conn::poll_read_keep_alive §12.9.1"
	refMaybeNotify    = "conn.rs Conn::maybe_notify §12.9"
	refParseError     = "conn.rs Conn::on_parse_error §12.8.1 (errors: poll_catch)"
	refPollLoop       = "dispatch.rs Dispatcher::poll_loop §12.5"
	refPollRead       = "dispatch.rs Dispatcher::poll_read §12.6.1"
	refDispPollReadHd = "dispatch.rs Dispatcher::poll_read_head §12.6.2"
	refPollWrite      = "dispatch.rs Dispatcher::poll_write §12.7.1 (poll_write's three chunk branches)"
	refPollCatch      = "dispatch.rs Dispatcher::poll_catch §12.8.1 (errors: poll_catch)"
	refPollInner      = "dispatch.rs Dispatcher::poll_inner §12.8.2"
	refServerDispatch = "dispatch.rs Server::recv_msg §12.4.3"
	refServerPollMsg  = "dispatch.rs Server::poll_msg §12.4.2"
	refHeaderTimeout  = "conn.rs Conn::poll_read_head h1_header_read_timeout §12.10.1"
)

// State is the connection's state (hyper's conn.rs State).
type State struct {
	reading    ReadingKind
	decoder    Decoder // meaningful in ReadingContinue and ReadingBody
	writing    WritingKind
	encoder    Encoder // meaningful in WritingBody
	keepAlive  KA
	notifyRead bool
	version    Version
	// method of the message in progress ("" when none): the response to a
	// HEAD has no body, a 2xx to CONNECT is an upgrade.
	method             string
	allowHalfClose     bool
	allowTrailerFields bool
	titleCaseHeaders   bool
	dateHeader         bool
	maxHeaders         int
	// headerReadTimeout in virtual ms (0 = none): hyper's h1_header_read_timeout.
	headerReadTimeout int64
	// err is an error with no direct way back to the user (e.g. the parse
	// error behind an automatic 400); it is returned when the connection ends.
	err *Error

	role Role
	rec  *trace.Recorder
}

// The setters below are the only places that change reading, writing,
// keep_alive and notify_read. Each checks the change against the field's
// table, assigns, then records: a view taken while the event is recorded
// sees the new value, and the event carries it typed (Event.FieldID,
// FromID, ToID) as well as by name. An unchanged value is no transition:
// the table allows it and the recorder records nothing.

func (s *State) setReading(k ReadingKind, ref trace.RefID) {
	from := s.reading
	checkTransition(FieldReading, uint8(from), uint8(k))
	s.reading = k
	if s.rec != nil {
		s.rec.TypedTransition(uint8(FieldReading), uint8(from), uint8(k), ref)
	}
}

func (s *State) setWriting(k WritingKind, ref trace.RefID) {
	from := s.writing
	checkTransition(FieldWriting, uint8(from), uint8(k))
	s.writing = k
	if s.rec != nil {
		s.rec.TypedTransition(uint8(FieldWriting), uint8(from), uint8(k), ref)
	}
}

func (s *State) setKeepAlive(k KA, ref trace.RefID) {
	from := s.keepAlive
	checkTransition(FieldKeepAlive, uint8(from), uint8(k))
	s.keepAlive = k
	if s.rec != nil {
		s.rec.TypedTransition(uint8(FieldKeepAlive), uint8(from), uint8(k), ref)
	}
}

// andKeepAlive is `state.keep_alive &= enabled`.
func (s *State) andKeepAlive(enabled bool, ref trace.RefID) {
	if !enabled && s.rec != nil {
		s.rec.Note("remote disabling keep-alive", "conn.rs KA::bitand_assign")
	}
	k := s.keepAlive
	k.And(enabled)
	s.setKeepAlive(k, ref)
}

func (s *State) setNotifyRead(v bool) {
	from := s.notifyRead
	checkTransition(FieldNotifyRead, b2u(from), b2u(v))
	s.notifyRead = v
	if s.rec != nil {
		s.rec.TypedTransition(uint8(FieldNotifyRead), b2u(from), b2u(v), trMaybeNotify)
	}
}

// b2u numbers a flag's value as its transition table does.
func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func boolName(b bool) string { return boolNames[b2u(b)] }

func (s *State) close() {
	if s.rec != nil {
		s.rec.Note("State::close()", refStateClose)
	}
	s.setReading(ReadingClosed, trClose)
	s.setWriting(WritingClosed, trClose)
	s.setKeepAlive(KADisabled, trClose)
}

func (s *State) closeRead() {
	if s.rec != nil {
		s.rec.Note("State::close_read()", "conn.rs State::close_read")
	}
	s.setReading(ReadingClosed, trCloseRead)
	s.setKeepAlive(KADisabled, trCloseRead)
}

func (s *State) closeWrite() {
	if s.rec != nil {
		s.rec.Note("State::close_write()", "conn.rs State::close_write")
	}
	s.setWriting(WritingClosed, trCloseWrite)
	s.setKeepAlive(KADisabled, trCloseWrite)
}

func (s *State) wantsKeepAlive() bool { return s.keepAlive != KADisabled }

// tryKeepAlive is called whenever a side may have finished its message.
// Four paths: both sides done and Busy → idle (reuse); both done but not
// Busy → close; one side Closed and the other done → close; anything else
// (a side still mid-message) → nothing yet.
func (s *State) tryKeepAlive() {
	switch {
	case s.reading == ReadingKeepAlive && s.writing == WritingKeepAlive:
		if s.keepAlive == KABusy {
			s.idle()
		} else {
			if s.rec != nil {
				s.rec.Note("try_keep_alive("+s.roleLog()+"): could keep-alive, but status = "+s.keepAlive.String(), refTryKeepAlive)
			}
			s.close()
		}
	case s.reading == ReadingClosed && s.writing == WritingKeepAlive,
		s.reading == ReadingKeepAlive && s.writing == WritingClosed:
		s.close()
	}
}

func (s *State) disableKeepAlive() { s.setKeepAlive(KADisabled, trKAAnd) }

// busyAnd is busy, then andKeepAlive(enabled, ref): what reading a head
// does to keep_alive. When the head keeps the connection alive, the
// second is Busy again, no change and no event: busy's is the one
// change, and when nothing records, one store (the table allows Busy
// again whenever it allows Busy).
func (s *State) busyAnd(enabled bool, ref trace.RefID) {
	if enabled && s.keepAlive != KADisabled {
		if s.rec == nil && transitionAllowed(FieldKeepAlive, uint8(s.keepAlive), uint8(KABusy)) {
			s.keepAlive = KABusy
			return
		}
		s.setKeepAlive(KABusy, trBusy)
		return
	}
	s.busy()
	s.andKeepAlive(enabled, ref)
}

// busy marks a message in progress, but never undoes Disabled.
func (s *State) busy() {
	if s.keepAlive == KADisabled {
		return
	}
	s.setKeepAlive(KABusy, trBusy)
}

// idle resets both sides to Init for the next message. A client must poll
// its request queue again at once, and a server with a header-read timeout
// must start the next head's timer at once: both set notify_read so the
// poll loop runs another iteration (§12.8.1).
func (s *State) idle() {
	invariant(!s.isIdle(), assertIdleNotIdle) // conn.rs:1115
	s.method = ""
	if s.rec == nil && transitionAllowed(FieldKeepAlive, uint8(s.keepAlive), uint8(KAIdle)) &&
		transitionAllowed(FieldReading, uint8(s.reading), uint8(ReadingInit)) &&
		transitionAllowed(FieldWriting, uint8(s.writing), uint8(WritingInit)) {
		// The three setters below, when nothing records and the table
		// allows all three (a pipelined connection's every request): the
		// same stores, without three calls.
		s.keepAlive, s.reading, s.writing = KAIdle, ReadingInit, WritingInit
	} else {
		s.setKeepAlive(KAIdle, trIdle)
		s.setReading(ReadingInit, trIdle)
		s.setWriting(WritingInit, trIdle)
	}
	if !s.role.ShouldReadFirst() {
		s.setNotifyRead(true)
	}
	if s.headerReadTimeout > 0 {
		s.setNotifyRead(true)
	}
}

func (s *State) isIdle() bool       { return s.keepAlive == KAIdle }
func (s *State) isReadClosed() bool { return s.reading == ReadingClosed }
func (s *State) isWriteClosed() bool {
	return s.writing == WritingClosed
}
