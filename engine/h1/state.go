package h1

import "github.com/connlab/connlab/engine/trace"

// This file is the connection's state machine, hyper's State in conn.rs:
// three orthogonal enums (Reading, Writing, KA) and the functions that are
// allowed to change them. Everything that changes reading, writing or
// keep_alive goes through the setters here, so every change is traced.

// ReadingKind is the variant of Reading.
type ReadingKind uint8

const (
	ReadingInit      ReadingKind = iota // no head read yet
	ReadingContinue                     // head had Expect: 100-continue; body not yet wanted
	ReadingBody                         // streaming the body through the decoder
	ReadingKeepAlive                    // body done; waiting for the write side
	ReadingClosed                       // no more reading
)

var readingNames = [...]string{"Init", "Continue", "Body", "KeepAlive", "Closed"}

func (k ReadingKind) String() string { return readingNames[k] }

// WritingKind is the variant of Writing.
type WritingKind uint8

const (
	WritingInit      WritingKind = iota // no head written yet
	WritingBody                         // writing the body through the encoder
	WritingKeepAlive                    // message written; waiting for the read side
	WritingClosed                       // no more writing
)

var writingNames = [...]string{"Init", "Body", "KeepAlive", "Closed"}

func (k WritingKind) String() string { return writingNames[k] }

// KA is the keep-alive status: may the connection carry another message?
type KA uint8

const (
	KAIdle     KA = iota // no message in progress; a new one may start
	KABusy               // a message is in progress (the default)
	KADisabled           // never again: close after this message
)

var kaNames = [...]string{"Idle", "Busy", "Disabled"}

func (k KA) String() string { return kaNames[k] }

// And is hyper's `keep_alive &= enabled`: a one-way lock. Any false
// disables keep-alive for good; true changes nothing.
func (k *KA) And(enabled bool) {
	if !enabled {
		*k = KADisabled
	}
}

// Transition tables: which changes each enum allows. The state diagram in
// the UI is drawn from these, and tests check every traced transition
// against them.
var (
	ReadingTransitions = map[ReadingKind][]ReadingKind{
		ReadingInit:      {ReadingContinue, ReadingBody, ReadingKeepAlive, ReadingClosed},
		ReadingContinue:  {ReadingBody, ReadingClosed},
		ReadingBody:      {ReadingKeepAlive, ReadingClosed},
		ReadingKeepAlive: {ReadingInit, ReadingClosed},
		ReadingClosed:    {},
	}
	WritingTransitions = map[WritingKind][]WritingKind{
		WritingInit:      {WritingBody, WritingKeepAlive, WritingClosed},
		WritingBody:      {WritingKeepAlive, WritingClosed},
		WritingKeepAlive: {WritingInit, WritingClosed},
		WritingClosed:    {},
	}
	KATransitions = map[KA][]KA{
		KAIdle:     {KABusy, KADisabled},
		KABusy:     {KAIdle, KADisabled},
		KADisabled: {},
	}
)

// Refs to hyper's source and the chapter, used in trace events.
const (
	refTryKeepAlive   = "conn.rs State::try_keep_alive §12.8.1"
	refIdle           = "conn.rs State::idle §12.8.1"
	refBusy           = "conn.rs State::busy §12.10.2"
	refClose          = "conn.rs State::close §12.3"
	refCloseRead      = "conn.rs State::close_read §12.6.1"
	refCloseWrite     = "conn.rs State::close_write §12.8"
	refKAAnd          = "conn.rs KA::bitand_assign §12.2.4"
	refPollReadHead   = "conn.rs Conn::poll_read_head §12.10.1"
	refPollReadBody   = "conn.rs Conn::poll_read_body §12.6"
	refWriteHead      = "conn.rs Conn::write_head §12.7"
	refWriteBody      = "conn.rs Conn::write_body §12.7.1"
	refEndBody        = "conn.rs Conn::end_body §12.7.1"
	refDrainOrClose   = "conn.rs Conn::poll_drain_or_close_read §12.10.2.5"
	refReadKeepAlive  = "conn.rs Conn::poll_read_keep_alive §12.9.1"
	refMaybeNotify    = "conn.rs Conn::maybe_notify §12.9"
	refParseError     = "conn.rs Conn::on_parse_error §12.8.1"
	refPollLoop       = "dispatch.rs Dispatcher::poll_loop §12.5"
	refPollRead       = "dispatch.rs Dispatcher::poll_read §12.6.1"
	refDispPollReadHd = "dispatch.rs Dispatcher::poll_read_head §12.6.2"
	refPollWrite      = "dispatch.rs Dispatcher::poll_write §12.7.1"
	refPollCatch      = "dispatch.rs Dispatcher::poll_catch §12.8.1"
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

func (s *State) setReading(k ReadingKind, ref string) {
	if s.rec != nil {
		s.rec.Transition("reading", s.reading.String(), k.String(), ref)
	}
	s.reading = k
}

func (s *State) setWriting(k WritingKind, ref string) {
	if s.rec != nil {
		s.rec.Transition("writing", s.writing.String(), k.String(), ref)
	}
	s.writing = k
}

func (s *State) setKeepAlive(k KA, ref string) {
	if s.rec != nil {
		s.rec.Transition("keep_alive", s.keepAlive.String(), k.String(), ref)
	}
	s.keepAlive = k
}

// andKeepAlive is `state.keep_alive &= enabled`.
func (s *State) andKeepAlive(enabled bool, ref string) {
	k := s.keepAlive
	k.And(enabled)
	s.setKeepAlive(k, ref)
}

func (s *State) setNotifyRead(v bool) {
	if s.rec != nil && s.notifyRead != v {
		s.rec.Transition("notify_read", boolName(s.notifyRead), boolName(v), refMaybeNotify)
	}
	s.notifyRead = v
}

func boolName(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (s *State) close() {
	s.setReading(ReadingClosed, refClose)
	s.setWriting(WritingClosed, refClose)
	s.setKeepAlive(KADisabled, refClose)
}

func (s *State) closeRead() {
	s.setReading(ReadingClosed, refCloseRead)
	s.setKeepAlive(KADisabled, refCloseRead)
}

func (s *State) closeWrite() {
	s.setWriting(WritingClosed, refCloseWrite)
	s.setKeepAlive(KADisabled, refCloseWrite)
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
				s.rec.Note("try_keep_alive: could keep-alive, but status = "+s.keepAlive.String(), refTryKeepAlive)
			}
			s.close()
		}
	case s.reading == ReadingClosed && s.writing == WritingKeepAlive,
		s.reading == ReadingKeepAlive && s.writing == WritingClosed:
		s.close()
	}
}

func (s *State) disableKeepAlive() { s.setKeepAlive(KADisabled, refKAAnd) }

// busy marks a message in progress, but never undoes Disabled.
func (s *State) busy() {
	if s.keepAlive == KADisabled {
		return
	}
	s.setKeepAlive(KABusy, refBusy)
}

// idle resets both sides to Init for the next message. A client must poll
// its request queue again at once, and a server with a header-read timeout
// must start the next head's timer at once: both set notify_read so the
// poll loop runs another iteration (§12.8.1).
func (s *State) idle() {
	s.method = ""
	s.setKeepAlive(KAIdle, refIdle)
	s.setReading(ReadingInit, refIdle)
	s.setWriting(WritingInit, refIdle)
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
