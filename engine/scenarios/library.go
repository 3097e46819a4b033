package scenarios

// The scenario library: session files that each show one behaviour of the
// engine (and of hyper), with a title, the chapter section it illustrates,
// the hyper functions involved, a two-paragraph explanation, a goal to try
// in the sandbox and marks (breakpoint expressions) at the interesting
// points. Each session file is written out in its entry, so the library is
// self-contained without embedding files (package embed would pull io/fs
// and time into the browser build); the UI lists it, the Worker serves it as
// JSON (GET /api/scenarios) and the docs embed it.
//
// Every explanation describes what the engine actually does with that
// session file; library_test.go runs each one and checks its result against
// a table, so the text cannot silently drift from the engine.

import "github.com/connlab/connlab/engine/session"

// Scenario is one entry of the library.
type Scenario struct {
	Name    string    `json:"name"`    // kebab-case id, used in URLs (?scenario=NAME)
	Title   string    `json:"title"`   // short heading
	Section string    `json:"section"` // chapter section it illustrates, e.g. "§12.5.1"
	Hyper   []string  `json:"hyper"`   // hyper function names involved
	Summary string    `json:"summary"` // one sentence
	Explain [2]string `json:"explain"` // what happens, then why hyper does it
	Goal    string    `json:"goal"`    // something to try in the sandbox
	Seed    string    `json:"seed,omitempty"`
	// Group is the library heading it is listed under, one of Groups.
	Group string `json:"group"`
	// Docs is its docs page (and anchor), relative to /docs/; that page
	// links back to the app with ?scenario=NAME.
	Docs string `json:"docs"`
	// Symptoms are the words people search with (error messages, "hang"),
	// beyond those of the title and the explanation.
	Symptoms string `json:"symptoms,omitempty"`
	// Steps are the interesting points, as breakpoint expressions, in the
	// order a run meets them.
	Steps []Mark `json:"marks"`
	// Session is the session file, as written in the entry (indented JSON).
	// It is parsed only when asked (File), not when the library loads.
	Session SessionJSON `json:"session"`
}

// SessionJSON is a session file's JSON text. In JSON (GET /api/scenarios)
// it is that object, not a string: encoding/json compacts what MarshalJSON
// returns.
type SessionJSON string

// MarshalJSON returns the text as it is (encoding/json checks and compacts
// it).
func (s SessionJSON) MarshalJSON() ([]byte, error) { return []byte(s), nil }

// UnmarshalJSON keeps the value as written.
func (s *SessionJSON) UnmarshalJSON(data []byte) error {
	*s = SessionJSON(data)
	return nil
}

// Mark is a labelled breakpoint expression.
type Mark struct {
	Label string `json:"label"`
	Expr  string `json:"expr"`
}

// Groups are the library's headings, in the order it lists them: a few
// scenarios to start with, the chapter's topics, the problems people hit
// (the production bugs of §12.10.2.7 and the seeds), faults and attacks,
// and the client side.
var Groups = []string{"Start here", "Chapter 12 topics", "Real problems people hit", "Faults and attacks", "Client side"}

// Library returns every scenario in a stable, pedagogical order: group by
// group (Groups), and within a group as the entries are written. The
// caller owns the returned slice.
func Library() []Scenario {
	out := make([]Scenario, len(libraryEntries))
	for i := range libraryEntries {
		out[i] = libraryEntries[i].clone()
	}
	return out
}

// Listing is Library without the sessions (Session is empty): what a
// chooser shows, names, titles, groups and explanations, for the cost of
// copying them. Library writes every long run out (runs.go: about 80 KB of
// session text), and the browser sandbox lists the library on its
// start-up path; Lookup gives one scenario's session.
func Listing() []Scenario {
	out := make([]Scenario, len(libraryEntries))
	for i := range libraryEntries {
		e := libraryEntries[i]
		e.Session = ""
		out[i] = e.clone()
	}
	return out
}

// Lookup finds a scenario by name.
func Lookup(name string) (Scenario, bool) {
	for i := range libraryEntries {
		if libraryEntries[i].Name == name {
			return libraryEntries[i].clone(), true
		}
	}
	return Scenario{}, false
}

// File parses the scenario's session file.
func (s Scenario) File() (*session.File, error) { return session.ParseBytes([]byte(s.Session)) }

// clone is the entry as Library and Lookup return it: its own slices, and
// its session with the long runs written out (runs.go).
func (s Scenario) clone() Scenario {
	s.Hyper = append([]string(nil), s.Hyper...)
	s.Steps = append([]Mark(nil), s.Steps...)
	s.Session = writeRuns(s.Session)
	return s
}

// libraryEntries is the library, in Library's order: the entries written
// here, then those whose server is a service program (programs.go).
var libraryEntries = byGroup(entries, programEntries)

// byGroup orders the entries of the lists by their group's place in
// Groups, keeping the written order within a group (an unknown group sorts
// last; the tests reject it).
func byGroup(lists ...[]Scenario) []Scenario {
	n := 0
	for _, in := range lists {
		n += len(in)
	}
	out := make([]Scenario, 0, n)
	for g := 0; g <= len(Groups); g++ {
		for _, in := range lists {
			for _, s := range in {
				if groupIndex(s.Group) == g {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func groupIndex(name string) int {
	for i, g := range Groups {
		if g == name {
			return i
		}
	}
	return len(Groups)
}

// entries is the library as written: by topic, one connection's life
// first, then bodies, bad input, upgrades, timers and half-close,
// transport faults, the production bugs of §12.10.2.7 and the seeds.
var entries = []Scenario{
	// --- one connection, several requests ---
	{
		Name:    "keep-alive",
		Title:   "Keep-alive: two requests, one connection",
		Section: "§12.3",
		Group:   "Start here",
		Docs:    "state.html#try-keep-alive",
		Hyper:   []string{"State::try_keep_alive", "State::idle", "State::busy", "Conn::poll_read_head", "Dispatcher::poll_loop"},
		Summary: "Two requests arrive one after the other on the same connection; after each response try_keep_alive puts Reading and Writing back to Init, and the client's FIN finally closes the idle connection cleanly.",
		Explain: [2]string{
			`The first GET has no body, so the moment its head is parsed Reading goes from Init straight to KeepAlive. hello's response is written in one go (write_body_and_end), Writing goes Init, Body, KeepAlive, and in the same poll try_keep_alive finds both sides at KeepAlive with keep_alive Busy: it calls idle(), which sets keep_alive to Idle and both sides back to Init. The second GET, typed later, makes the connection Busy again and runs the same cycle. When the person then shuts down the write side, poll_read_head reads EOF at Init on an idle connection; that is a normal end, so the connection closes without an error after 2 requests.`,
			`This is all there is to HTTP/1.1 connection reuse in hyper (§12.3): the socket and its buffers stay as they are, and the two state enums are simply reset to Init so the state machine can run again. try_keep_alive only acts once Reading and Writing have both reached KeepAlive; while either side is still busy it does nothing and is called again later. Reuse also needs every message so far to have allowed it (§12.2.4): both requests here are plain HTTP/1.1, so nothing turned keep-alive off until the peer itself went away.`,
		},
		Goal: `Step to "transition keep_alive -> Idle" and watch Reading and Writing both return to Init in the same try_keep_alive call; then add "Connection: close" to the second request and see keep_alive go to Disabled and the connection close right after the second response, before the client's FIN.`,
		Steps: []Mark{
			{"the first response is out: try_keep_alive makes the connection Idle", `transition keep_alive -> Idle`},
			{"the second head arrives and busy() marks the connection Busy again", `transition keep_alive -> Busy`},
			{"the client's FIN at Init: read eof, a clean close", `note contains "read eof"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "send": "GET /again HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "http10-keep-alive",
		Title:   "HTTP/1.0 vs HTTP/1.1 keep-alive",
		Section: "§12.2.4",
		Group:   "Chapter 12 topics",
		Docs:    "state.html#one-way",
		Hyper:   []string{"KA::bitand_assign", "State::busy", "State::try_keep_alive", "role::Server::parse", "role::Server::encode"},
		Summary: "An HTTP/1.0 client keeps its connection only by asking: the first request says Connection: keep-alive and is kept, the second does not and turns keep-alive off for good.",
		Explain: [2]string{
			`HTTP/1.1 connections are persistent unless someone says otherwise; HTTP/1.0 connections close after one exchange unless the client asks. The first request is HTTP/1.0 with Connection: keep-alive, so the parser reports the message as keep-alive; the response goes out as HTTP/1.0 with connection: keep-alive added by the encoder (a 1.0 client would otherwise expect the close) and try_keep_alive makes the connection Idle. The second HTTP/1.0 request has no Connection header: busy() first moves Idle to Busy, then keep_alive &= false moves it to Disabled. That response carries no keep-alive header, Writing ends in Closed instead of KeepAlive, try_keep_alive closes the read side and the server closes after 2 requests, without waiting for the client's FIN.`,
			`hyper never turns keep-alive back on once a message has turned it off: KA implements &= so that a false from any message sets Disabled, and busy() refuses to leave Disabled (§12.2.4, §12.10.2). This one-way latch is why a single HTTP/1.0 hop or client is enough to lose connection reuse, which is bug 1 of §12.10.2.7: every request then pays for a new connection.`,
		},
		Goal: `Step to "transition keep_alive -> Disabled" and look at the request head that caused it; then add "Connection: keep-alive" to the second request and see both responses carry connection: keep-alive and the connection stay Idle (result running).`,
		Steps: []Mark{
			{"the first 1.0 request asked for keep-alive, and the response says so", `wire-out contains "connection: keep-alive"`},
			{"the second 1.0 request did not ask: keep_alive &= false", `transition keep_alive -> Disabled`},
			{"try_keep_alive closes instead of going idle", `transition reading -> Closed`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    },
    {
      "send": "GET / HTTP/1.0\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:    "connection-close",
		Title:   "Connection: close from the client",
		Section: "§12.2.4",
		Group:   "Start here",
		Docs:    "state.html#one-way",
		Hyper:   []string{"KA::bitand_assign", "Conn::poll_read_head", "Conn::write_body_and_end", "State::try_keep_alive", "Conn::poll_shutdown"},
		Summary: "A request with Connection: close disables keep-alive as soon as its head is parsed; the response says connection: close and the server closes after it.",
		Explain: [2]string{
			`Right after parsing the head, poll_read_head applies keep_alive &= msg.keep_alive, and the request's Connection: close makes that false: keep_alive goes from Busy to Disabled before the service has even run. The encoder then adds connection: close to hello's response. With keep-alive off, finishing the body moves Writing straight to Closed rather than KeepAlive, and try_keep_alive, seeing Reading at KeepAlive and Writing at Closed, closes the read side too. The dispatcher shuts its write side down, so the peer reads EOF after exactly one response, and the result is a clean close.`,
			`Deciding at the head rather than at the end lets hyper choose the right headers for the response and stop looking for further requests: once Disabled, the connection can never be reused (§12.2.4). try_keep_alive's mixed cases, one side at KeepAlive and the other Closed, always close, as §12.8.1 (try_keep_alive's four paths) shows, so a connection never lingers half-reusable.`,
		},
		Goal: `Step to "transition keep_alive -> Disabled" and note that no response byte has been written yet; then remove the Connection: close header and see the response lose its connection: close and the connection stay Idle, waiting for another request (result running).`,
		Steps: []Mark{
			{"the head is parsed: Connection: close disables keep-alive at once", `transition keep_alive -> Disabled`},
			{"the body ends and Writing goes straight to Closed", `transition writing -> Closed`},
			{"the response carries connection: close", `wire-out contains "connection: close"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:    "head-request",
		Title:   "HEAD: the headers without the body",
		Section: "§12.11.3",
		Group:   "Chapter 12 topics",
		Docs:    "writing.html#head",
		Hyper:   []string{"Conn::write_head", "role::Server::encode", "Dispatcher::poll_write", "State::idle"},
		Summary: "The service answers a HEAD request with a five-byte body; hyper sends the head with content-length: 5 and drops the body unwritten.",
		Explain: [2]string{
			`hello always returns the body hello. For a HEAD request the encoder writes the head as for a GET, 200 with content-length: 5, the length the body would have had, but picks a zero-length body encoder, so write_head moves Writing from Init directly to KeepAlive without passing through Body. When poll_write then meets the service's body with nothing more allowed on the wire, it logs "no more write body allowed" and drops it. The peer receives the head only; try_keep_alive makes the connection Idle and the client's FIN closes it cleanly.`,
			`A HEAD response must look like the GET response minus its body (RFC 9110 §9.3.2), and the only thing that tells the writer which case applies is the request's method, which the connection remembers per message (state.method, one of the per-message fields of §12.11.3) and idle() clears before the next request. Keeping that knowledge inside Conn means one service can answer GET and HEAD alike.`,
		},
		Goal: `Step to the "no more write body allowed" note and compare the content-length header with the bytes on the wire; then change HEAD to GET and see Writing pass through Body and the five bytes hello follow the head.`,
		Steps: []Mark{
			{"write_head picks a zero-length body: Writing goes from Init to KeepAlive", `transition writing -> KeepAlive`},
			{"poll_write drops the service's body unwritten", `note contains "no more write body allowed"`},
			{"the connection goes Idle after a head-only response", `transition keep_alive -> Idle`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "pipelining-2",
		Title:   "Pipelining: two requests in one read",
		Section: "§12.5.2",
		Group:   "Start here",
		Docs:    "poll-loop.html#loop",
		Hyper:   []string{"Dispatcher::poll_loop", "Conn::wants_read_again", "Conn::maybe_notify", "State::try_keep_alive"},
		Summary: "Both requests arrive in one read; after the first response maybe_notify sees the second head already buffered, so poll_loop goes round again instead of waiting for a wake-up.",
		Explain: [2]string{
			`The two GETs reach the server in a single read. Iteration 1 of poll_loop parses the first head, hello answers it and try_keep_alive returns the connection to Idle. Because unread bytes are still in the read buffer, maybe_notify sets notify_read; wants_read_again returns it (and clears it), so the loop runs iteration 2 in the same poll, parses the second head and answers it too. Both responses are written during one poll of the connection task. The client's FIN then closes the connection after 2 requests.`,
			`Without this flag the task would return Pending and wait for a wake-up that never comes: the socket has nothing new, the bytes are already in hyper's own buffer. wants_read_again is the cheap way to keep going only when there is something to read (§12.5.2, §12.9); a connection without pipelining pays nothing, since its loop ends after one iteration.`,
		},
		Goal: `Step through the first poll and watch notify_read turn true at the end of iteration 1, then iteration 2 begin; then send the two requests as two separate inputs and see each handled in iteration 1 of its own poll, with notify_read never set.`,
		Steps: []Mark{
			{"maybe_notify finds the next head already buffered", `transition notify_read -> true`},
			{"iteration 2 reads the second head without a wake-up", `transition keep_alive -> Busy`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "pipelining-17-yield",
		Title:   "Seventeen pipelined requests: the poll_loop budget and the yield",
		Section: "§12.5.1",
		Group:   "Chapter 12 topics",
		Docs:    "poll-loop.html#budget",
		Hyper:   []string{"Dispatcher::poll_loop", "Conn::wants_read_again", "task::yield_now"},
		Summary: "Seventeen pipelined GETs: poll_loop answers 16 in one poll, runs out of its 16-iteration budget and yields; the 17th is answered on the next poll.",
		Explain: [2]string{
			`All 17 requests arrive in one read. Each poll_loop iteration reads one head, writes one response and, since more bytes are buffered, asks through wants_read_again to go round again. After iteration 16 the loop has used its budget: instead of continuing it records a yield, wakes its own task and returns Pending, although request 17 is sitting in the buffer. The executor polls the task again at the next step, where iteration 1 of a fresh poll_loop reads the 17th head and answers it. The FIN then closes the connection after 17 requests.`,
			`The number 16 is arbitrary; the hyper source says it matches the pipeline depth benchmarks tend to use (§12.5.1). What matters is cooperative scheduling: a connection that always has more work must still let the other tasks on its executor run, so hyper caps the loop and calls yield_now instead of relying on the runtime to interrupt it.`,
		},
		Goal: `Run to "kind == yield" and count the responses already on the wire (16); step on to see the 17th answered after the yield; then delete one of the requests (16 in all) and see no yield at all.`,
		Steps: []Mark{
			{"iteration 16 ends with request 17 still buffered: poll_loop yields", `kind == yield`},
			{"the next poll starts again at iteration 1 and reads request 17", `transition keep_alive -> Busy && iter == 1`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	// --- bodies ---
	{
		Name:    "chunked-echo-trailers",
		Title:   "A chunked request body with an extension and a trailer",
		Section: "§12.6",
		Group:   "Chapter 12 topics",
		Docs:    "reading.html#body",
		Hyper:   []string{"Dispatcher::poll_read", "Conn::poll_read_body", "Sender::poll_ready", "Sender::try_send_trailers"},
		Summary: "A chunked POST with a chunk extension and a trailer field: the decoder hands echo two data frames and a trailers frame, and echo answers with the 11 data bytes.",
		Explain: [2]string{
			`The head says Transfer-Encoding: chunked, so Reading becomes Body with a chunked decoder. The decoder skips the ;ext=1 extension (RFC 9112 §7.1.1: unknown extensions are ignored) and poll_read passes hello and " world" into the body channel as two data frames, one per poll, as echo takes them. The zero-size last chunk is followed by a trailer section, X-Trailer: t; the decoder turns it into a trailers frame, logs "incoming body completed with trailers", and Reading reaches KeepAlive. echo treats the trailers frame as the end of the body and answers 200 with content-length: 11 and hello world: the trailer reached the service but is not part of the echo. The FIN closes the connection cleanly.`,
			`The channel between the connection and the service carries frames, not bytes: data frames and, at most once and at the end, a trailers frame (§12.6). poll_read only decodes the next frame when the service's side wants one (body.poll_ready), so the decoder stays at most one frame ahead of the service; trailers come as their own frame so that a service that cares about them (gRPC puts its status there) can read them.`,
		},
		Goal: `Step to the "incoming body completed with trailers" note and look at the body events before it (two data frames, then the trailers); then set transport.read_chunk to 1 so the bytes arrive one at a time, and see exactly the same response.`,
		Steps: []Mark{
			{"the head selects the chunked decoder: Reading is Body", `transition reading -> Body`},
			{"the last chunk and the trailer end the body", `note contains "completed with trailers"`},
			{"echo answers with the data only", `wire-out contains "hello world"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "stream-chunked-response",
		Title:   "Streaming a response of unknown length",
		Section: "§12.7.1 (poll_write's three chunk branches)",
		Group:   "Chapter 12 topics",
		Docs:    "writing.html#frames",
		Hyper:   []string{"Dispatcher::poll_write", "Conn::write_body", "Conn::end_body", "role::Server::encode"},
		Summary: "stream answers with three one-byte chunks and no length: the HTTP/1.1 request gets transfer-encoding: chunked and keeps the connection, the HTTP/1.0 one gets a body that ends when the connection closes.",
		Explain: [2]string{
			`For the first request (HTTP/1.1) the service's body has no known length, so the encoder picks transfer-encoding: chunked. poll_write takes the frames a, b and c as they come and writes each as a chunk; when the body reports its end, end_body writes the zero-size last chunk, Writing reaches KeepAlive and the connection goes Idle. The second request is HTTP/1.0 without Connection: keep-alive, so keep_alive is Disabled as soon as its head is parsed, and HTTP/1.0 has no chunked coding anyway: the encoder writes the head with no length at all and the bytes abc follow unframed. end_body moves Writing to Closed and the server closes, which is what tells the client the body is complete.`,
			`The framing is chosen once, when the head is written, from the body's size hint and the request's version, so a service can stream without caring which HTTP version it is talking to (§12.7.1 (poll_write's three chunk branches)). While streaming, poll_write never writes an empty data frame as a chunk, because a zero-size chunk means the end of the body, and when the body knows a frame is its last it writes the data and the terminator together (write_body_and_end).`,
		},
		Goal: `Step through the first response and match each one-byte chunk on the wire to a frame of the body; then make the second request HTTP/1.1 (with a Host header) and see it answered chunked as well, with the connection left Idle.`,
		Steps: []Mark{
			{"no length known on HTTP/1.1: the head says transfer-encoding: chunked", `wire-out contains "transfer-encoding: chunked"`},
			{"end_body writes the last chunk", `transition writing -> KeepAlive`},
			{"the HTTP/1.0 request cannot keep the connection", `transition keep_alive -> Disabled`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "stream",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "send": "GET / HTTP/1.0\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:    "expect-continue-echo",
		Title:   "Expect: 100-continue, and the service reads the body",
		Section: "§12.2.2",
		Group:   "Start here",
		Docs:    "reading.html#want",
		Hyper:   []string{"Conn::poll_read_head", "Conn::poll_read_body", "Dispatcher::poll_read", "Sender::poll_ready"},
		Summary: "The client asks before sending its body; hyper writes 100 Continue only once echo polls the body, then reads the body and echoes it.",
		Explain: [2]string{
			`The head carries Expect: 100-continue and Content-Length: 5, so Reading becomes Continue instead of Body and nothing is written yet. When poll_write polls the service for its response, echo polls its request body, and that marks the body channel as wanting data. The want wakes the connection: poll_read_body sees Reading::Continue, writes HTTP/1.1 100 Continue ("automatically sending 100 Continue") and moves to Body. Only then does the person send hello; the decoder reads it, Reading goes to KeepAlive and echo answers 200 with hello. Both the interim and the final response are on the wire, and the FIN closes the connection cleanly.`,
			`100 Continue is a promise that the server wants the body. hyper does not make it when the head arrives but when the service actually asks for body data (the want signal of the body channel; Reading::Continue in §12.2.2), so a service that answers without reading never triggers it, as the next scenario shows. The interim response is written by the connection itself, into its own output buffer, not by the service.`,
		},
		Goal: `Step to "transition reading -> Continue" and check that nothing has been written yet; step on to the 100 Continue note; then remove the Expect header and see the body read with no interim response at all.`,
		Steps: []Mark{
			{"Expect: 100-continue: Reading is Continue and nothing is written", `transition reading -> Continue`},
			{"echo polls its body: poll_read_body writes 100 Continue", `note contains "100 Continue"`},
			{"the final response follows the body", `wire-out contains "HTTP/1.1 200"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
    },
    {
      "send": "hello"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "expect-continue-ignored",
		Title:   "Expect: 100-continue, and the service ignores the body",
		Section: "§12.10.2.5",
		Group:   "Chapter 12 topics",
		Docs:    "reading.html#try",
		Hyper:   []string{"Dispatcher::poll_read", "Conn::poll_drain_or_close_read", "Conn::close_read", "State::try_keep_alive"},
		Summary: "ignore-body answers without touching the body, so hyper never sends 100 Continue; it tries one read to drain the body, finds nothing, and closes after the response.",
		Explain: [2]string{
			`The head with Expect: 100-continue puts Reading in Continue. ignore-body answers 200 ok at once and drops its request body without polling it; the response goes out in the same poll, with no 100 Continue before it. On the next poll_read, body.poll_ready reports the receiver gone: hyper logs "body receiver dropped before eof, draining or closing" and calls poll_drain_or_close_read, which moves Continue to Body without writing the interim response and tries one read. The client is, correctly, still waiting for 100 Continue, so there are no body bytes: Reading goes to Closed and keep-alive to Disabled, try_keep_alive closes the write side, and the hello the person types afterwards never reaches the server.`,
			`Skipping 100 Continue is a polite refusal: the client asked whether to send the body, the service showed it does not want it, so hyper does not invite it (§12.10.2.5). Without the invitation the body cannot be drained cheaply, and keeping the connection would mean waiting for bytes that may never come, so hyper gives up the connection instead.`,
		},
		Goal: `Step to the "draining or closing" note and check that no 100 Continue was written; then put the body hello in the same input as the head and see the drain succeed and the connection stay Idle (result running).`,
		Steps: []Mark{
			{"Reading is Continue; ignore-body answers without polling its body", `transition reading -> Continue`},
			{"the body receiver is gone: drain or close", `note contains "draining or closing"`},
			{"one read found no body: close_read", `transition reading -> Closed`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "ignore-body",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
    },
    {
      "send": "hello"
    }
  ]
}`,
	},
	{
		Name:    "dropped-body-drain",
		Title:   "A dropped body, drained: the connection survives",
		Section: "§12.10.2.5",
		Group:   "Chapter 12 topics",
		Docs:    "reading.html#drop",
		Hyper:   []string{"Dispatcher::poll_read", "Conn::poll_drain_or_close_read", "Conn::poll_read_body", "State::try_keep_alive"},
		Summary: "The service drops a small body that is already in the read buffer; one read finishes it, the body is drained, and the pipelined GET behind it is served on the same connection.",
		Explain: [2]string{
			`One input carries a POST with Expect: 100-continue and a 5-byte body, followed at once by a GET. ignore-body answers ok and drops its body unread. On the next poll_read, body.poll_ready reports the receiver gone and poll_drain_or_close_read runs: it moves Continue to Body without sending 100 Continue, and its single read decodes the five buffered bytes ("incoming body completed", then "body drained"). try_keep_alive makes the connection Idle and, with the GET already buffered, poll_read goes on to read it at once and a second ok is written. The FIN then closes the connection after 2 requests.`,
			`This is the early-drop path of §12.6.1: the service let go of the body before taking any of it, so hyper may either drain it (read and discard) or close. Draining keeps the connection reusable but costs reading the body, so hyper tries only once, with what is already at hand: draining a large or slow body could cost far more than a new connection (§12.10.2.5). Here the body was small and already buffered, so the cheap path worked.`,
		},
		Goal: `Step to the "body drained" note and see keep_alive return to Idle; then set transport.read_chunk to 1, so only one byte is at hand when the body is dropped, and see the drain turn into a close after one request.`,
		Steps: []Mark{
			{"the body receiver is gone: drain or close", `note contains "draining or closing"`},
			{"one read finished the body", `note contains "body drained"`},
			{"the pipelined GET is served on the same connection", `transition keep_alive -> Busy`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "ignore-body",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhelloGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "dropped-body-close",
		Title:   "A dropped body, closed: too much still to come",
		Section: "§12.6.1",
		Group:   "Chapter 12 topics",
		Docs:    "reading.html#drop",
		Hyper:   []string{"Dispatcher::poll_read", "Conn::poll_drain_or_close_read", "Conn::close_read", "State::try_keep_alive"},
		Summary: "The service drops a body that has not fully arrived; one read cannot finish it, so hyper closes the read side and the connection ends after the response.",
		Explain: [2]string{
			`The POST announces Content-Length: 10 but only hel arrives with the head. The connection passes those three bytes into the body channel; ignore-body answers ok and drops the body. On the next poll_read the dropped receiver is noticed ("draining or closing"); poll_drain_or_close_read tries one read, gets nothing more, and closes the read side: Reading goes from Body to Closed and keep-alive to Disabled. Once the response is flushed, try_keep_alive closes the write side as well and the server closes, so the rest of the body and the GET typed after it are never read.`,
			`Whether a dropped body ends in a drain or a close depends only on what is at hand when the drop is noticed (§12.6.1, §12.10.2.5): hyper reads once and, if the body is still incomplete, gives up the connection rather than wait an unknown time for bytes nobody wants. The cost is one connection; the gain is that a slow or hostile client cannot keep a server connection busy with a body the service has already refused.`,
		},
		Goal: `Step to "transition reading -> Closed" and look at how much of the body is still missing; then send the whole body and the GET in the first input and see the body drained and the GET answered on the same connection.`,
		Steps: []Mark{
			{"the body receiver is gone with 7 bytes still to come", `note contains "draining or closing"`},
			{"one read was not enough: close_read", `transition reading -> Closed`},
			{"keep-alive is off for good", `transition keep_alive -> Disabled`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "ignore-body",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel"
    },
    {
      "send": "lo, worldGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:    "dropped-body-unsent",
		Title:   "A dropped body that has not arrived: the drop itself wakes the connection",
		Section: "§12.6.1",
		Group:   "Chapter 12 topics",
		Docs:    "reading.html#try",
		Hyper:   []string{"Dispatcher::poll_read", "Sender::poll_ready", "watch::Receiver::load", "Conn::poll_drain_or_close_read", "State::try_keep_alive"},
		Summary: "A POST announces five bytes and sends none; ignore-body answers ok, and the body it drops wakes the connection through the want signal, which closes after the response instead of waiting for the body.",
		Explain: [2]string{
			`Only the head arrives: Reading goes to Body, and poll_read asks the body channel whether it may send (Sender::poll_ready), which is Ready, then tries to read body bytes and finds none, so it waits on the socket. In the same poll, poll_write polls the service: ignore-body keeps the request (as an async fn handle(req) does) and completes at once with ok, so the engine drops the request body with its future ("request body dropped: service future completed") and the response is written. The drop sets the want signal to CLOSED and wakes the connection, which is still waiting for body bytes, not for want. On the next poll, poll_ready reports the receiver gone: "body receiver dropped before eof, draining or closing"; the one read of poll_drain_or_close_read finds nothing, Reading goes to Closed and keep-alive to Disabled, and the connection closes after the response. hello and the GET typed afterwards are never read.`,
			`This works because hyper's want signal is a watch whose receiver, the connection's Sender, registers its waker on every poll_ready, Ready or not (watch::Receiver::load), and the service's Incoming sends CLOSED when it is dropped (§12.6.1). So a body dropped while the connection waits on the socket wakes it at once: it does not need a body byte, which may never come, to learn that nobody wants the body. Without that registration the connection would sleep until the client sent more, and then still have to decide between draining and closing.`,
		},
		Goal: `Step to the body drop event and see the connection woken by the want signal ("body channel want"); then put hello in the first input, with the head: the body is read before the service answers, the drop changes nothing, and the GET is served on the same connection (result running, 2 requests).`,
		Steps: []Mark{
			{"the head is read; the body has not arrived", `transition reading Init -> Body`},
			{"the service's future completes: its request body is dropped", `kind == body && detail contains "service future completed"`},
			{"the want signal woke the connection: drain or close", `note contains "draining or closing"`},
			{"nothing to drain: close_read, keep-alive off", `transition keep_alive -> Disabled`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "ignore-body",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
    },
    {
      "send": "hello"
    },
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:    "service-error",
		Title:   "The service fails",
		Section: "§12.8.1 (errors: poll_catch)",
		Group:   "Chapter 12 topics",
		Docs:    "errors.html#catch",
		Hyper:   []string{"Server::recv_msg", "Server::poll_msg", "Dispatcher::poll_catch"},
		Summary: "The service future returns an error: no response is written and the connection ends with a user error.",
		Explain: [2]string{
			`The GET is parsed and handed to the service: recv_msg calls it and keeps its future in in_flight. When poll_write asks for the response through poll_msg, the future fails instead of returning one. The error leaves the poll loop, poll_catch passes it on (there is no request body to notify here) and the connection future ends with an error of kind user. Nothing was written: the client sees the connection close without any response, and Writing is still Init.`,
			`hyper does not make up a 500 for a failed service. A connection that owes the client a response it cannot produce has no clean way to continue, so it ends, and poll_catch makes sure the failure is not lost on the way: it goes to a streaming request body if there is one and is returned from the connection future, where the server's accept loop can log it: §12.8.1 (errors: poll_catch) and §12.4.2.`,
		},
		Goal: `Step to "kind == error" and check the outgoing wire (empty) and the Conn state (Writing still Init); then change the handler to hello and see the same request answered and the connection kept Idle.`,
		Steps: []Mark{
			{"the request is handed to the service (in_flight)", `kind == queue && name == "in_flight set"`},
			{"the service future fails: poll_catch ends the connection", `kind == error`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "error",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    }
  ]
}`,
	},
	// --- bad and dangerous input ---
	{
		Name:     "smuggling-cl-te",
		Title:    "Request smuggling: Content-Length and Transfer-Encoding together",
		Section:  "RFC 9112 §6.3",
		Group:    "Faults and attacks",
		Docs:     "errors.html#bad-requests",
		Symptoms: "request smuggling, desync, a request hidden behind another",
		Hyper:    []string{"role::Server::parse", "KA::bitand_assign", "Conn::poll_read_body", "State::try_keep_alive"},
		Summary:  "A POST with both Content-Length: 3 and Transfer-Encoding: chunked: hyper frames the body by the chunked coding, answers once and closes, so the request hidden behind it is never served.",
		Explain: [2]string{
			`The body is framed twice: Content-Length claims 3 bytes, the chunked coding says 5 (hello) and then a last chunk. hyper's parser lets Transfer-Encoding win and removes the Content-Length header from the request, and because the combination is the classic smuggling pattern it also marks the message as not keep-alive: keep_alive goes to Disabled right at the head. The chunked decoder reads hello and the last chunk, echo answers hello with connection: close, and the server closes. The GET that follows in the same bytes is never parsed (requests seen: 1). A proxy in front that trusted Content-Length would disagree with hyper about where the POST ends, and that disagreement is the attack, so hyper reads nothing more from this connection.`,
			`RFC 9112 §6.3 says Transfer-Encoding overrides Content-Length, and RFC 9112 §6.1 adds that a server that processes such a request must close the connection after responding. hyper does both: it frames by the chunked coding and disables keep-alive with the same one-way &= that an HTTP/1.0 request uses (§12.2.4), so whatever bytes follow the first request can never be taken for a second one.`,
		},
		Goal: `Step to "transition keep_alive -> Disabled" (it happens at the head, before any body byte is read); then remove the Content-Length header and see keep-alive stay on and the GET behind the POST answered as a second request.`,
		Steps: []Mark{
			{"both framings present: keep-alive is disabled at the head", `transition keep_alive -> Disabled`},
			{"the chunked decoder, not Content-Length, ends the body", `note contains "incoming body completed"`},
			{"one answer, then close", `wire-out contains "connection: close"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:     "conflicting-content-length",
		Title:    "Two different Content-Length values",
		Section:  "RFC 9112 §6.3",
		Group:    "Faults and attacks",
		Docs:     "errors.html#bad-requests",
		Symptoms: "request smuggling, desync",
		Hyper:    []string{"role::Server::parse", "Conn::on_parse_error", "Dispatcher::poll_catch"},
		Summary:  "Content-Length: 3 and Content-Length: 4 in one request: the body length cannot be known, so hyper answers 400 Bad Request and closes without calling the service.",
		Explain: [2]string{
			`While the head is parsed, the second Content-Length disagrees with the first. The parser fails with an invalid content-length error; the connection turns the parse error into an automatic response, 400 Bad Request with connection: close and an empty body, written by the connection itself, and Reading, Writing and keep-alive all end Closed or Disabled. The service never runs (requests seen: 0) and the connection ends with a parse error (content-length-invalid).`,
			`With two lengths the server cannot know where the body ends, and so where the next request begins; guessing is exactly what request smuggling exploits. RFC 9110 §8.6 requires rejecting differing values, and RFC 9112 §6.3 makes invalid framing an unrecoverable error answered with 400 and a closed connection. Identical duplicates are another matter: two Content-Length: 4 fields agree, and hyper accepts them.`,
		},
		Goal: `Step to "kind == error" and read the parse note before it; then make both values 4 and see the request accepted and echoed.`,
		Steps: []Mark{
			{"the parser rejects the second Content-Length", `note contains "invalid content-length"`},
			{"the connection writes the 400 itself", `wire-out contains "400 Bad Request"`},
			{"the parse error ends the connection", `kind == error`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
    }
  ]
}`,
	},
	{
		Name:    "bad-request-400",
		Title:   "400 Bad Request: a header line without a colon",
		Section: "§12.8.1 (errors: poll_catch)",
		Group:   "Faults and attacks",
		Docs:    "errors.html#bad-requests",
		Hyper:   []string{"role::Server::parse", "Conn::on_parse_error", "Dispatcher::poll_catch"},
		Summary: "A header line without a colon cannot be parsed: hyper answers 400 Bad Request by itself and closes.",
		Explain: [2]string{
			`"Host x" has no colon, so the parser gives up on the head with "invalid HTTP header parsed". The connection writes an automatic HTTP/1.1 400 Bad Request with connection: close and content-length: 0, without calling the service, then Reading, Writing and keep-alive end Closed or Disabled and the connection ends with a parse error (header-token).`,
			`A server that cannot parse a head cannot know where the message ends, so it cannot go on reading the connection; the best it can do is say why and close. In hyper the path is short: the parse error comes back from poll_read_head, the connection writes the matching status (400 here; 414 and 431 for the limits in the next two scenarios) and poll_catch passes the error on, so the connection future ends with it: the error path of §12.8.1 (errors: poll_catch).`,
		},
		Goal: `Step to the parse note and look at the bytes read so far; then put the colon back ("Host: x") and see a normal 200 with the connection kept Idle.`,
		Steps: []Mark{
			{"the parser rejects the header line", `note contains "400 Bad Request"`},
			{"the parse error ends the connection", `kind == error`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost x\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:    "uri-too-long-414",
		Title:   "414 URI Too Long",
		Section: "§12.8.1 (errors: poll_catch)",
		Group:   "Faults and attacks",
		Docs:    "errors.html#bad-requests",
		Hyper:   []string{"role::Server::parse", "Conn::on_parse_error", "Dispatcher::poll_catch"},
		Summary: "A request target of 65 536 bytes: hyper stops at its limit of 65 534 and answers 414 URI Too Long without calling the service.",
		Explain: [2]string{
			`The whole head fits in the read buffer, but once the request line is parsed its target, 65 536 bytes long, is checked against hyper's limit of 65 534 bytes (u16::MAX - 1) and rejected. The connection answers 414 URI Too Long with connection: close and content-length: 0; the service is never called, and the connection ends with a parse error (uri-too-long).`,
			`The limit matches what the http crate's Uri type can hold, and a request line that long is almost always an attack or a bug. A distinct status, rather than a plain 400, tells the client exactly what to fix. Like every parse error it is answered by the connection itself, which then closes, since nothing after a rejected head can be trusted: the error path of §12.8.1 (errors: poll_catch).`,
		},
		Goal: `Step to the parse note; then shorten the path to a few characters and see the request served.`,
		Steps: []Mark{
			{"the request target is over the limit", `note contains "URI too long"`},
			{"the connection writes the 414 itself", `wire-out contains "414 URI Too Long"`},
		},
		Session: SessionJSON(`{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "transport": {
    "capacity": 131072,
    "read_chunk": 0
  },
  "input": [
    {
      "send": "GET /` + runA65535 + ` HTTP/1.1\r\nHost: x\r\n\r\n"
    }
  ]
}`),
	},
	{
		Name:    "header-fields-too-large-431",
		Title:   "431 Request Header Fields Too Large",
		Section: "§12.8.1 (errors: poll_catch)",
		Group:   "Faults and attacks",
		Docs:    "errors.html#bad-requests",
		Hyper:   []string{"role::Server::parse", "Conn::on_parse_error", "Dispatcher::poll_catch"},
		Summary: "A request with 101 header fields: the parser has room for 100, so the head counts as too large and gets 431 Request Header Fields Too Large.",
		Explain: [2]string{
			`The head lists X-H0 to X-H100, one field more than the 100 the parser accepts. Parsing fails with "message head is too large", the same error hyper uses when a head outgrows the read buffer's limit (max_buf_size), and the connection answers with an automatic 431 Request Header Fields Too Large and connection: close, then closes. The service never runs.`,
			`Capping the number of fields and the size of the head bounds the memory one request can make the server hold before any service sees it. Both limits lead to the same status, 431, because for the client the remedy is the same: send a smaller head. The error path is the one every parse error takes, that of §12.8.1 (errors: poll_catch).`,
		},
		Goal: `Step to the 431 note; then delete the last header line (X-H100) so exactly 100 fields remain, and see the request served.`,
		Steps: []Mark{
			{"the 101st field is one too many", `note contains "431"`},
			{"the connection writes the 431 itself", `wire-out contains "431 Request Header Fields Too Large"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nX-H0: v\r\nX-H1: v\r\nX-H2: v\r\nX-H3: v\r\nX-H4: v\r\nX-H5: v\r\nX-H6: v\r\nX-H7: v\r\nX-H8: v\r\nX-H9: v\r\nX-H10: v\r\nX-H11: v\r\nX-H12: v\r\nX-H13: v\r\nX-H14: v\r\nX-H15: v\r\nX-H16: v\r\nX-H17: v\r\nX-H18: v\r\nX-H19: v\r\nX-H20: v\r\nX-H21: v\r\nX-H22: v\r\nX-H23: v\r\nX-H24: v\r\nX-H25: v\r\nX-H26: v\r\nX-H27: v\r\nX-H28: v\r\nX-H29: v\r\nX-H30: v\r\nX-H31: v\r\nX-H32: v\r\nX-H33: v\r\nX-H34: v\r\nX-H35: v\r\nX-H36: v\r\nX-H37: v\r\nX-H38: v\r\nX-H39: v\r\nX-H40: v\r\nX-H41: v\r\nX-H42: v\r\nX-H43: v\r\nX-H44: v\r\nX-H45: v\r\nX-H46: v\r\nX-H47: v\r\nX-H48: v\r\nX-H49: v\r\nX-H50: v\r\nX-H51: v\r\nX-H52: v\r\nX-H53: v\r\nX-H54: v\r\nX-H55: v\r\nX-H56: v\r\nX-H57: v\r\nX-H58: v\r\nX-H59: v\r\nX-H60: v\r\nX-H61: v\r\nX-H62: v\r\nX-H63: v\r\nX-H64: v\r\nX-H65: v\r\nX-H66: v\r\nX-H67: v\r\nX-H68: v\r\nX-H69: v\r\nX-H70: v\r\nX-H71: v\r\nX-H72: v\r\nX-H73: v\r\nX-H74: v\r\nX-H75: v\r\nX-H76: v\r\nX-H77: v\r\nX-H78: v\r\nX-H79: v\r\nX-H80: v\r\nX-H81: v\r\nX-H82: v\r\nX-H83: v\r\nX-H84: v\r\nX-H85: v\r\nX-H86: v\r\nX-H87: v\r\nX-H88: v\r\nX-H89: v\r\nX-H90: v\r\nX-H91: v\r\nX-H92: v\r\nX-H93: v\r\nX-H94: v\r\nX-H95: v\r\nX-H96: v\r\nX-H97: v\r\nX-H98: v\r\nX-H99: v\r\nX-H100: v\r\n\r\n"
    }
  ]
}`,
	},
	// --- leaving HTTP ---
	{
		Name:    "upgrade-echo-leftover",
		Title:   "Upgrade with bytes already behind the head",
		Section: "§12.8.2",
		Group:   "Chapter 12 topics",
		Docs:    "errors.html#upgrade",
		Hyper:   []string{"Conn::pending_upgrade", "Dispatched::Upgrade", "UpgradeableConnection::poll", "hyper::upgrade::on"},
		Summary: "The client asks to switch to a made-up echo protocol and sends protocol bytes right behind the request; the 101 response hands the transport and those leftover bytes to the echo task.",
		Explain: [2]string{
			`The GET carries Connection: upgrade and Upgrade: echo, followed in the same input by "already here;". upgrade-echo answers 101 Switching Protocols with upgrade: echo. A 101 ends HTTP on this connection: Writing goes to Closed, try_keep_alive closes Reading, and the dispatcher, finding the connection done with an upgrade pending, returns Dispatched::Upgrade. The upgrade event shows the handoff: the transport, together with the bytes already read past the head, goes to the echo task, which sends "already here;" back first, then echoes " later" when it arrives, and stops at the client's FIN. The result is upgraded.`,
			`hyper reads from the socket in large pieces, so when a head is parsed its buffer may already hold the start of whatever comes next. After an upgrade those bytes belong to the new protocol, not to HTTP; hyper hands them over with the IO (the Upgraded IO replays them before reading the socket again), because losing them would silently corrupt the new protocol's first message (§12.8.2).`,
		},
		Goal: `Step to "kind == upgrade" and read its leftover bytes; then delete the Upgrade header and see a plain 400 instead: the bytes after the head are then read as the start of another request, which the FIN cuts off (an incomplete-message error).`,
		Steps: []Mark{
			{"the 101 goes out", `wire-out contains "101 Switching Protocols"`},
			{"Dispatched::Upgrade: the transport and the leftover bytes change hands", `kind == upgrade`},
			{"the echo task answers with the leftover bytes first", `wire-out contains "already here; later"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "upgrade-echo",
  "input": [
    {
      "send": "GET /chat HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nalready here;"
    },
    {
      "send": " later"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	{
		Name:    "websocket-echo",
		Title:   "WebSocket echo after an upgrade",
		Section: "§12.8.2",
		Group:   "Chapter 12 topics",
		Docs:    "errors.html#upgrade",
		Hyper:   []string{"Conn::pending_upgrade", "Dispatched::Upgrade", "UpgradeableConnection::poll", "hyper::upgrade::on"},
		Summary: "A real WebSocket handshake (RFC 6455): 101 with Sec-WebSocket-Accept, then the echo task answers a text message, a ping, a fragmented binary message and the close handshake.",
		Explain: [2]string{
			`The handshake carries Upgrade: websocket, a Sec-WebSocket-Key and version 13; the service answers 101 with the matching sec-websocket-accept, and a masked text frame, hello, that came in the same input travels with the upgraded IO as leftover bytes. From then on HTTP is out of the picture and the frame events show the WebSocket task at work: it echoes hello as an unmasked text frame; answers the ping "are you there?" with a pong, although the ping arrives between the two fragments of a binary message; joins the fragments into one 5-byte binary message and echoes it; and answers the client's close frame (code 1000) with its own. The HTTP connection's result is upgraded.`,
			`Everything hyper does for WebSocket ends with the 101: the dispatcher hands the transport over with Dispatched::Upgrade and stops reading and writing it (§12.8.2). Framing, masking, ping and pong and the close handshake belong to the new protocol; in Rust that is a crate such as tokio-tungstenite running on the Upgraded IO, here it is the engine's upgrade-ws task on the same executor.`,
		},
		Goal: `Step to "kind == upgrade", then through the frame events, matching each to a frame on the wire; then send the same handshake with Sec-WebSocket-Version: 8 and see it refused with a 400 that names the supported version, and no upgrade.`,
		Steps: []Mark{
			{"101 with the accept key", `wire-out contains "sec-websocket-accept"`},
			{"the upgrade: the masked hello travels as leftover bytes", `kind == upgrade`},
			{"the WebSocket task decodes its first frame", `kind == frame`},
			{"the ping is answered with a pong", `wire-out contains "are you there?"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "upgrade-ws",
  "input": [
    {
      "send_b64": "R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiBleGFtcGxlLmNvbQ0KVXBncmFkZTogd2Vic29ja2V0DQpDb25uZWN0aW9uOiBVcGdyYWRlDQpTZWMtV2ViU29ja2V0LUtleTogZEdobElITmhiWEJzWlNCdWIyNWpaUT09DQpTZWMtV2ViU29ja2V0LVZlcnNpb246IDEzDQoNCoGFN/ohPV+fTVFY"
    },
    {
      "send_b64": "AoMBAgMEAAAAiY6gsMDQwcKl8NnftfDU2KWixY+AghEiM0QVJw=="
    },
    {
      "send_b64": "iIJVZneIVo4="
    }
  ]
}`,
	},
	{
		Name:    "connect-tunnel",
		Title:   "CONNECT: a tunnel after a 200",
		Section: "§12.8.2",
		Group:   "Chapter 12 topics",
		Docs:    "errors.html#upgrade",
		Hyper:   []string{"Conn::pending_upgrade", "Dispatched::Upgrade", "hyper::upgrade::on"},
		Summary: "A CONNECT request answered with 200 becomes a tunnel: the connection is handed over and raw bytes, including those sent with the request, are echoed.",
		Explain: [2]string{
			`CONNECT example.com:443 asks the server to become a tunnel. The service answers 200 with no body (a 2xx to CONNECT has none) and starts a tunnel task. For hyper a successful CONNECT is an upgrade: after the head is written Writing is Closed, Reading follows, and the dispatcher hands the transport over. "hello tunnel", which the client sent right behind the request, is the leftover carried with the IO, and the tunnel echoes it back. The client's FIN ends the tunnel; the HTTP connection's result is upgraded.`,
			`CONNECT is how HTTP proxies carry TLS: after the 200 the bytes are no longer HTTP. hyper treats it like a 101 upgrade, requested by the method alone and granted by any 2xx response, so the same pending_upgrade and Dispatched::Upgrade path serves both (§12.8.2).`,
		},
		Goal: `Step to "kind == upgrade" and find "hello tunnel" among the leftover bytes; then change the request line to "GET / HTTP/1.1" and see 405 instead: with no tunnel, "hello tunnel" is read as the start of another request and the FIN cuts it off (an incomplete-message error).`,
		Steps: []Mark{
			{"200 to CONNECT: the tunnel is granted", `wire-out contains "HTTP/1.1 200 OK"`},
			{"the transport and \"hello tunnel\" go to the tunnel task", `kind == upgrade`},
			{"the tunnel echoes the leftover bytes", `wire-out contains "hello tunnel"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "connect-tunnel",
  "input": [
    {
      "send": "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nhello tunnel"
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
	// --- timers and half-close ---
	{
		Name:     "slowloris-header-timeout",
		Title:    "Slowloris: a head trickled out until the header-read timeout fires",
		Section:  "§12.10.1",
		Group:    "Faults and attacks",
		Docs:     "header-timeout.html#race",
		Symptoms: "production bug 3: one address with a hundred slow connections takes the server down (denial of service); connections that never finish their head",
		Hyper:    []string{"Conn::poll_read_head", "http1::Builder::header_read_timeout", "Dispatcher::poll_catch"},
		Summary:  "A client trickles its head out over 1.2 seconds; with header_read_timeout at 1000 ms the timer armed when the head was first awaited fires first, and the connection is closed.",
		Explain: [2]string{
			`header_read_timeout_ms is 1000. As soon as poll_read_head starts waiting for a head it arms the timer, deadline 1000 ms from the start. The client sends "GET / HT", waits 400 ms, sends the rest of the request line, waits 400 ms, sends a Host line and waits 400 ms more: each fragment is read, none completes the head, and the deadline does not move. When the virtual clock passes 1000 ms the timer fires; on the next poll, poll_read_head, still Pending on the socket, finds it ready and fails with "read header from client timeout". The connection closes having answered nothing, and the client's last fragment is never delivered. This is also bug 3 of §12.10.2.7.`,
			`A slowloris attacker opens many connections and keeps each one alive by sending a little of a head now and then, so no request ever reaches a service that could time it out. hyper's defence is opt-in: with http1_header_read_timeout, poll_read_head runs one timer per head and races it against the socket (§12.10.1); only a complete head stops it. Without the option nothing ever closes such a connection.`,
		},
		Goal: `Step to the timer firing and note the clock: 1000 ms after the start, although bytes kept arriving; then remove header_read_timeout_ms and see the connection wait for the rest of the head forever (result running), which is the production bug.`,
		Steps: []Mark{
			{"poll_read_head arms the timer as it starts waiting for a head", `kind == timer && name == arm`},
			{"the clock passes the deadline with the head still incomplete", `kind == timer && name == fire`},
			{"poll_read_head fails with the header timeout", `error contains "timeout"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "server_options": {
    "header_read_timeout_ms": 1000
  },
  "input": [
    {
      "send": "GET / HT"
    },
    {
      "wait_ms": 400
    },
    {
      "send": "TP/1.1\r\n"
    },
    {
      "wait_ms": 400
    },
    {
      "send": "Host: x\r\n"
    },
    {
      "wait_ms": 400
    },
    {
      "send": "X-Slow: 1\r\n"
    }
  ]
}`,
	},
	{
		Name:    "header-timeout-rearmed",
		Title:   "The header-read timeout after keep-alive",
		Section: "§12.10.1",
		Group:   "Chapter 12 topics",
		Docs:    "header-timeout.html#rearm",
		Hyper:   []string{"State::idle", "Conn::poll_read_head", "Conn::wants_read_again"},
		Summary: "After the first response the idle connection re-arms the header timer at once; the second head, begun 900 ms later and unfinished 200 ms after that, is cut off 1000 ms after the connection went idle.",
		Explain: [2]string{
			`The first GET arrives 500 ms in, well inside its 1000 ms window, and reading its head clears the timer. When the response is done, idle() resets the connection and, because a header timeout is set, also sets notify_read, so poll_loop goes round once more and poll_read_head arms a fresh timer for the next head right away: deadline 1500 ms. The client waits 900 ms (to 1400 ms), sends only the request line of a second GET and waits 200 ms more. At 1500 ms the timer fires, although the second request began only 100 ms earlier; the connection is polled when the client's 200 ms wait ends, at 1600 ms, and poll_read_head fails with the header timeout. The connection closes after answering one request.`,
			`The timeout bounds an idle keep-alive connection as much as a slow head: armed the moment the connection becomes idle, it limits how long a connection may sit without a complete request, not just how long one head may take once begun. That is why idle() sets notify_read for a server with a header timeout, a detail of §12.8.1 (try_keep_alive's four paths): without that extra iteration nobody would start the timer until the next byte arrived, and the race of §12.10.1 would only begin with the next head's first byte.`,
		},
		Goal: `Step to the second arming of the timer and compare its deadline with the time the first response went out; then shorten the 900 ms wait to 700 ms and see the second head still inside its window (result running).`,
		Steps: []Mark{
			{"the first head's timer is armed", `kind == timer && name == arm`},
			{"idle() sets notify_read so the next head's timer starts at once", `transition notify_read -> true`},
			{"the timer for the second head is armed, counting from now", `kind == timer && name == arm && requests == 1`},
			{"1000 ms after going idle the timer fires", `kind == timer && name == fire`},
			{"poll_read_head fails with the header timeout", `error contains "timeout"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "server_options": {
    "header_read_timeout_ms": 1000
  },
  "input": [
    {
      "wait_ms": 500
    },
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "wait_ms": 900
    },
    {
      "send": "GET /2 HTTP/1.1\r\n"
    },
    {
      "wait_ms": 200
    }
  ]
}`,
	},
	{
		Name:    "half-close-allowed",
		Title:   "Half-close allowed: the client stops sending, the answer still arrives",
		Section: "§12.9.1",
		Group:   "Chapter 12 topics",
		Docs:    "idle.html#half-close",
		Hyper:   []string{"Conn::poll_read_keep_alive", "Conn::mid_message_detect_eof", "http1::Builder::half_close", "Conn::maybe_notify"},
		Summary: "With half_close on, a client FIN while the service is still working is not an error: the response is written, then the connection closes.",
		Explain: [2]string{
			`The GET is read and the delay service starts a 100 ms sleep. The client then shuts down its write side. With half_close enabled, the mid-message branch of poll_read_keep_alive (mid_message_detect_eof) does not look at the socket while a message is in progress, so the FIN goes unnoticed for now. At 100 ms the service answers late; the response is written, try_keep_alive makes the connection Idle, and maybe_notify then reads the socket and finds the EOF ("maybe_notify; read eof"). Reading and Writing go to Closed and the server closes after one request, cleanly.`,
			`A FIN only says that the client has nothing more to send; some clients send their request and shut down writing while still waiting for the answer. allow_half_close tells hyper to trust that (§12.9.1). It is off by default because most clients that close in the middle of a request have simply gone away, and answering them is wasted work, as the next scenario shows.`,
		},
		Goal: `Step to the timer firing and check that Reading is still KeepAlive although the FIN arrived long before; then set half_close to false and see the FIN noticed at once and the response never written.`,
		Steps: []Mark{
			{"the delay service starts sleeping", `kind == timer && name == arm`},
			{"100 ms later the service wakes; the FIN has not been read", `kind == timer && name == fire`},
			{"the response goes out", `wire-out contains "late"`},
			{"maybe_notify finds the EOF after the response", `note contains "read eof"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "delay",
  "server_options": {
    "half_close": true
  },
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    },
    {
      "wait_ms": 100
    }
  ]
}`,
	},
	{
		Name:    "half-close-not-allowed",
		Title:   "Half-close not allowed: a FIN mid-request ends the connection",
		Section: "§12.9.1",
		Group:   "Chapter 12 topics",
		Docs:    "idle.html#mid-message",
		Hyper:   []string{"Conn::poll_read_keep_alive", "Conn::mid_message_detect_eof", "Dispatcher::poll_catch"},
		Summary: "Without half_close, a client FIN while the service is still working is read at once as an incomplete message: the connection closes and the response is never written.",
		Explain: [2]string{
			`The same exchange as half-close-allowed, with the default settings. While delay sleeps, poll_read_keep_alive is in its mid-message branch and mid_message_detect_eof keeps a read pending on the socket. The client's FIN wakes it: the read returns EOF, hyper logs "found unexpected EOF on busy connection", Reading goes to Closed and keep-alive to Disabled, and the connection fails with an incomplete-message error. The service's timer still fires at 100 ms, but there is no connection left to answer on: the client receives nothing.`,
			`By default hyper takes a FIN in the middle of an exchange as the client giving up, and stops spending work on it; this is how a server notices early that nobody is waiting for the answer (§12.9.1). It is also the check bug 5 of §12.10.2.7 points to: a server that detects the peer's EOF closes at once instead of later writing into a dead connection.`,
		},
		Goal: `Step to the "unexpected EOF" note and look at the clock (the service has not answered yet); then set half_close to true and see the response delivered before the close.`,
		Steps: []Mark{
			{"the service sleeps while a read stays pending", `kind == timer && name == arm`},
			{"the FIN mid-message is an unexpected EOF", `note contains "unexpected EOF"`},
			{"the connection fails as incomplete", `kind == error`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "delay",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "shutdown": "write"
    },
    {
      "wait_ms": 100
    }
  ]
}`,
	},
	// --- transport faults ---
	{
		Name:     "fault-reset-mid-body",
		Title:    "Transport fault: a reset in the middle of a body",
		Section:  "§12.8.1 (errors: poll_catch)",
		Group:    "Faults and attacks",
		Docs:     "errors.html#catch",
		Symptoms: "connection reset by peer, ECONNRESET",
		Hyper:    []string{"Conn::poll_read_body", "Dispatcher::poll_read", "Dispatcher::poll_catch"},
		Summary:  "The peer resets the connection after 3 of 10 body bytes: the read fails with ECONNRESET, the error reaches echo through its body, and the connection ends without a response.",
		Explain: [2]string{
			`echo is reading a 10-byte body and has received abc when the transport is reset. The next read in poll_read_body fails with ECONNRESET: the decoder reports the error, Reading goes to Closed, and the error is sent into the body channel. echo, polling its body, gets the error and fails with it, so the connection ends with a user error (the service's) whose cause is the reset. Nothing is written back.`,
			`A body error has to reach the code that reads the body, or the service would wait forever for bytes that will never come. hyper sends IO errors met while reading a body into the body channel, and poll_catch does the same for errors raised elsewhere in the loop, as §12.8.1 (errors: poll_catch) describes, so the failure shows up wherever the user is waiting. Whether a reset matters depends on when it comes: in the middle of a message it cuts a request off; after the last response it is harmless (see bug-reset-on-keep-alive).`,
		},
		Goal: `Step to the decode-error note, then to "kind == error"; then replace the reset with a shutdown of the write side and see the same cut-off reported as an end of file before the body's length was reached.`,
		Steps: []Mark{
			{"the read fails with ECONNRESET in the middle of the body", `note contains "ECONNRESET"`},
			{"the service fails with the body error", `error contains "ECONNRESET"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "input": [
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"
    },
    {
      "fault": "reset"
    }
  ]
}`,
	},
	{
		Name:     "fault-stall-and-release",
		Title:    "Transport fault: the client stops reading, then resumes",
		Section:  "§12.7",
		Group:    "Faults and attacks",
		Docs:     "backpressure.html#writes",
		Symptoms: "a client that stops reading; the response hangs in the write buffer",
		Hyper:    []string{"Dispatcher::poll_write", "Dispatcher::poll_flush", "State::try_keep_alive"},
		Summary:  "With a 1024-byte pipe and a client that has stopped reading, echo's 3000-byte response fills the pipe and the connection waits; once the client reads again the rest flows and the connection goes Idle.",
		Explain: [2]string{
			`The transport holds 1024 bytes in each direction. The client stops reading, then uploads 3000 bytes; they cross the pipe 1024 at a time as the server reads them, and echo collects the whole body. The response, head plus 3000 bytes, is encoded in one go, but the first flush fits only 1024 bytes into the pipe and the next write is Pending: the task sleeps on the pipe's write end with Writing at KeepAlive and the rest in its buffer. When the client reads again each wake-up lets one more write through; after the last 6 bytes are flushed try_keep_alive makes the connection Idle, and the client's FIN closes it.`,
			`Backpressure in hyper is just Pending: poll_write and poll_flush push bytes until the IO cannot take more and the task is woken when it can (§12.7). The connection does not count the response as finished, and does not go idle, while bytes are still in its buffer; and nothing spins while it waits: the task is simply not polled until the pipe has room.`,
		},
		Goal: `Step to the first write that leaves bytes behind and look at what the task waits on (the pipe's write end); then remove the release-writes input and see the client's FIN arrive while the response is still stuck: the connection ends with an incomplete-message error and the client never gets the response.`,
		Steps: []Mark{
			{"the whole response is encoded; the flush that follows fits only 1024 bytes", `transition writing -> KeepAlive`},
			{"the client reads again: the last bytes flush and the connection goes Idle", `transition keep_alive -> Idle`},
		},
		Session: SessionJSON(`{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "transport": {
    "capacity": 1024,
    "read_chunk": 0
  },
  "input": [
    {
      "fault": "stall-writes"
    },
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n` + runX3000 + `"
    },
    {
      "fault": "release-writes"
    },
    {
      "shutdown": "write"
    }
  ]
}`),
	},
	// --- production bugs of §12.10.2.7 ---
	{
		Name:     "bug-keep-alive-disabled",
		Title:    "Keep-alive never happens: every request pays for a new connection",
		Section:  "§12.10.2.7",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug1",
		Symptoms: "production bug 1: every request opens a new TCP connection, CPU goes into handshakes, throughput stuck at a few hundred requests a second",
		Hyper:    []string{"KA::bitand_assign", "State::try_keep_alive", "role::Server::encode"},
		Summary:  "A service that always adds Connection: close turns every request into a new connection: of two pipelined requests only the first is answered before the server closes.",
		Explain: [2]string{
			`The client sends two requests at once on one connection. The close service answers the first with Connection: close among its own headers. hyper honours it when writing the response: Writing goes from Body to Closed instead of KeepAlive, try_keep_alive closes Reading, and keep-alive ends Disabled. The server then closes the connection; the second request, already in the read buffer, is never parsed (requests seen: 1), so a real client would have to open a new connection and send it again.`,
			`Bug 1 of §12.10.2.7: every request pays for a new TCP (and often TLS) handshake and throughput collapses. Because keep-alive is a one-way latch (§12.2.4), a single false anywhere is enough: an HTTP/1.0 hop, a Connection: close from either side, a server option. The way to find it is to step to the transition that disabled keep-alive and look at which message caused it.`,
		},
		Goal: `Step to "transition keep_alive -> Disabled" and see which side asked for the close (the response, not the request); then switch the handler to hello and see both requests answered on one connection.`,
		Steps: []Mark{
			{"the service's own response says connection: close", `wire-out contains "connection: close"`},
			{"try_keep_alive closes instead of going idle", `transition keep_alive -> Disabled`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "close",
  "input": [
    {
      "send": "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
    }
  ]
}`,
	},
	{
		Name:     "bug-big-upload-unread",
		Title:    "A big upload the service never reads: hyper closes instead of hanging",
		Section:  "§12.10.2.7",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug2",
		Symptoms: "production bug 2: a large upload and the server never answers (hang)",
		Hyper:    []string{"Dispatcher::poll_read", "Sender::poll_ready", "Conn::poll_drain_or_close_read", "Conn::close_read"},
		Summary:  "A 3000-byte upload through a 1024-byte pipe to a service that answers without reading: since the service dropped the body, hyper stops reading instead of hanging, answers and closes.",
		Explain: [2]string{
			`Only 1024 bytes fit in the pipe at a time, so the upload arrives in pieces. The first read brings the head and 968 body bytes; they go into the body channel, and ignore-body answers ok and drops the body unread. On the next poll_read the dropped receiver is noticed ("draining or closing"): poll_drain_or_close_read tries one read, another 1024 bytes, still not the whole body, and gives up with close_read. keep-alive is Disabled, the response is already out, and the server closes. 2048 of the 3056 bytes ever reached it; the rest is lost with the connection.`,
			`Bug 2 of §12.10.2.7 is the other outcome: a service that keeps the request body but never reads it. Then body.poll_ready stays Pending, poll_read stops taking bytes off the socket (§12.6.1), the transport fills, the uploading client blocks, and with no timeout configured both sides wait for good. Dropping the body, as ignore-body does, is what lets hyper move on: it drains a body that is cheap to finish and otherwise closes. A service that does want the upload has to read the body as it arrives.`,
		},
		Goal: `Step to the "draining or closing" note and compare the bytes read so far with the announced Content-Length; then raise transport.capacity to 65536 so the whole upload is already at hand, and see it drained instead and the connection kept Idle.`,
		Steps: []Mark{
			{"the service answered and dropped the body unread", `note contains "draining or closing"`},
			{"one more read is not the whole body: close_read", `transition reading -> Closed`},
		},
		Session: SessionJSON(`{
  "version": 1,
  "mode": "server",
  "handler": "ignore-body",
  "transport": {
    "capacity": 1024,
    "read_chunk": 0
  },
  "input": [
    {
      "send": "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n` + runX3000 + `"
    }
  ]
}`),
	},
	{
		Name:     "bug-big-upload-held",
		Title:    "A big upload hangs: the service holds the body without reading it",
		Section:  "§12.10.2.7",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug2",
		Symptoms: "production bug 2: a 30 GB upload and the server never answers; the upload hangs (backpressure, a full body channel)",
		Hyper:    []string{"Dispatcher::poll_read", "Sender::poll_ready", "Conn::poll_read_body"},
		Summary:  "An 8000-byte upload to a service that keeps the body but never reads it: the body channel fills, poll_read stops taking bytes, the 1024-byte pipe fills and the upload hangs for good.",
		Explain: [2]string{
			`The hold-body service takes the request body and then neither reads it nor drops it. The connection reads the head and sends the first body bytes it has into the body channel, which holds one chunk. Nobody takes that chunk, so the slot stays full: the want signal the Dispatcher panel shows as body_tx still reads Ready (without Expect: 100-continue a body is wanted from the start), but body.poll_ready also needs the slot to be empty and answers Pending from then on, so poll_read returns Pending without reading the socket again. The stall panel shows the hang: the server connection waits on the body channel's room, and only the service taking the chunk would wake it. The 1024-byte pipe from the client fills up and the rest of the upload cannot even be written; the session's result stays "running" with the service still working on POST /upload, and thirty virtual seconds later nothing has changed.`,
			`This is bug 2 of §12.10.2.7 as it happens: backpressure working exactly as designed (§12.6.1), from the body channel back to the client's socket, against a handler that forgot the body. Compare bug-big-upload-unread, where the service drops the body instead and hyper gets out by draining or closing. The cures are in the handler: read (or stream) the body it keeps, or drop it early; a request timeout in front of the service would at least free the connection.`,
		},
		Goal: `Step to the body channel's first send and see that no read follows it: body_tx, the want signal, stays Ready, but with the one slot full poll_ready stays Pending and the connection sleeps; then switch the handler to echo and see the whole upload flow through, 1024 bytes at a time.`,
		Steps: []Mark{
			{"the first chunk goes into the one-chunk body channel", `kind == body && name == "send"`},
		},
		Session: SessionJSON(`{
  "version": 1,
  "mode": "server",
  "handler": "hold-body",
  "transport": {
    "capacity": 1024,
    "read_chunk": 0
  },
  "input": [
    {
      "send": "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 8000\r\n\r\n` + runU8000 + `"
    },
    {
      "wait_ms": 30000
    }
  ]
}`),
	},
	{
		Name:     "bug-client-gone-mid-response",
		Title:    "The client disappears mid-response: no busy loop, the connection ends",
		Section:  "§12.10.2.7",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug4",
		Symptoms: "production bug 4: clients disconnect mid-response and the CPU goes to 100 % (busy loop) while error rates look normal",
		Hyper:    []string{"Dispatcher::poll_flush", "Conn::poll_read_keep_alive", "Conn::mid_message_detect_eof", "Dispatcher::poll_catch"},
		Summary:  "The client stops reading, then vanishes while a 3000-byte response is stuck behind a 1024-byte pipe: the connection notices the EOF, fails as incomplete and ends after 6 steps, without spinning.",
		Explain: [2]string{
			`As in fault-stall-and-release, echo's response fills the 1024-byte pipe and the rest waits in the write buffer while the client does not read. Then the client vanishes. The connection task is woken from both pipe ends; its next poll_read, in the mid-message branch of poll_read_keep_alive, reads EOF: "found unexpected EOF on busy connection". Reading goes to Closed, keep-alive to Disabled, and the connection ends with an incomplete-message error after 6 executor steps in all. The client received nothing.`,
			`Bug 4 of §12.10.2.7 is a server spinning at full CPU after clients leave mid-response, because failed writes and flushes did not end the connection. What prevents it: every IO failure or unexpected EOF becomes an error that ends the poll loop and the connection, as §12.8.1 (errors: poll_catch) describes, and a task that cannot progress returns Pending and is not polled again until something wakes it (§12.7). Count the polls here: each one either makes progress or ends the connection.`,
		},
		Goal: `Step to "kind == error" and count the executor steps before it; then replace the vanish fault with release-writes and see the whole response delivered and the connection go Idle.`,
		Steps: []Mark{
			{"the whole response is encoded; the pipe takes 1024 bytes, the rest waits", `transition writing -> KeepAlive`},
			{"the vanished client shows up as an EOF mid-message", `note contains "unexpected EOF"`},
			{"the connection ends instead of spinning", `kind == error`},
		},
		Session: SessionJSON(`{
  "version": 1,
  "mode": "server",
  "handler": "echo",
  "transport": {
    "capacity": 1024,
    "read_chunk": 0
  },
  "input": [
    {
      "fault": "stall-writes"
    },
    {
      "send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n` + runX3000 + `"
    },
    {
      "fault": "vanish"
    }
  ]
}`),
	},
	{
		Name:     "bug-reset-on-keep-alive",
		Title:    "A reset on an idle keep-alive connection",
		Section:  "§12.10.2.7",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug5",
		Symptoms: "production bug 5: \"connection reset by peer\" now and then on keep-alive connections; ECONNRESET, ENOTCONN",
		Hyper:    []string{"Conn::poll_read_head", "Conn::poll_shutdown", "Dispatcher::poll_catch"},
		Summary:  "After one answered request the idle connection is reset by the client: the server takes it as the client leaving and closes; only the shutdown reports ENOTCONN, which connlab marks benign.",
		Explain: [2]string{
			`The GET is answered and the connection goes Idle. Then the client resets the connection. The next read in poll_read_head fails with ECONNRESET, but with no request in progress and nothing buffered, hyper treats a failed read at Init like the end of input ("read eof"): Reading and Writing go to Closed and the dispatcher closes. Its graceful poll_shutdown then fails with ENOTCONN because the peer is gone, and that is the error the connection ends with, marked benign since the exchange was complete.`,
			`Bug 5 of §12.10.2.7 is this race seen from the client: it closes, or a pooled client reuses, a connection the other side considers idle, and someone sees "connection reset by peer" while the server's log stays quiet. On the server a reset between requests loses no work, which is why hyper does not treat the reset itself as an error; the only trace is the failed shutdown, as in seed 003. The cures are on the client (retry idempotent requests, expire pooled connections before the server does) and, on the server, noticing a peer's EOF early (§12.9.1).`,
		},
		Goal: `Step to the "read eof" note and look at the io event just before it (a read that failed with ECONNRESET); then replace the reset with a shutdown of the write side and see a clean close with no error at all.`,
		Steps: []Mark{
			{"the request is answered and the connection is Idle", `transition keep_alive -> Idle`},
			{"the reset read at Init counts as the client leaving", `note contains "read eof"`},
			{"poll_shutdown fails with ENOTCONN: benign", `error contains "ENOTCONN"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "fault": "reset"
    }
  ]
}`,
	},
	// --- the seeds ---
	{
		Name:     "seed003-enotconn",
		Title:    "ENOTCONN at shutdown when a benchmark client (wrk) hangs up",
		Section:  "§12.8.3",
		Group:    "Real problems people hit",
		Docs:     "seed-003.html#reproduction",
		Symptoms: "\"Transport endpoint is not connected\" (os error 107, ENOTCONN) in the server log under wrk; hyper::Error(Shutdown)",
		Hyper:    []string{"Conn::poll_read_head", "Conn::poll_shutdown", "Dispatcher::poll_inner", "Dispatcher::poll_catch"},
		Seed:     "003",
		Summary:  "A benchmark-style client sends 12 pipelined requests and vanishes as soon as the answers are out; shutting the socket down then fails with ENOTCONN: an error in the log, although nothing went wrong.",
		Explain: [2]string{
			`Twelve GETs arrive in one read and are answered in one poll (12 poll_loop iterations, inside the budget of 16). Then the client disappears, as wrk does at the end of a run. The server's next read at Init gives EOF, so it closes: Reading and Writing go to Closed and the dispatcher, which ends every connection with a graceful shutdown, calls poll_shutdown. The transport is gone, so the shutdown fails with ENOTCONN ("Transport endpoint is not connected") and the connection future returns it as a shutdown error. All 12 responses were delivered; connlab marks the error benign.`,
			`The error is real, the operating system refused the shutdown, and hyper reports it as it is rather than guess (§12.8.3). It shows up in load tests on loopback because the client closes the moment it has its answers, before the server's orderly FIN. In an accept loop it is safe to ignore a shutdown error with ENOTCONN, or to log it quietly; the errors worth attention are those that arrive while a message is in progress.`,
		},
		Goal: `Step to "kind == error" and read the io event before it (the shutdown); then replace the vanish fault with a shutdown of the write side and see the same 12 responses end in a clean close.`,
		Steps: []Mark{
			{"the client is gone: read eof at Init", `note contains "read eof"`},
			{"poll_shutdown fails with ENOTCONN", `error contains "ENOTCONN"`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {
      "send": "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "fault": "vanish"
    }
  ]
}`,
	},
	{
		Name:    "client-http10-request",
		Title:   "A client sends an HTTP/1.0 request",
		Section: "§12.2.4",
		Group:   "Client side",
		Docs:    "state.html#try",
		Hyper:   []string{"role::Client::encode", "Conn::enforce_version", "role::Client::parse", "State::try_keep_alive"},
		Summary: "The client program sends GET / as HTTP/1.0 without a keep-alive header: the request line says HTTP/1.0, the server answers in HTTP/1.0 and closes, and the client closes too.",
		Explain: [2]string{
			`Mode both: line 3 is send GET / HTTP/1.0. The client's Client::encode writes the request line with the version the request carries, GET / HTTP/1.0, and the user's fields as they are: hyper adds no connection header to a request (Conn::enforce_version only rewrites a message when the peer is already known to speak HTTP/1.0, and a fresh client connection assumes 1.1). The server reads a 1.0 request without keep-alive, so its keep_alive goes Disabled, and it answers HTTP/1.0 200 with a content-length and closes after the body. The client parses an HTTP/1.0 response without keep-alive (role::Client::parse), so its own keep_alive turns Disabled too, and once the body is read try_keep_alive closes both sides.`,
			`A 1.0 message keeps the connection only with an explicit connection: keep-alive, and the one-way KA latch means one such message ends reuse for good (§12.2.4). A client that speaks 1.0 therefore gets one request per connection unless it asks; a 1.0 request with a streaming body would also lose its body, since HTTP/1.0 has no chunked coding and Client::set_length sends a body without a length as none at all.`,
		},
		Goal: `Add header "Connection: keep-alive" to line 3 and see both sides keep the connection open, the server answering with connection: keep-alive.`,
		Steps: []Mark{
			{"the request line says HTTP/1.0", `note contains "send_request GET / HTTP/1.0"`},
			{"the server's keep-alive is off: a 1.0 request without keep-alive", `transition keep_alive -> Disabled`},
			{"the 1.0 answer", `wire-out contains "HTTP/1.0 200 OK"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "hello",
  "client_program": [
    "handshake",
    "spawn conn",
    "send GET / HTTP/1.0 header \"Host: x\"",
    "await response",
    "read-body"
  ]
}`,
	},
	{
		Name:    "client-ready",
		Title:   "SendRequest::ready waits for the connection to want a request",
		Section: "§12.4.1",
		Group:   "Client side",
		Docs:    "poll-loop.html#try",
		Hyper:   []string{"SendRequest::ready", "SendRequest::poll_ready", "Client::poll_msg", "dispatch::Receiver::poll_recv"},
		Summary: "The program waits on SendRequest::ready before its request, which resolves once the spawned connection polls its empty queue, and after the server closes the connection ready fails with channel closed.",
		Explain: [2]string{
			`Line 2 spawns the connection, but it has not run yet, so nothing wants a request and line 3, ready, waits (poll_ready is Pending). The connection's first poll reaches Client::poll_msg, finds the queue empty and signals want (Receiver::poll_recv); that wakes the program, ready returns, and line 4 sends. You type a response with connection: close; after the body the connection closes and drops its queue's receiver. The last line asks ready again: poll_ready now fails with hyper's closed error, "channel closed", and the program ends there with it.`,
			`A SendRequest may always queue one request before the connection asks (buffered_once), but beyond that it is bounded by the want signal: poll_ready is how a caller learns that the connection has finished the previous exchange and polls its queue again (§12.4.1). When the connection is gone the Giver sees the Taker canceled, and ready is the honest way to find out before building a request.`,
		},
		Goal: `Run to the "ready" note and look at the dispatch queue: want was signalled first; then delete the connection: close header from the input and see the last ready succeed instead, the connection being Idle and wanting.`,
		Steps: []Mark{
			{"the connection polls its empty queue and wants a request", `kind == queue && name == want`},
			{"ready returns", `note contains "ready: the connection wants"`},
			{"the connection is gone: ready fails", `note contains "error: channel closed"`},
		},
		Session: `{
  "version": 1,
  "mode": "client",
  "client_program": [
    "handshake",
    "spawn conn",
    "ready",
    "send GET / header \"Host: x\"",
    "await response",
    "read-body",
    "ready"
  ],
  "input": [
    {
      "send": "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok"
    }
  ]
}`,
	},
	{
		Name:    "client-try-send",
		Title:   "try_send_request gives the request back",
		Section: "§12.4.1",
		Group:   "Client side",
		Docs:    "poll-loop.html#try",
		Hyper:   []string{"SendRequest::try_send_request", "dispatch::Sender::try_send", "dispatch::TrySendError::take_message", "SendRequest::is_closed"},
		Summary: "try_send_request on a busy connection, and later on a closed one, fails with connection was not ready and hands the request back, while the same request succeeds once ready says the connection wants it.",
		Explain: [2]string{
			`Line 3 sends GET /a and line 4 awaits its head; you typed only 3 of its 5 body bytes, so the connection is still reading /a's body and does not poll its queue. Line 6, try send GET /b, is refused at the call (dispatch::Sender::try_send: no want, and the one buffered request is spent): the TrySendError says connection was not ready and its message is the request, which the program still holds; is_closed is false. After the rest of the body, ready waits for the connection to want again and the same try send goes out. Its response says connection: close, so after its body the connection closes, and the last try send, GET /c, comes back the same way, now with is_closed true.`,
			`send_request and try_send_request differ only in what a failure returns: try_send_request's error carries the request whenever it was never started, refused at the call or still queued when the connection failed (TrySendError::take_message), so a pool can retry it on another connection (§12.4.1). hyper gives one error for busy and closed, connection was not ready; SendRequest::is_closed tells them apart.`,
		},
		Goal: `Step to the first "came back" note and look at reading: Body, the connection busy with /a; then remove "ready" (line 8) and see the second try send come back too, because the connection has not asked for a request yet.`,
		Steps: []Mark{
			{"busy: the request comes back", `note contains "came back" && note contains "is_closed() = false"`},
			{"ready: the connection wants again", `note contains "ready: the connection wants"`},
			{"the retried request goes out", `wire-in contains "GET /b"`},
			{"closed: the request comes back again", `note contains "is_closed() = true"`},
		},
		Session: `{
  "version": 1,
  "mode": "client",
  "client_program": [
    "handshake",
    "spawn conn",
    "send GET /a header \"Host: x\"",
    "await response",
    "# the connection is busy reading /a's body: the request comes back",
    "try send GET /b header \"Host: x\"",
    "read-body",
    "ready",
    "try send GET /b header \"Host: x\"",
    "await response",
    "read-body",
    "# the server said close: the connection is gone, the request comes back",
    "try send GET /c header \"Host: x\""
  ],
  "input": [
    {
      "send": "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhel"
    },
    {
      "send": "lo"
    },
    {
      "send": "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok"
    }
  ]
}`,
	},
	{
		Name:    "client-with-upgrades",
		Title:   "A client upgrade with leftover bytes (with_upgrades)",
		Section: "§12.8.2",
		Group:   "Client side",
		Docs:    "errors.html#try",
		Hyper:   []string{"client::conn::http1::Connection::with_upgrades", "client::conn::http1::UpgradeableConnection::poll", "client::conn::http1::Connection::into_parts", "hyper::upgrade::on"},
		Summary: "The client connection, wrapped with with_upgrades, hands its IO and the bytes that arrived behind the 101 head to hyper::upgrade::on, and the program talks the new protocol on it.",
		Explain: [2]string{
			`Line 2 wraps the connection with with_upgrades before it is spawned. The GET asks to upgrade; you answer 101 Switching Protocols with hello right behind the head, in the same input. The client Conn reads both at once: the 101 ends HTTP (keep_alive Disabled, both sides Closed) and the dispatcher returns Dispatched::Upgrade. UpgradeableConnection::poll then takes the connection apart (into_parts) and fulfills the pending upgrade with the IO and the read buffer's 5 leftover bytes: the upgrade event shows them. hyper::upgrade::on(response), line 6, resolves to that Upgraded; its first read gives hello from the leftover, the write sends ping, the next read waits for your pong. The program's end drops the Upgraded and the socket closes.`,
			`Without with_upgrades (the golden session client-101 has none), the plain Connection::poll cannot hand the IO over and calls pending.manual(): upgrade::on fails with "upgrade expected but low level API in use" and the socket closes when the connection is dropped. With it, the client side mirrors the server's upgrade (§12.8.2): the bytes already read past the head belong to the new protocol and travel with the IO.`,
		},
		Goal: `Step to "kind == upgrade" and read its leftover bytes; then delete "with upgrades" (line 2) and see await upgrade fail with the manual-upgrade error instead.`,
		Steps: []Mark{
			{"the 101 arrives with bytes behind it: the IO and the leftover bytes change hands", `kind == upgrade && name == fulfill`},
			{"hyper::upgrade::on resolves to the Upgraded", `note contains "upgraded: the IO arrived"`},
			{"the leftover bytes are read first", `note contains "read 5 bytes"`},
			{"the new protocol's write", `wire-in contains "ping"`},
		},
		Session: `{
  "version": 1,
  "mode": "client",
  "client_program": [
    "handshake",
    "with upgrades",
    "spawn conn",
    "send GET /chat header \"Host: x\" header \"Connection: upgrade\" header \"Upgrade: echo\"",
    "await response",
    "await upgrade",
    "upgraded read",
    "upgraded write \"ping\"",
    "upgraded read"
  ],
  "input": [
    {
      "send": "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nhello"
    },
    {
      "send": "pong"
    }
  ]
}`,
	},
	{
		Name:    "client-request-trailers",
		Title:   "Request trailers on a streamed body",
		Section: "§12.7",
		Group:   "Client side",
		Docs:    "writing.html#try",
		Hyper:   []string{"Dispatcher::poll_write", "Conn::write_trailers", "Encoder::encode_trailers", "role::Client::set_length"},
		Summary: "A streamed request body declared with a Trailer header ends with a trailers frame, which the client encodes after the last chunk, keeping only the declared field.",
		Explain: [2]string{
			`Mode both against echo. Line 3 sends a POST whose body is a stream, with Trailer: X-Checksum; its length is unknown, so Client::set_length picks chunked and, because of the Trailer header, allows that one field after the body. Line 4 sends abc, line 5 ends the body with a trailers frame holding X-Checksum and X-Extra. The client's poll_write sees the trailers frame and calls Conn::write_trailers: Encoder::encode_trailers writes the last chunk 0 followed by x-checksum: 9a and the empty line, and drops X-Extra, which the Trailer header did not declare. The server decodes the chunked body and its trailers and echoes abc.`,
			`In http_body a trailers frame is the last frame of a body, so the body ends with it (§12.7). hyper writes only the trailer fields a request's Trailer header announced (into_chunked_with_trailing_fields), so a peer never receives fields it was not told to expect; trailers need chunked, so a body with a known length, or an HTTP/1.0 request, sends none.`,
		},
		Goal: `Find x-checksum in the bytes the client wrote; then remove the Trailer header from line 3 and see the body end with a bare 0 chunk, both trailer fields dropped.`,
		Steps: []Mark{
			{"the body ends with a trailers frame", `note contains "trailers X-Checksum"`},
			{"the last chunk with the declared trailer", `wire-in contains "0\r\nx-checksum: 9a\r\n\r\n"`},
			{"the server echoes the body", `wire-out contains "abc"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "echo",
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST /upload body stream header \"Host: x\" header \"Trailer: X-Checksum\"",
    "send-body \"abc\"",
    "send-trailers \"X-Checksum: 9a\" \"X-Extra: not declared\"",
    "await response",
    "read-body"
  ]
}`,
	},
	{
		Name:     "client-fault-reset",
		Title:    "The server resets the connection mid-body (client side)",
		Section:  "§12.8.1 (errors: poll_catch)",
		Group:    "Client side",
		Docs:     "errors.html#try",
		Symptoms: "connection reset by peer, ECONNRESET, ENOTCONN on the client",
		Hyper:    []string{"Conn::poll_read_body", "Dispatcher::poll_read", "Conn::poll_shutdown", "Incoming::poll_frame"},
		Summary:  "The person playing the server sends a response head and 3 of its 10 body bytes, then resets the connection: the client's next read fails with ECONNRESET and the program's body read gets the error.",
		Explain: [2]string{
			`Mode client: you are the server. The response head arrives with content-length: 10 and hel, and the program, reading the body, has 3 bytes. The reset fault makes the client's next read fail with ECONNRESET: Conn::poll_read_body closes Reading and returns the error, and Dispatcher::poll_read sends it into the body channel (send_error), so the program's read-body (Incoming::poll_frame) fails with error reading a body from connection. The connection, now closed, then shuts down its write side (Conn::poll_shutdown) on a reset socket, which fails with ENOTCONN.`,
			`An error in the middle of a message cannot be recovered: the connection closes and the error goes to whoever waits on that message, here the response body the user is reading; see §12.8.1 (errors: poll_catch). The same fault in mode server lands in the service's request body instead (fault-reset-mid-body).`,
		},
		Goal: `Step to the reset and watch Reading turn Closed; then move the reset before the first input and see the error reach await response instead of read-body.`,
		Steps: []Mark{
			{"the head and 3 bytes of the body", `note contains "response 200"`},
			{"the reset: reading the body fails", `transition reading Body -> Closed`},
			{"the program's body read gets ECONNRESET", `note contains "ECONNRESET"`},
		},
		Session: `{
  "version": 1,
  "mode": "client",
  "client_program": [
    "handshake",
    "spawn conn",
    "send GET / header \"Host: x\"",
    "await response",
    "read-body"
  ],
  "input": [
    {
      "send": "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhel"
    },
    {
      "fault": "reset"
    }
  ]
}`,
	},
	{
		Name:     "seed001-deadlock",
		Title:    "A client that awaits its connection before sending hangs",
		Section:  "§12.4.1",
		Group:    "Real problems people hit",
		Docs:     "seed-001.html#reproduction",
		Symptoms: "a local request hangs forever; serve_connection never returns; deadlock: the client awaits the connection, the server awaits the request",
		Hyper:    []string{"client::conn::http1::handshake", "SendRequest::send_request", "Client::poll_msg", "Dispatcher::poll_loop"},
		Seed:     "001",
		Summary:  "The client program awaits its own connection future before sending a request: the connection waits for a request only the program can send, the server waits for bytes, and everything stops.",
		Explain: [2]string{
			`Mode both: an engine client talks to an engine server (hello). The program calls handshake, which returns a SendRequest and a connection future; neither runs by itself. Line 2 then awaits the connection inside the program's own task, so the client Dispatcher runs there: it finds no request in its queue (it signals want) and nothing to read, and returns Pending. The program is stuck inside that await and never reaches line 3, the send, while the server connection waits for a request head. No task is runnable and no timer is armed: connlab reports a deadlock, and the wait-for graph names line 2.`,
			`A hyper client connection is a future that does all the IO; SendRequest only puts requests into its queue, which the client's poll_msg reads (§12.4.1). The future finishes when the connection closes, which needs every SendRequest dropped, so awaiting it before using the SendRequest can never finish (in seed 001 client and server even shared one process). The fix is to give the connection its own task (tokio::spawn) and send from the program, as seed001-fixed does.`,
		},
		Goal: `Run to the end and read the wait-for graph in the result; then change line 2 from "await conn" to "spawn conn" and see the request answered.`,
		Steps: []Mark{
			{"handshake: a SendRequest and a connection future, neither running", `note contains "handshake"`},
			{"the connection, polled inside the program's task, asks for a request", `kind == queue && name == want`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "hello",
  "client_program": [
    "handshake",
    "await conn",
    "send GET / header \"Host: x\"",
    "await response",
    "read-body"
  ]
}`,
	},
	{
		Name:     "seed001-fixed",
		Title:    "Fixed: spawn the client connection, then send",
		Section:  "§12.4.1",
		Group:    "Real problems people hit",
		Docs:     "seed-001.html#fix",
		Symptoms: "the fix for a client that hangs awaiting its connection (tokio::spawn the connection)",
		Hyper:    []string{"client::conn::http1::handshake", "SendRequest::send_request", "Client::poll_msg", "Client::recv_msg"},
		Seed:     "001",
		Summary:  "The same client with the connection spawned as its own task: the request is queued, sent, answered, and the connection closes gracefully when the program ends.",
		Explain: [2]string{
			`Line 2 spawns the connection future as its own task, so the program carries on at once: line 3 queues a GET through SendRequest and line 4 awaits the response. The client Dispatcher, polled in its own task, takes the request from the queue and writes it; the server answers hello; the client connection reads the response, hands it to the waiting program (recv_msg) and goes Idle; the program reads the body and ends. Ending drops the SendRequest: the client Dispatcher sees its queue closed ("client tx closed"), shuts its write side down, and the server, reading EOF at Init, closes cleanly.`,
			`This is the shape hyper's documentation recommends: handshake, spawn the connection, then use SendRequest. The connection task does all the reading and writing and the program only talks to it through the request queue (§12.4.1). Here one executor runs the program, the client connection and the server connection, so you can watch the three tasks take turns.`,
		},
		Goal: `Step through and follow the request: queued by the program (task 2), taken by the client connection (task 3), answered by the server (task 1); then replace "spawn conn" with an "await conn" placed after the send line and see it hang again: the request is even answered, but awaiting the connection never ends while the SendRequest lives.`,
		Steps: []Mark{
			{"the program queues the request", `note contains "send_request"`},
			{"the server's answer is on the wire", `wire-out contains "hello"`},
			{"the program ended: its SendRequest is gone and the client closes", `note contains "client tx closed"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "hello",
  "client_program": [
    "handshake",
    "spawn conn",
    "send GET / header \"Host: x\"",
    "await response",
    "read-body"
  ]
}`,
	},
	{
		Name:     "seed000-graceful-close",
		Title:    "Closing a client connection gracefully",
		Section:  "§12.8.3",
		Group:    "Real problems people hit",
		Docs:     "seed-000.html#reproduction",
		Symptoms: "how to close or shut down a hyper client connection: drop SendRequest and the response future",
		Hyper:    []string{"SendRequest::send_request", "Client::poll_msg", "Dispatcher::poll_write", "Conn::poll_shutdown"},
		Seed:     "000",
		Summary:  "After one exchange the program drops its response and its SendRequest; the client connection sees that nobody can send any more, closes its side, and both connections end without an error.",
		Explain: [2]string{
			`The program sends one GET, reads the answer, then drops the response (line 6) and the SendRequest (line 7). Dropping the last SendRequest closes the request queue. On its next poll the client Dispatcher asks the queue for a request (poll_msg), finds it closed ("client tx closed"), marks itself closing, sets Reading and Writing to Closed and shuts down its write side. The server reads EOF at Init, which for an idle server connection is a normal end, and closes too. The result is closed, with no error on either side.`,
			`Seed 000 asks how to close a hyper client connection gracefully. There is nothing to call: drop every SendRequest and response future and the connection future finishes by itself, shutting down its write side so the server reads a clean EOF (§12.8.3). As long as a SendRequest is alive the connection stays open and idle, ready for another request; TLS close_notify, timeouts or half-close need more control, but for plain HTTP/1 dropping is the close.`,
		},
		Goal: `Step to the "dropped the SendRequest" note and watch the client connection close on its next poll; then replace "drop sender" with "sleep 50ms" (and no wait input) and see the connection stay open and Idle while the program still holds its SendRequest (result running).`,
		Steps: []Mark{
			{"the program drops its SendRequest", `note contains "dropped the SendRequest"`},
			{"the client dispatcher sees the closed queue", `note contains "client tx closed"`},
			{"the server reads EOF at Init: a clean close", `note contains "read eof"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "hello",
  "client_program": [
    "handshake",
    "spawn conn",
    "send GET / header \"Host: x\"",
    "await response",
    "read-body",
    "drop response",
    "drop sender"
  ]
}`,
	},
	{
		Name:     "seed002-deadlock",
		Title:    "A client that awaits the response before sending the body hangs",
		Section:  "§12.4",
		Group:    "Real problems people hit",
		Docs:     "seed-002.html#reproduction",
		Symptoms: "deadlock: a streaming request (gRPC-style bidirectional) waits for response headers the server sends only after the body; hang",
		Hyper:    []string{"SendRequest::send_request", "Dispatcher::poll_write", "Server::recv_msg", "Sender::poll_ready"},
		Seed:     "002",
		Summary:  "The client streams its request body but awaits the response first, and the server waits for the whole body before answering: each side waits for the other.",
		Explain: [2]string{
			`The program sends a POST whose body is a stream, so the client connection writes the head with transfer-encoding: chunked and then waits for body frames. Line 4 awaits the response before line 5 would send any body. The server (wait-body-then-respond, like a gRPC server that wants the client's first message) reads the head, calls the service, and the service waits for body data. Nobody can move: the server waits for body bytes, the client connection for body frames from the program, the program for a response head. connlab reports a deadlock and the wait-for graph shows the cycle.`,
			`Seed 002 describes this with HTTP/2 and gRPC, but the trap is the same in HTTP/1: send_request's future resolves only when the response head arrives, and a client-first server sends no head until it has the body. The request body is a separate stream, the body_rx a Dispatcher polls in poll_write (§12.4), precisely so that it can be fed without waiting for the response: send the body first, or from another task, then await the response.`,
		},
		Goal: `Run to the end and read the three waits in the result; then move "await response" after "end-body" and see the exchange complete.`,
		Steps: []Mark{
			{"the request head goes out with a streaming body", `note contains "send_request POST"`},
			{"the server has the head; its service waits for body data", `transition reading -> Body`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "wait-body-then-respond",
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST / body stream header \"Host: x\"",
    "await response",
    "send-body \"hello\"",
    "end-body",
    "read-body"
  ]
}`,
	},
	{
		Name:     "seed002-fixed",
		Title:    "Fixed: send the body, then await the response",
		Section:  "§12.4",
		Group:    "Real problems people hit",
		Docs:     "seed-002.html#fix",
		Symptoms: "the fix for a streaming request that hangs awaiting the response before its body",
		Hyper:    []string{"SendRequest::send_request", "Dispatcher::poll_write", "Conn::write_body_and_end", "Server::recv_msg"},
		Seed:     "002",
		Summary:  "The same exchange with the body sent and ended before awaiting the response: the server reads it, answers got 5 bytes, and everything closes cleanly.",
		Explain: [2]string{
			`Lines 4 and 5 feed the body stream, hello and then its end, before line 6 awaits the response. The client connection writes the head and then hello as one chunk followed by the last chunk (write_body_and_end); the server decodes it, the service counts 5 bytes and answers 200 got 5 bytes. The program reads the body and ends; dropping its SendRequest closes the client connection, and the server closes on the EOF that follows.`,
			`Nothing in hyper had to change: the order of the awaits in the program decides whether both sides can make progress. Sending the body does not need the response, since the client connection writes body frames as they come (poll_write, §12.4), so a client-first protocol only needs the client to produce its body before, or while, it waits.`,
		},
		Goal: `Step to the "end of body" note and watch the client connection write the last chunk; then switch the handler to hello and move "await response" back before "send-body": a server that does not wait for the body makes even that order work.`,
		Steps: []Mark{
			{"the program ends the body before awaiting", `note contains "end of body"`},
			{"the server has the whole body", `note contains "incoming body completed"`},
			{"the answer", `wire-out contains "got 5 bytes"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "handler": "wait-body-then-respond",
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST / body stream header \"Host: x\"",
    "send-body \"hello\"",
    "end-body",
    "await response",
    "read-body"
  ]
}`,
	},
}
