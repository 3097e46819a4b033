package ui

import (
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// memo keeps the expensive renderings keyed by what they depend on, so a
// step re-renders only what it changed.
type memo struct {
	wireIn, wireOut       wireMemo
	diagramKey            string
	diagram               string
	libraryKey            string
	handlerOpts           string
	presets               string
	previewKey            string
	preview, draftInfo    string
	draftErr              bool
	sessionKey, inputsKey string
	logKey                string
	log                   logMemo
	filterKey             string // the filter and the events' rewrites
	filtered              []int32
	filteredN             int              // the events filtered so far
	filterRead            int              // events read by the filter, in all (a test's check)
	filterSpans           map[int32]string // call paths, lower case, by span
	machines              []Machine
}

// Render computes every slot's value and returns the batch of changes for
// connlab.apply (and how many slots it sets).
func (m *Model) Render() (string, int) {
	r := &m.rend
	tl := m.TL
	x := m.index()
	c := tl.Cursor()
	v := tl.View()
	var prev timeline.View
	hasPrev := m.from >= 0 && m.from != c
	if hasPrev {
		prev = tl.ViewAt(m.from)
	}
	mode := tl.File().Mode

	// root, banner, header
	r.Set(SlotReady, "true")
	r.SetBool(SlotBoot, true)
	r.Set(SlotOverlay, m.Overlay)
	r.SetBool(SlotEmbed, m.Embed)
	r.Set(SlotPanels, m.Panels)
	r.Set(SlotMode, mode)
	r.SetBool(SlotBannerBox, m.Banner.Text == "")
	r.Set(SlotBannerKind, pick(m.Banner.Error, "banner", "banner info"))
	r.Set(SlotBanner, m.Banner.Text)
	r.SetBool(SlotBannerUndo, !m.Banner.Undo)
	r.Set(SlotBannerDetail, m.Banner.Detail)
	r.SetBool(SlotBannerCopy, !m.Banner.Error)
	sc, hasSc := m.scenario()
	if hasSc {
		r.Set(SlotScName, sc.Title+pick(m.Modified, " (modified)", ""))
	} else {
		r.Set(SlotScName, "your session")
	}
	if m.Embed {
		r.Set(SlotOpenFull, m.fullURL())
	}

	m.renderInput(r, mode)
	m.renderPrograms(r)
	// the panels below change only with the session, not with the cursor
	if key := m.Scenario + "/" + itoa(m.ver) + pick(m.Modified, "*", ""); key != m.memo.sessionKey {
		m.memo.sessionKey = key
		m.renderScenario(r, sc, hasSc)
		m.renderOptions(r, mode)
	}

	// controls
	n := tl.Len()
	r.SetBool(SlotDisBack, c <= 0)
	r.SetBool(SlotDisFwd, c >= n-1)
	r.Set(SlotUnit, m.Unit.String())
	r.Set(SlotScrub, itoa(max(0, n-1))+","+itoa(max(0, c)))
	if n == 0 {
		r.Set(SlotPos, "no events")
	} else {
		r.Set(SlotPos, "event "+itoa(c)+" / "+itoa(n-1))
	}
	r.Set(SlotBP, m.BP)
	bp, bpErr := m.bpText()
	r.Set(SlotBPError, bp)
	r.Set(SlotBPErrorKind, pick(bpErr, "bp-error", "bp-error ok"))

	r.Set(SlotNow, m.nowHTML(x, v))

	// Conn
	ch := func(changed bool) string {
		if changed && hasPrev {
			return " chg"
		}
		return ""
	}
	r.Set(SlotConnBadge, m.badgeHTML(x, v))
	r.Set(SlotReading, stateHTML(v.Reading, ch(v.Reading != prev.Reading)))
	r.Set(SlotWriting, stateHTML(v.Writing, ch(v.Writing != prev.Writing)))
	r.Set(SlotKeepAlive, stateHTML(v.KeepAlive, ch(v.KeepAlive != prev.KeepAlive)))
	r.Set(SlotNotifyRead, valHTML(strconv.FormatBool(v.NotifyRead), ch(v.NotifyRead != prev.NotifyRead), ""))
	r.Set(SlotBuffers, valHTML("read "+itoa(v.ReadBuf)+" B · write "+itoa(v.WriteBuf)+" B", ch(v.ReadBuf != prev.ReadBuf || v.WriteBuf != prev.WriteBuf), ""))
	r.Set(SlotRequests, valHTML(itoa(v.Requests), ch(v.Requests != prev.Requests), ""))
	task := ""
	if v.Task > 0 {
		task = "task " + itoa(v.Task)
	}
	r.Set(SlotStep, valHTML(itoa(v.Step), ch(v.Step != prev.Step), task))
	clock, later := m.clockAt(c, v)
	// the clock can move with no event (advanced with no timer armed)
	clockChg := hasPrev && clock != prev.ClockMS || m.clockFrom >= 0 && clock != m.clockFrom
	sub := ""
	if later > 0 {
		sub = "+" + msText(later) + " ms after the end"
	}
	// the number first, ungrouped: the field's text starts with it (a
	// stable hook; the docs' figures check it)
	r.Set(SlotClock, valHTML(strconv.FormatInt(clock, 10)+" ms", pick(clockChg, "chg", ""), sub))
	r.Set(SlotClientConn, clientHTML(v.Client, mode))

	// Dispatcher
	if v.Iter > 0 {
		r.Set(SlotIter, valHTML(itoa(v.Iter)+" / 16", ch(v.Iter != prev.Iter), ""))
	} else {
		r.Set(SlotIter, valHTML("–", "", ""))
	}
	r.Set(SlotIterBar, strconv.FormatFloat(float64(v.Iter)/16*100, 'f', 2, 64)+"%")
	r.Set(SlotWants, valHTML(strconv.FormatBool(v.NotifyRead), ch(v.NotifyRead != prev.NotifyRead), pick(v.NotifyRead, "another pass", "")))
	r.Set(SlotIsClosing, valHTML(strconv.FormatBool(v.IsClosing), ch(v.IsClosing != prev.IsClosing), ""))
	bodyTx := "none"
	if v.BodyTx != "" {
		bodyTx = v.BodyTx
	}
	r.Set(SlotBodyTx, valHTML(bodyTx, ch(v.BodyTx != prev.BodyTx), pick(v.BodyTx != "", "want signal", "")))
	bodyRx := "none"
	if v.BodyRx {
		bodyRx = "streaming"
	}
	r.Set(SlotBodyRx, valHTML(bodyRx, ch(v.BodyRx != prev.BodyRx), ""))
	inFlight := "none"
	if v.InFlight != "" {
		inFlight = v.InFlight
	}
	r.Set(SlotInFlight, valHTML(inFlight, ch(v.InFlight != prev.InFlight), ""))
	r.Set(SlotQueue, queueHTML(v, mode))

	r.Set(SlotDiagram, m.diagramHTML(x, v, c))

	m.renderWire(r, x, v, c, mode)

	r.Set(SlotUpgrade, m.upgradeHTML(x, c))
	r.Set(SlotStall, m.stallHTML(x, c))

	m.renderLog(r, c, n)

	m.renderOverlays(r)
	m.from = c
	return r.Flush()
}

// fullURL is this session in the full page (from embed mode).
func (m *Model) fullURL() string {
	if m.Scenario != "" && !m.Modified {
		return m.BaseURL + "?scenario=" + queryEscape(m.Scenario) + "&step=" + itoa(max(0, m.TL.Cursor()))
	}
	if frag, err := EncodeFragment(m.ShareState()); err == nil {
		return m.BaseURL + "#" + frag
	}
	return m.BaseURL
}

// bpText is the breakpoint's message as text (the expression it quotes
// is the person's) and whether it is an error.
func (m *Model) bpText() (string, bool) {
	if m.bpMsg == "" || !m.bpErr {
		return m.bpMsg, false
	}
	if m.bpCol > 0 {
		return m.BP + "\n" + strings.Repeat(" ", runeCol(m.BP, m.bpCol-1)) + "^ column " + itoa(m.bpCol) + ": " + m.bpMsg, true
	}
	return m.bpMsg, true
}

func runeCol(s string, col int) int {
	n := 0
	for range s {
		if n == col {
			break
		}
		n++
	}
	return min(n, col)
}

// stateHTML shows a state value with its variant as a class (the field's
// text starts with the variant name: tests rely on it).
func stateHTML(s, extra string) string {
	if s == "" {
		return `<span class="sub">—</span>`
	}
	return (&hb{}).s(`<span class="v-`).t(variant(s)).s(extra).s(`">`).t(s).s(`</span>`).String()
}

// clockAt is the virtual clock at event c, in ms since the session
// started (never the epoch the engine's clock counts from), and how much
// of it passed after the last event: at the end of the timeline, inputs
// that recorded no event (advancing the clock with no timer armed) still
// moved it.
func (m *Model) clockAt(c int, v timeline.View) (clock, later int64) {
	tl := m.TL
	if c < tl.Len()-1 {
		return v.ClockMS, 0
	}
	ins := tl.File().Input
	for k := tl.Applied() - 1; k >= 0 && tl.InputStart(k) >= tl.Len(); k-- {
		if ins[k].WaitMS != nil {
			later += *ins[k].WaitMS
		}
	}
	return v.ClockMS + later, later
}

// appliedAt is the last input applied as of event c: at the end of the
// timeline every input applied, those that recorded no event included.
func (m *Model) appliedAt(c int) int {
	tl := m.TL
	if c >= tl.Len()-1 {
		return tl.Applied() - 1
	}
	return tl.InputIndexAt(c)
}

// msText is a count of milliseconds with its thousands apart ("30 000"),
// joined by no-break spaces so a value never wraps.
func msText(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, "\u00a0"...)
		}
		b = append(b, s[i])
	}
	return pick(neg, "-", "") + string(b)
}

func valHTML(s, extra, sub string) string {
	h := &hb{}
	h.s(`<span class="`).s(strings.TrimSpace(extra)).s(`">`).t(s).s(`</span>`)
	if sub != "" {
		h.s(` <span class="sub">`).t(sub).s(`</span>`)
	}
	return h.String()
}

func clientHTML(cv *timeline.View, mode string) string {
	if cv == nil || mode != "both" {
		return ""
	}
	h := &hb{}
	h.s(`<h3 title="In mode both the client end is engine code too: its own Conn and Dispatcher">client connection</h3><dl class="fields">`)
	h.s("<dt>reading</dt><dd>").s(stateHTML(cv.Reading, "")).s("</dd>")
	h.s("<dt>writing</dt><dd>").s(stateHTML(cv.Writing, "")).s("</dd>")
	h.s("<dt>keep_alive</dt><dd>").s(stateHTML(cv.KeepAlive, "")).s("</dd>")
	h.s("<dt>queue</dt><dd>").s(valHTML(itoa(cv.Queue), "", pick(cv.Wanting, "wanting", ""))).s("</dd>")
	h.s("<dt>requests</dt><dd>").n(cv.Requests).s("</dd></dl>")
	return h.String()
}

// eventText is one line about an event (the log's rows and the card).
func eventText(e trace.Event, clock int64) string {
	switch e.Kind {
	case trace.KindPoll:
		return "poll " + e.Name + " → " + e.Detail
	case trace.KindIter:
		return "poll_loop iteration " + strconv.FormatInt(e.N, 10) + " / 16"
	case trace.KindCall:
		return "→ " + funcName(e)
	case trace.KindRet:
		if e.Detail != "" {
			return "← " + funcName(e) + ": " + e.Detail
		}
		return "← " + funcName(e)
	case trace.KindTransition:
		return e.Field + ": " + e.From + " → " + e.To
	case trace.KindIO:
		s := e.Field + " " + e.Name
		if e.Name == "read" || e.Name == "write" {
			s += " " + strconv.FormatInt(e.N, 10) + " B"
			if e.N > 0 {
				s += " @" + strconv.FormatInt(e.Off, 10)
			}
		}
		if e.Detail != "" {
			s += " (" + e.Detail + ")"
		}
		return s
	case trace.KindWake:
		return "wake " + e.Detail + " ← " + e.Name
	case trace.KindYield:
		return "poll_loop yields after " + strconv.FormatInt(e.N, 10) + " iterations"
	case trace.KindTimer:
		// the deadline in the session's time, and how far off it is
		d := e.N - session.EpochMillis
		s := "timer " + e.Name + " " + e.Detail + ": deadline t=" + msText(d) + " ms"
		switch e.Name {
		case "arm", "reset":
			s += " (in " + msText(d-clock) + " ms)"
		case "fire":
			s += " (now t=" + msText(clock) + " ms)"
		}
		return s
	case trace.KindQueue:
		return "queue " + e.Name + " " + e.Detail
	case trace.KindBody:
		s := "body " + e.Name
		if e.N != 0 {
			s += " " + strconv.FormatInt(e.N, 10) + " B"
		}
		if e.Detail != "" {
			s += " " + e.Detail
		}
		return s
	case trace.KindUpgrade:
		if e.Name == "drop" {
			return "upgrade " + e.Detail
		}
		return "upgrade " + e.Name + ": " + strconv.FormatInt(e.N, 10) + " leftover B " + strconv.Quote(e.Detail)
	case trace.KindError:
		return "error " + e.Name + ": " + e.Detail
	case trace.KindNote:
		// whose message: the client program's line, or hyper's trace
		return pick(programNote(e), "program: ", "hyper: ") + e.Detail
	case trace.KindFrame:
		return "frame " + e.Field + " " + e.Name + " " + e.Detail + " " + strconv.FormatInt(e.N, 10) + " B"
	}
	return e.Kind.String() + " " + e.Name + " " + e.Detail
}

// programNote says a note is a line of the client (or service) program
// running, not one of hyper's trace messages.
func programNote(e trace.Event) bool {
	return strings.HasSuffix(e.Ref, " program")
}

// explainEvent says in plain words what an event means.
func explainEvent(e trace.Event) string {
	switch e.Kind {
	case trace.KindPoll:
		if e.Detail == "ready" {
			return "The executor polled " + e.Name + " and it returned Ready: that task is finished."
		}
		return "The executor polled " + e.Name + " once and it returned Pending: it has done what it can and runs again only when a waker fires."
	case trace.KindIter:
		return "Dispatcher::poll_loop begins iteration " + strconv.FormatInt(e.N, 10) + " of at most 16: poll_read, poll_write, poll_flush, then go round again only if wants_read_again says so (§12.5)."
	case trace.KindCall:
		return "The engine enters " + funcName(e) + "."
	case trace.KindRet:
		if e.Detail != "" {
			return funcName(e) + " returns " + e.Detail + "."
		}
		return funcName(e) + " returns."
	case trace.KindTransition:
		s := "State." + e.Field + " changes from " + e.From + " to " + e.To + "."
		switch {
		case e.Field == "keep_alive" && e.To == "Disabled":
			s += " This is one-way: keep_alive &= false can never be undone (§12.2.4)."
		case e.Field == "keep_alive" && e.To == "Idle":
			s += " Both sides finished a message: try_keep_alive called idle(), so the connection can take the next request (§12.8.1 (try_keep_alive's four paths))."
		case e.Field == "reading" && e.To == "Closed":
			s += " Nothing more will be read on this connection."
		}
		return s
	case trace.KindIO:
		switch e.Name {
		case "read":
			if e.N == 0 {
				return "The " + e.Field + " end read 0 bytes: end of stream (the peer shut down its write side)."
			}
			return "The " + e.Field + " end read " + strconv.FormatInt(e.N, 10) + " bytes from the socket (stream offsets " + strconv.FormatInt(e.Off, 10) + "–" + strconv.FormatInt(e.Off+e.N-1, 10) + "); they are highlighted in the wire panel."
		case "write":
			return "The " + e.Field + " end wrote " + strconv.FormatInt(e.N, 10) + " bytes to the socket; they are highlighted in the wire panel."
		case "shutdown":
			return "The " + e.Field + " end shut down its write side: the peer will read end of stream."
		}
		return "IO on the " + e.Field + " end: " + e.Name + "."
	case trace.KindWake:
		return e.Name + " fired its waker: " + e.Detail + " is queued to be polled again."
	case trace.KindYield:
		return "poll_loop used all 16 iterations: it wakes its own task and returns Pending so other tasks get a turn (cooperative scheduling, §12.5.1)."
	case trace.KindTimer:
		return "A timer on the virtual clock: " + e.Name + ". Timers fire only when the clock is advanced."
	case trace.KindQueue:
		return "The dispatch side changed: " + e.Name + "."
	case trace.KindBody:
		if e.Name == "drop" {
			return "The engine drops the request body the service no longer owns, as Rust drops it: " + e.Detail + " (§12.6.1)."
		}
		return "The body channel: " + e.Name + "."
	case trace.KindUpgrade:
		if e.Name == "drop" {
			return "The engine drops the OnUpgrade the service no longer owns, as Rust drops it: " + e.Detail + ". If the response switches protocols anyway, the IO is closed instead of handed over (§12.8.2)."
		}
		return "Dispatched::Upgrade: the connection hands its IO and the " + strconv.FormatInt(e.N, 10) + " leftover bytes it had already read to the upgraded protocol (§12.8.2)."
	case trace.KindError:
		return "An error surfaced (" + e.Name + "): poll_catch sends it to the body channel or the service and the connection ends (§12.8.1 (errors: poll_catch))."
	case trace.KindNote:
		if programNote(e) {
			return "The " + e.Ref + " runs this line (the program's note, not hyper's)."
		}
		return "hyper's own trace message at this point."
	case trace.KindFrame:
		return "A frame of the upgraded protocol (" + e.Field + ")."
	}
	return ""
}

func (m *Model) diagramHTML(x *index, v timeline.View, c int) string {
	if m.memo.machines == nil {
		m.memo.machines = Machines()
	}
	cur := [3]string{v.Reading, v.Writing, v.KeepAlive}
	var key strings.Builder
	var last [3][2]string
	for i, mc := range m.memo.machines {
		if j := lastBefore(x.trans[mc.Field], c); j >= 0 {
			e := m.TL.Event(j)
			last[i] = [2]string{e.From, e.To}
		}
		key.WriteString(variant(cur[i]) + "|" + last[i][0] + ">" + last[i][1] + ";")
	}
	if key.String() == m.memo.diagramKey {
		return m.memo.diagram
	}
	var b strings.Builder
	for i := range m.memo.machines {
		b.WriteString(m.memo.machines[i].SVG(cur[i], last[i][0], last[i][1]))
	}
	m.memo.diagramKey, m.memo.diagram = key.String(), b.String()
	return m.memo.diagram
}

func (m *Model) renderWire(r *Renderer, x *index, v timeline.View, c int, mode string) {
	switch mode {
	case "client":
		r.Set(SlotWireInTitle, "→ to server (hyper's client wrote)")
		r.Set(SlotWireOutTitle, "← to client (you typed)")
	case "both":
		r.Set(SlotWireInTitle, "→ to server (the client wrote)")
		r.Set(SlotWireOutTitle, "← to client (the server wrote)")
	default:
		r.Set(SlotWireInTitle, "→ to server (you typed)")
		r.Set(SlotWireOutTitle, "← to client (hyper wrote)")
	}
	r.SetBool(SlotWireHex, m.WireHex)
	pick := m.Picked
	if pick.Stream == "" && c >= 0 {
		// the current event's own bytes
		pick = m.pickOf(c)
	}
	for _, s := range []struct {
		slot, nslot Slot
		stream      string
		data        []byte
		segs        []Segment
		cuts        []int64
		reads       []streamMark
		moved       []streamMark
		written     int64
		memo        *wireMemo
	}{
		{SlotWireIn, SlotWireInN, "to_server", x.toServer, x.segIn, x.cutsIn, x.readIn, x.movedIn, v.WireIn, &m.memo.wireIn},
		{SlotWireOut, SlotWireOutN, "to_client", x.toClient, x.segOut, x.cutsOut, x.readOut, x.movedOut, v.WireOut, &m.memo.wireOut},
	} {
		read := readAt(s.reads, c)
		var lo, hi int64
		if pick.Stream == s.stream {
			lo, hi = pick.Lo, pick.Hi
		}
		moved := movedAt(s.moved, c)
		s.memo.render(m.ver, wireView{data: s.data, segs: s.segs, cuts: s.cuts, written: s.written, read: read, hlLo: lo, hlHi: hi, moved: moved, anyIO: moved >= 0, hex: m.WireHex})
		r.SetDelta(s.slot, s.memo.html, s.memo.from, s.memo.delta)
		info := strconv.FormatInt(s.written, 10) + " of " + itoa(len(s.data)) + " B sent"
		if read >= 0 {
			info += " · " + strconv.FormatInt(read, 10) + " read"
		}
		r.Set(s.nslot, info)
	}
}

func (m *Model) renderInput(r *Renderer, mode string) {
	r.Set(SlotWhyWire, pick(mode == "both", "Mode both: both ends are engine code, so there is no wire for you to type on or shut down. Press Reset for a connection you type into.", ""))
	r.Set(SlotWhyHandler, pick(mode == "client", "Mode client: the engine is the client and you answer as the server, so no service runs.", ""))
	switch mode {
	case "client":
		r.Set(SlotInputTitle, "You send (as the server)")
	case "both":
		r.Set(SlotInputTitle, "Both ends are engine code")
	default:
		r.Set(SlotInputTitle, "You send (as the client)")
	}
	if m.memo.presets == "" {
		h := &hb{}
		h.s(`<option value="">Presets…</option>`)
		for _, p := range Presets {
			h.s(`<option value="`).t(p.Name).s(`">`).t(p.Label).s("</option>")
		}
		m.memo.presets = h.String()
	}
	r.Set(SlotPresets, m.memo.presets)
	r.Set(SlotDraft, m.Draft)
	r.SetBool(SlotCRLF, m.CRLF)
	r.SetBool(SlotInputHex, m.InputHex)
	key := m.Draft + "\x00" + strconv.FormatBool(m.CRLF) + strconv.FormatBool(m.InputHex) + mode
	if key != m.memo.previewKey {
		m.memo.previewKey = key
		p, err := DecodeInput(m.Draft, m.CRLF)
		switch {
		case err != nil:
			m.memo.preview = ""
			m.memo.draftInfo, m.memo.draftErr = err.Error(), true
		default:
			m.memo.draftErr = false
			lim := p
			more := ""
			if len(lim) > 4096 {
				lim, more = lim[:4096], (&hb{}).s(`<span class="more">… `).n(len(p)-4096).s(` more bytes</span>`).String()
			}
			if m.InputHex {
				m.memo.preview = string(renderHexRuns(nil, wireView{data: lim, written: int64(len(lim)), read: -1}, 0, int64(len(lim)))) + more
			} else {
				m.memo.preview = string(appendVisible(nil, lim)) + more
			}
			m.memo.draftInfo = itoa(len(p)) + " bytes to send" + pick(m.CRLF, " · line breaks are CR LF", " · line breaks are bare LF")
			if mode == "both" {
				m.memo.draftInfo = "In this scenario both ends are engine code: there is no wire for you to type on. Edit the programs under Programs, or switch the mode there for a connection you type into."
			}
		}
	}
	r.Set(SlotPreview, m.memo.preview)
	r.Set(SlotDraftInfo, m.memo.draftInfo)
	r.Set(SlotDraftInfoKind, pick(m.memo.draftErr, "draft-info err", "draft-info muted"))
	r.Set(SlotSendLabel, pick(m.editK > 0, "Replace input "+itoa(m.editK), "Send"))
	r.Set(SlotFragN, itoa(m.FragN))
	r.Set(SlotClockStep, strconv.FormatInt(m.ClockMS, 10))
	if key := itoa(m.ver) + "/" + itoa(m.appliedAt(m.TL.Cursor())); key != m.memo.inputsKey {
		m.memo.inputsKey = key
		r.Set(SlotInputs, m.inputsHTML())
	}
}

func queueHTML(v timeline.View, mode string) string {
	h := &hb{}
	h.s(`<ul class="queue-list">`)
	items := 0
	if v.InFlight != "" {
		h.s(`<li class="fly" title="Server.in_flight: the service future being polled (§12.4.3)">in flight: `).t(v.InFlight).s("</li>")
		items++
	}
	if mode != "server" {
		q := v.Queue
		if mode == "both" && v.Client != nil {
			q = v.Client.Queue
		}
		for i := 0; i < min(q, 8); i++ {
			h.s(`<li title="A request sent through SendRequest, waiting in the dispatch channel for the client connection to take it">queued request `).n(i + 1).s("</li>")
			items++
		}
		if q > 8 {
			h.s("<li>… ").n(q - 8).s(" more</li>")
		}
	}
	h.s("</ul>")
	if items == 0 {
		h.s(`<div class="empty">empty: no request in flight</div>`)
	}
	if v.ReadBuf > 0 && mode != "client" {
		h.s(`<div class="empty" title="Bytes read from the socket but not parsed yet: pipelined requests wait here until the current one is answered">`).n(v.ReadBuf).s(` B buffered, not yet parsed</div>`)
	}
	return h.String()
}

func (m *Model) badgeHTML(x *index, v timeline.View) string {
	tl := m.TL
	state := "running"
	switch {
	case tl.Cursor() >= tl.Len()-1:
		res := x.resultOf(tl)
		state = res.State
		if res.Benign {
			state += " (benign)"
		}
	case v.Upgraded:
		state = "upgraded"
	case v.Done:
		state = "done"
	}
	cls, _, _ := strings.Cut(state, " ")
	return (&hb{}).s(`<span class="badge `).t(cls).s(`" title="How the connection stands at this event (at the last event: the session's result)">`).t(state).s(`</span>`).String()
}

// nowHTML is the card about the event at the cursor.
func (m *Model) nowHTML(x *index, v timeline.View) string {
	tl := m.TL
	c := tl.Cursor()
	if c < 0 {
		return `<span class="k">start</span><span class="t">nothing has happened yet</span><div class="ex">Type a request on the left and press <b>Send</b>: the engine runs until it is idle, and every event it records appears here, one step at a time.</div>`
	}
	e := tl.Event(c)
	kind := e.Kind.String()
	h := &hb{}
	h.s(`<span class="k k-`).s(kind).s(`">`).s(kind).s(`</span><span class="t">`).t(eventText(e, v.ClockMS)).s(`</span>`)
	if v.Span != "" {
		h.s(`<span class="sp" title="the call path inside the task's poll">`).path(v.Span).s(`</span>`)
	}
	if e.Ref != "" {
		h.s(`<span class="rf" title="hyper's source and the chapter section">`).path(e.Ref).s(`</span>`)
	}
	h.s(`<div class="ex">`).t(explainEvent(e)).s(`</div>`)
	switch {
	case c >= tl.Len()-1:
		res := x.resultOf(tl)
		h.s(`<div class="res `).t(pick(res.Benign, "benign", res.State)).s(`"><b>End of the timeline: `).t(res.State)
		if res.Benign {
			h.s(" (benign)")
		}
		h.s(".</b> ").t(res.Explain)
		if res.Error != nil {
			h.s(" [").t(res.Error.Kind)
			if res.Error.Errno != "" {
				h.s(" ").t(res.Error.Errno)
			}
			h.s("]")
		}
		if err := tl.Err(); err != nil {
			h.s(" The run stopped early: ").t(err.Error())
		}
		h.s(`</div>`)
	case c == 0 && m.from < 0:
		h.s(`<div class="res">Press <kbd>→</kbd> or <b>Step</b> to move forward one event, <kbd>Shift</kbd>+<kbd>→</kbd> for a whole poll, <b>Run</b> for the end.</div>`)
	}
	return h.String()
}

func (m *Model) upgradeHTML(x *index, c int) string {
	tl := m.TL
	if len(x.upgrades) == 0 {
		return `<div class="empty">No upgrade in this session. Try the upgrade-echo service with an <code>Upgrade: echo</code> request, or the WebSocket scenario.</div>`
	}
	h := &hb{}
	u := lastBefore(x.upgrades, c)
	if u < 0 {
		return h.s(`<div class="empty">The handoff happens later, at event `).n(int(x.upgrades[0])).s(".</div>").String()
	}
	e := tl.Event(u)
	h.s(`<div class="kv"><b>at event</b><span>`).n(u)
	h.s(`</span><b title="Bytes read after the 101 head, already in hyper's read buffer: they go to the upgraded protocol with the IO (Upgraded's read_buf)">leftover</b><span class="mono">`)
	h.n64(e.N).s(" B: ")
	if e.N > 0 {
		h.bytes([]byte(e.Detail))
	} else {
		h.s("none")
	}
	h.s("</span></div>")
	if len(x.frames) > 0 {
		h.s(`<ul class="frames" title="The upgraded protocol's frames, in order (dimmed: later than the cursor)">`)
		for _, f := range x.frames {
			fe := tl.Event(int(f))
			h.s(pick(int(f) > c, `<li class="fut">`, `<li>`)).s(pick(fe.Field == "out", "← ", "→ ")).t(fe.Name).s(" ").t(fe.Detail).s(" ").n64(fe.N).s(" B</li>")
		}
		h.s("</ul>")
	}
	return h.String()
}

func (m *Model) stallHTML(x *index, c int) string {
	tl := m.TL
	res := x.resultOf(tl)
	h := &hb{}
	if len(res.Waits) == 0 {
		if res.State == "running" && tl.File().RunMode() == session.ModeServer {
			h.s(`<div class="empty">No stall. At the end of the timeline the engine waits for you (`).t(res.Explain).s(").</div>")
		} else {
			h.s(`<div class="empty">No stall: the session ends `).t(res.State).s(".</div>")
		}
		return h.String()
	}
	if res.State == "deadlock" {
		h.s(`<div class="res error"><b>Deadlock.</b> `)
	} else {
		// running, with every task waiting: no task can run until something
		// outside them (input, the clock) wakes one, and the list says which
		h.s(`<div class="res"><b>Stalled: no task can run.</b> `)
	}
	h.t(res.Explain)
	if c < tl.Len()-1 {
		h.s(" (at the end of the timeline)")
	}
	h.s("</div>").s(waitGraphSVG(res.Waits)).s(`<ul class="waits">`)
	for _, w := range res.Waits {
		h.s("<li><b>task ").n(int(w.Task)).s(" ").t(w.Name).s("</b> waits on: ").t(strings.Join(w.WaitsOn, "; "))
		if len(w.WokenBy) > 0 {
			h.s("<br>only woken by: ").t(strings.Join(w.WokenBy, "; "))
		}
		h.s("</li>")
	}
	h.s("</ul>")
	return h.String()
}

func (m *Model) renderLog(r *Renderer, c, n int) {
	list := m.logMatches()
	rows := n
	if list != nil {
		rows = len(list)
		r.Set(SlotLogCount, itoa(rows)+" of "+itoa(n)+" events")
	} else {
		r.Set(SlotLogCount, itoa(n)+" events")
	}
	r.Set(SlotLogSpacer, itoa(rows*LogRowHeight))
	top := m.LogScroll / LogRowHeight
	first := max(0, min(top-6, rows-1))
	last := min(rows, top+m.LogRows+6)
	r.Set(SlotLogTop, itoa(first*LogRowHeight))
	// the rows' markup depends on the range and the filter only; which
	// row is current (and which are still to come) is a separate, tiny
	// update. filterKey stays the last filter's when it is cleared, so
	// it counts only while the filter is on.
	fkey := ""
	if list != nil {
		fkey = m.memo.filterKey
	}
	if key := itoa(m.ver) + "/" + itoa(first) + "-" + itoa(last) + "/" + fkey; key != m.memo.logKey {
		m.memo.logKey = key
		lm := &m.memo.log
		h := &hb{b: make([]byte, 0, 160*(last-first+1))}
		starts := lm.starts[:0]
		if list == nil {
			for _, e := range m.TL.EventsInRange(first, last) {
				starts = append(starts, len(h.b))
				logRow(h, e, m.eventClock(e))
			}
		} else if first < last {
			for _, seq := range list[first:last] {
				e := m.TL.Event(int(seq))
				starts = append(starts, len(h.b))
				logRow(h, e, m.eventClock(e))
			}
		}
		lm.starts = starts
		lm.next(itoa(m.ver)+"/"+fkey, first, first+len(starts), h.String())
		r.SetDelta(SlotLogRows, lm.html, lm.from, lm.delta)
		// the rows added carry no marks, and those kept (logDelta) carry
		// the old window's, placed by their index in it: mark again
		r.Forget(SlotLogCur)
	}
	row, listed := m.logRowOf(c)
	if listed {
		r.Set(SlotLogCur, itoa(row-first))
	} else {
		// the filter hides the cursor's event: no row is current, and
		// the rows after it are still to come (connlab.js, "cursor")
		r.Set(SlotLogCur, itoa(row-first)+"-")
	}
	r.Set(SlotLog, itoa(m.LogScroll))
}

// logRow is one row of the event log.
func logRow(h *hb, e trace.Event, clock int64) {
	i := int(e.Seq)
	kind := e.Kind.String()
	h.s(`<div class="ev k-`).s(kind).s(`" data-seq="`).n(i)
	if e.Ref != "" {
		h.s(`" title="`).t(e.Ref)
	}
	h.s(`"><span class="sq">`).n(i).s(`</span><span class="kd">`).s(kind).s(`</span><span class="tx">`).t(eventText(e, clock)).s(`</span></div>`)
}

// eventClock is the clock when e happened (looked up for timer events
// only, the one kind whose text needs it).
func (m *Model) eventClock(e trace.Event) int64 {
	if e.Kind != trace.KindTimer {
		return 0
	}
	return m.TL.ViewAt(int(e.Seq)).ClockMS
}

func (m *Model) inputsHTML() string {
	tl := m.TL
	ins := tl.File().Input
	cur := m.appliedAt(tl.Cursor())
	h := &hb{}
	for k, in := range ins {
		h.s(`<li data-action="jump-input" data-i="`).n(k).s(`" title="Travel to the first event after this input" class="`)
		switch {
		case k == cur:
			h.s("cur")
		case k > cur:
			h.s("fut")
		}
		h.s(`">`)
		switch {
		case in.Send != nil || in.SendB64 != nil:
			// a text send shows its first bytes without a copy of all of
			// them (a long run's one send is 800 KB, rendered after every
			// slice)
			var p []byte
			var n int
			if in.Send != nil {
				n = len(*in.Send)
				p = []byte((*in.Send)[:min(n, 49)])
			} else {
				p = in.Bytes()
				n = len(p)
			}
			h.s(`<button type="button" class="edit" data-action="edit-input" data-i="`).n(k).s(`" title="Put these bytes in the editor to change them and send them again from here">edit</button>`)
			h.s("send ").n(n).s(" B: ")
			if len(p) > 48 {
				h.bytes(p[:48]).s("…")
			} else {
				h.bytes(p)
			}
		case in.WaitMS != nil:
			h.s("advance clock ").n64(*in.WaitMS).s(" ms")
		case in.Shutdown != nil:
			h.s("shut down write")
		case in.Fault != nil:
			h.s("fault: ").t(*in.Fault)
		}
		h.s("</li>")
	}
	// line breaks inside a list item would split it; the marks stay
	return strings.ReplaceAll(h.String(), "\n", "")
}

func (m *Model) renderScenario(r *Renderer, sc ScenarioInfo, ok bool) {
	if !ok {
		r.Set(SlotScTitle, "Your session")
		r.Set(SlotScMeta, "")
		r.Set(SlotScExplain, `<p>You are typing your own session. Every send is applied once the engine is idle; the engine then runs until it is idle again, and the timeline records every event.</p><p>Pick a <a href="#" data-action="library">scenario</a> for a guided example with an explanation and a goal.</p>`)
		r.Set(SlotScGoal, "")
		r.Set(SlotScMarks, "")
		return
	}
	r.Set(SlotScTitle, sc.Title+pick(m.Modified, " (modified)", ""))
	h := &hb{}
	h.s(`<span title="The chapter section it illustrates">`).t(sc.Section).s(`</span>`)
	if len(sc.Hyper) > 0 {
		h.s(` · <span title="hyper functions involved">`).t(strings.Join(sc.Hyper, ", ")).s(`</span>`)
	}
	if sc.Seed != "" {
		h.s(` · seed `).t(sc.Seed)
	}
	if sc.Docs != "" {
		h.s(` · <a class="sc-docs" href="docs/`).t(sc.Docs).s(`" title="The docs page that explains it, with live sandboxes">docs page</a>`)
	}
	r.Set(SlotScMeta, h.String())
	h = &hb{}
	for _, p := range sc.Explain {
		if p != "" {
			h.s("<p>").t(p).s("</p>")
		}
	}
	r.Set(SlotScExplain, h.String())
	if sc.Goal != "" {
		r.Set(SlotScGoal, (&hb{}).s("<b>Try this:</b> ").t(sc.Goal).String())
	} else {
		r.Set(SlotScGoal, "")
	}
	h = &hb{}
	for i, mk := range sc.Steps {
		h.s(`<button type="button" data-action="mark" data-i="`).n(i).s(`" title="Run to: `).t(mk.Expr).s(`">`).n(i + 1).s(". ").t(mk.Label).s("</button>")
	}
	r.Set(SlotScMarks, h.String())
}

func (m *Model) renderOptions(r *Renderer, mode string) {
	f := m.TL.File()
	if m.memo.handlerOpts == "" {
		h := &hb{}
		for _, hd := range services.Handlers() {
			h.s(`<option value="`).t(hd.Name).s(`" title="`).t(hd.Description).s(`">`).t(hd.Name).s("</option>")
		}
		m.memo.handlerOpts = h.String()
	}
	r.Set(SlotHandlerOptions, m.memo.handlerOpts)
	r.Set(SlotHandler, f.Handler)
	o := f.ServerOptions
	r.SetBool(SlotOptKeepAlive, o.KeepAlive == nil || *o.KeepAlive)
	r.SetBool(SlotOptHalfClose, o.HalfClose)
	r.SetBool(SlotOptTitleCase, o.TitleCaseHeaders)
	r.Set(SlotOptReadChunk, itoa(f.Transport.ReadChunk))
	if o.HeaderReadTimeoutMS != nil {
		r.Set(SlotOptTimeout, strconv.FormatInt(*o.HeaderReadTimeoutMS, 10))
	} else {
		r.Set(SlotOptTimeout, "")
	}
	r.Set(SlotOptOpen, "")
	sum := "mode " + mode
	if f.Handler != "" {
		sum += " · service " + f.Handler
	} else if f.ServiceProgram != nil {
		sum += " · service program"
	}
	r.Set(SlotOptSummary, sum)
}

func (m *Model) renderOverlays(r *Renderer) {
	// the library's cards are built when it is first opened, not at start
	if key := m.Scenario + "\x00" + m.LibQ; (m.Overlay == "library" || r.Value(SlotLibrary) != "") && (key != m.memo.libraryKey || r.Value(SlotLibrary) == "") {
		m.memo.libraryKey = key
		h := &hb{}
		match := m.libraryMatches()
		group := ""
		for _, i := range match {
			s := m.library[i]
			if s.Group != group {
				group = s.Group
				h.s(`<h3>`).t(group).s(`</h3>`)
			}
			h.s(pick(s.Name == m.Scenario, `<button type="button" class="sc-card cur" data-sc="`, `<button type="button" class="sc-card" data-sc="`))
			h.t(s.Name).s(`"><b>`).t(s.Title).s(`</b><span>`).t(s.Summary).s(`</span><span>`).t(s.Section).s(" · ").t(s.Name).s(`</span></button>`)
		}
		if len(match) == 0 {
			h.s(`<p>No scenario mentions “`).t(m.LibQ).s(`”. Try a symptom (hang, reset, ENOTCONN) or a header (100-continue).</p>`)
		}
		r.Set(SlotLibrary, h.String())
		r.Set(SlotLibCount, itoa(len(match))+" of "+itoa(len(m.library))+" scenarios")
	}
	switch m.Overlay {
	case "share":
		frag, err := EncodeFragment(m.ShareState())
		if err != nil {
			r.Set(SlotShareURL, "")
			r.Set(SlotShareNote, errMsg(err))
		} else {
			r.Set(SlotShareURL, m.BaseURL+"#"+frag)
			r.Set(SlotShareNote, m.copiedNote("link", itoa(len(frag))+" characters"))
		}
		r.Set(SlotShareJSON, m.SessionJSON())
	case "embed":
		u, err := m.embedURL()
		if err == ErrLinkPending {
			r.Set(SlotEmbedSnippet, "")
			r.Set(SlotEmbedNote, errMsg(err))
			break
		}
		if u == "" {
			r.Set(SlotEmbedSnippet, "")
			r.Set(SlotEmbedNote, "this session is too large to embed by link")
			break
		}
		title := "connlab"
		if sc, ok := m.scenario(); ok {
			title += ": " + sc.Title
		}
		r.Set(SlotEmbedSnippet, (&hb{}).s(`<iframe src="`).t(u).s(`" title="`).t(title).s(`" width="100%" height="640" loading="lazy" style="border:1px solid #d0d7de;border-radius:8px"></iframe>`).String())
		if m.Scenario != "" && !m.Modified {
			r.Set(SlotEmbedNote, m.copiedNote("snippet", "scenario "+m.Scenario+" at event "+itoa(max(0, m.TL.Cursor()))))
		} else {
			r.Set(SlotEmbedNote, m.copiedNote("snippet", "the session travels in the link"))
		}
	}
}

func (m *Model) copiedNote(what, otherwise string) string {
	switch m.copied {
	case what:
		return "copied ✓"
	case "!" + what:
		return "could not copy: select the text and copy it yourself"
	}
	return otherwise
}

// waitGraphSVG draws the wait-for graph: one box per task, stacked, and an
// arrow from a task to each task that alone could wake it (drawn on the
// right going down, on the left going up). A cycle is a deadlock.
func waitGraphSVG(waits []pollWait) string {
	n := len(waits)
	if n == 0 {
		return ""
	}
	const bw, bh, gap, x0 = 200, 28, 44, 40
	y := func(i int) int { return 6 + i*(bh+gap) }
	h := &hb{}
	h.s(`<div class="wfg"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `).n(bw + 2*x0).s(" ").n(y(n) - gap + 12).s(`" width="`).n(bw + 2*x0).s(`" role="img" aria-label="wait-for graph">`)
	for i, wi := range waits {
		for j, wj := range waits {
			if i == j || !wokenBy(wi, wj) {
				continue
			}
			// from the side of box i to the side of box j
			x, bend, lx := x0+bw, 34, x0+bw+8
			if j < i {
				x, bend, lx = x0, -34, 2
			}
			y1, y2 := y(i)+bh/2, y(j)+bh/2
			h.s(`<path class="e" d="M`).n(x).s(",").n(y1).s(" C").n(x + bend).s(",").n(y1).s(" ").n(x + bend).s(",").n(y2).s(" ").n(x + 3*sign(bend)).s(",").n(y2).s(`"/>`)
			h.s(`<path class="ah" d="M`).n(x).s(",").n(y2).s(" l").n(7 * sign(bend)).s(",-4 l0,8z").s(`"/>`)
			h.s(`<text class="el" x="`).n(lx).s(`" y="`).n((y1+y2)/2 + 4).s(`">waits</text>`)
		}
	}
	for i, wt := range waits {
		h.s(`<g class="n"><rect x="`).n(x0).s(`" y="`).n(y(i)).s(`" width="`).n(bw).s(`" height="`).n(bh).s(`" rx="6"/><text x="`).n(x0 + bw/2).s(`" y="`).n(y(i) + bh/2).s(`">`)
		h.s("task ").n(int(wt.Task)).s(" ").t(wt.Name).s("</text></g>")
	}
	h.s("</svg></div>")
	return h.String()
}

func sign(x int) int {
	if x < 0 {
		return -1
	}
	return 1
}
