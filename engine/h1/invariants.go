package h1

// hyper's conn.rs, dispatch.rs, io.rs and role.rs state their invariants
// as debug_assert!s: they panic in hyper's tests and fuzzing and vanish in
// release builds. Here each one is an always-on check at the matching
// point, the same mechanism as checkTransition (state.go): a compare and
// a branch to a panic of a plain value, so the caller keeps its registers
// and nothing allocates. Being always on, every test, fuzz run and
// scenario checks them without a build tag; the API and the browser
// recover the panic and report it. The cost, counted with callgrind on
// BenchmarkHelloPipelined16 (instructions per request, from the difference
// of a 50 000 and a 100 000 request run): 4082 without them, 4166 with
// them (+2.0%; about ten checks run per request: poll_read_head, parse,
// encode_head, write_body_and_end, idle, poll_read_keep_alive and
// mid_message_detect_eof, the read size and the flush cursor), and still
// no allocation per request.
//
// Each check names hyper's assert (file:line at hyper 8fcaf1a62787). The
// asserts that have no counterpart here, and why, are listed at the end
// of assertTexts.

// assertID names one of hyper's asserts.
type assertID uint8

const (
	_ assertID = iota
	// conn.rs
	assertReadHeadCanReadHead     // conn.rs:215
	assertReadBodyCanReadBody     // conn.rs:363 (and the unreachable! at 417)
	assertReadKeepAliveNotReading // conn.rs:432
	assertEmptyReadNotReading     // conn.rs:455
	assertEmptyReadNotMidMessage  // conn.rs:456
	assertEmptyReadIsClient       // conn.rs:457
	assertDetectEOFNotReading     // conn.rs:488
	assertDetectEOFMidMessage     // conn.rs:489
	assertForceReadNotClosed      // conn.rs:507
	assertEncodeHeadCanWriteHead  // conn.rs:613
	assertWriteBodyCanWrite       // conn.rs:715 (and the unreachable! at 733)
	assertWriteBodyNonEmpty       // conn.rs:717
	assertWriteTrailersCanWrite   // conn.rs:744 (and the unreachable! at 760)
	assertBodyAndEndCanWrite      // conn.rs:765 (and the unreachable! at 778)
	assertBodyAndEndNonEmpty      // conn.rs:767
	assertEndBodyCanWriteBody     // conn.rs:785
	assertIdleNotIdle             // conn.rs:1115
	// dispatch.rs
	assertEmptyUpgrade        // dispatch.rs:324
	assertEOFReadClosed       // dispatch.rs:347
	assertClientPollMsgRxOpen // dispatch.rs:677
	assertServerPollMsgFlight // dispatch.rs:613 (an unreachable!, a panic in release too)
	// io.rs
	assertPrevPowerOfTwo // io.rs:443
	assertCursorAdvance  // io.rs:513
	// role.rs
	assertParseNonEmpty // role.rs:147 (Server::parse) and role.rs:1029 (Client::parse)
	assertCount
)

// assertTexts is what each check says when it fails: where hyper asserts
// it and what.
var assertTexts = [assertCount]string{
	assertReadHeadCanReadHead:     "conn.rs:215 Conn::poll_read_head: debug_assert!(self.can_read_head())",
	assertReadBodyCanReadBody:     "conn.rs:363 Conn::poll_read_body: debug_assert!(self.can_read_body())",
	assertReadKeepAliveNotReading: "conn.rs:432 Conn::poll_read_keep_alive: debug_assert!(!self.can_read_head() && !self.can_read_body())",
	assertEmptyReadNotReading:     "conn.rs:455 Conn::require_empty_read: debug_assert!(!self.can_read_head() && !self.can_read_body() && !self.is_read_closed())",
	assertEmptyReadNotMidMessage:  "conn.rs:456 Conn::require_empty_read: debug_assert!(!self.is_mid_message())",
	assertEmptyReadIsClient:       "conn.rs:457 Conn::require_empty_read: debug_assert!(T::is_client())",
	assertDetectEOFNotReading:     "conn.rs:488 Conn::mid_message_detect_eof: debug_assert!(!self.can_read_head() && !self.can_read_body() && !self.is_read_closed())",
	assertDetectEOFMidMessage:     "conn.rs:489 Conn::mid_message_detect_eof: debug_assert!(self.is_mid_message())",
	assertForceReadNotClosed:      "conn.rs:507 Conn::force_io_read: debug_assert!(!self.state.is_read_closed())",
	assertEncodeHeadCanWriteHead:  "conn.rs:613 Conn::encode_head: debug_assert!(self.can_write_head())",
	assertWriteBodyCanWrite:       "conn.rs:715 Conn::write_body: debug_assert!(self.can_write_body() && self.can_buffer_body())",
	assertWriteBodyNonEmpty:       "conn.rs:717 Conn::write_body: debug_assert!(chunk.remaining() != 0)",
	assertWriteTrailersCanWrite:   "conn.rs:744 Conn::write_trailers: debug_assert!(self.can_write_body() && self.can_buffer_body())",
	assertBodyAndEndCanWrite:      "conn.rs:765 Conn::write_body_and_end: debug_assert!(self.can_write_body() && self.can_buffer_body())",
	assertBodyAndEndNonEmpty:      "conn.rs:767 Conn::write_body_and_end: debug_assert!(chunk.remaining() != 0)",
	assertEndBodyCanWriteBody:     "conn.rs:785 Conn::end_body: debug_assert!(self.can_write_body())",
	assertIdleNotIdle:             "conn.rs:1115 State::idle: debug_assert!(!self.is_idle(), \"State::idle() called while idle\")",
	assertEmptyUpgrade:            "dispatch.rs:324 Dispatcher::poll_read_head: debug_assert!(!upgrade.is_none(), \"empty upgrade\")",
	assertEOFReadClosed:           "dispatch.rs:347 Dispatcher::poll_read_head: debug_assert!(self.conn.is_read_closed())",
	assertClientPollMsgRxOpen:     "dispatch.rs:677 Client::poll_msg: debug_assert!(!this.rx_closed)",
	assertServerPollMsgFlight:     "dispatch.rs:613 Server::poll_msg: unreachable!(\"poll_msg shouldn't be called if no inflight\")",
	assertPrevPowerOfTwo:          "io.rs:443 prev_power_of_two: debug_assert!(n >= 4)",
	assertCursorAdvance:           "io.rs:513 Cursor::advance: debug_assert!(self.pos + cnt <= self.bytes.as_ref().len())",
	assertParseNonEmpty:           "role.rs:147/1029 Server::parse, Client::parse: debug_assert!(!buf.is_empty(), \"parse called with empty buf\")",
}

// Not ported, with why:
//
//   - conn.rs:645 debug_assert!(self.state.cached_headers.is_none()) and
//     conn.rs:646 debug_assert!(head.headers.is_empty()): hyper moves the
//     HeaderMap out of the head to reuse its allocation for the next
//     message; the engine encodes from the service's slice and reuses its
//     own scratch (Conn.outHeaders), so there is no cache to check.
//   - dispatch.rs:325 debug_assert!(head.extensions.get::<OnUpgrade>().is_none()):
//     a head has no extensions map here; the OnUpgrade is its own argument
//     to recv_msg, so it cannot already be set.
//   - dispatch.rs:391 debug_assert!(!*clear_body): OptGuard is Rust's way
//     of clearing a pinned Option; the Go code sets bodyRx to nil.
//   - io.rs:79 (set_flush_pipeline), io.rs:103 and io.rs:110 (write
//     strategy set only at construction), io.rs:594 (headers_mut with an
//     empty queue): the engine has one flat write buffer and no pipeline
//     flush option. io.rs:548 (WriteBuf::buffer of an empty buf): the
//     encoders append to that buffer directly; conn.rs:717 and :767 check
//     the chunks. io.rs:87 is an assert!, not a debug one, on the builder's
//     max_buf_size: the session format documents clamping to the minimum.
//   - role.rs:211 (httparse's request path), role.rs:683, :725, :762,
//     :792, :907 and :1532 (encode_headers' is_name_written bookkeeping and
//     its debug-only content-length checks): they check the shape of
//     hyper's own encoder loop, which ours does not share; :725 would also
//     change behaviour (a debug hyper panics where a release hyper, the
//     oracle, sends the service's content-length).

// assertError is the panic value of a broken invariant.
type assertError assertID

func (e assertError) Error() string {
	if e > 0 && e < assertError(assertCount) {
		return "h1: invariant violated: " + assertTexts[e]
	}
	return "h1: invariant violated: assertID(" + itoa(int(e)) + ")"
}

// invariant panics with hyper's assert a unless ok.
func invariant(ok bool, a assertID) {
	if !ok {
		panic(assertError(a))
	}
}
