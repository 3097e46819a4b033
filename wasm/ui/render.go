package ui

// Rendering crosses into JavaScript once per update. The page's dynamic
// elements are named by data-s attributes ("slots"); each slot has a kind
// that says what a value sets (text, markup built here from escaped text,
// an input's value, a property, or, for the wire panels and the event
// log's rows, that markup or an update of what the page shows: SetDelta).
// A Renderer remembers what each slot last received and emits only the
// changes, as one batch string the page's helper (site/static/connlab.js,
// connlab.apply) applies in one call; the batch is length-prefixed frames
// (batch.go), so no value can forge another slot's record.
//
// What a person typed or a link carried goes into "text", "value" and
// attribute slots wherever the page can show it that way; the html slots
// that show it (the wire, the previews, the input log, the breakpoint's
// error) build their markup with hb (html.go), which escapes every byte
// of it.

// Slot is one named, typed place on the page.
type Slot uint16

type slotDef struct{ name, kind string }

// The slots. The names match data-s attributes in site/static/index.html
// ("#app-…" slots are the root element's attributes).
const (
	SlotReady Slot = iota
	SlotOverlay
	SlotEmbed
	SlotPanels
	SlotMode
	SlotBoot
	SlotBannerBox
	SlotBannerKind
	SlotBanner
	SlotBannerUndo
	SlotBannerDetail
	SlotBannerCopy
	SlotScName
	SlotOpenFull

	SlotInputTitle
	SlotPresets
	SlotDraft
	SlotCRLF
	SlotInputHex
	SlotPreview
	SlotDraftInfo
	SlotDraftInfoKind
	SlotFragN
	SlotClockStep
	SlotInputs
	SlotSendLabel
	SlotWhyWire
	SlotWhyHandler

	SlotScTitle
	SlotScMeta
	SlotScExplain
	SlotScGoal
	SlotScMarks

	SlotOptSummary
	SlotHandlerOptions
	SlotHandler
	SlotOptKeepAlive
	SlotOptHalfClose
	SlotOptTitleCase
	SlotOptReadChunk
	SlotOptTimeout
	SlotOptOpen

	SlotDisBack
	SlotDisFwd
	SlotUnit
	SlotScrub
	SlotPos
	SlotBP
	SlotBPError
	SlotBPErrorKind

	SlotNow

	SlotConnBadge
	SlotReading
	SlotWriting
	SlotKeepAlive
	SlotNotifyRead
	SlotBuffers
	SlotRequests
	SlotStep
	SlotClock
	SlotClientConn

	SlotIter
	SlotWants
	SlotIsClosing
	SlotBodyTx
	SlotBodyRx
	SlotInFlight
	SlotIterBar
	SlotQueue

	SlotDiagram

	SlotWireInTitle
	SlotWireInN
	SlotWireIn
	SlotWireOutTitle
	SlotWireOutN
	SlotWireOut
	SlotWireHex

	SlotUpgrade
	SlotStall

	SlotLogCount
	SlotLog
	SlotLogSpacer
	SlotLogRows
	SlotLogTop
	SlotLogCur

	SlotLibrary
	SlotLibCount
	SlotShareURL
	SlotShareNote
	SlotShareJSON
	SlotEmbedSnippet
	SlotEmbedNote

	// the programs and their Rust (programs_view.go)
	SlotModeSel
	SlotSvcText
	SlotWhySvc
	SlotSvcErr
	SlotSvcErrKind
	SlotSvcGutter
	SlotSvcExec
	SlotSvcErrLine
	SlotSvcStatus
	SlotCliText
	SlotWhyCli
	SlotCliErr
	SlotCliErrKind
	SlotCliGutter
	SlotCliExec
	SlotCliErrLine
	SlotCliStatus
	SlotRustStatus
	SlotRustServerBox
	SlotRustServer
	SlotRustClientBox
	SlotRustClient

	slotCount
)

var slotDefs = [slotCount]slotDef{
	SlotReady:      {"#app-ready", "attr:data-ready"},
	SlotOverlay:    {"#app-overlay", "attr:data-overlay"},
	SlotEmbed:      {"#app-embed", "attr:data-embed"},
	SlotPanels:     {"#app-panels", "attr:data-panels"},
	SlotMode:       {"#app-mode", "attr:data-mode"},
	SlotBoot:       {"boot", "hidden"},
	SlotBannerBox:  {"banner-box", "hidden"},
	SlotBannerKind: {"banner-kind", "class"},
	SlotBanner:     {"banner", "text"},
	// the banner's parts are text and flags, never markup: its message
	// often quotes a link's value (banner.go)
	SlotBannerUndo:   {"banner-undo", "hidden"},
	SlotBannerDetail: {"banner-detail", "text"},
	SlotBannerCopy:   {"banner-copy", "hidden"},
	SlotScName:       {"sc-name", "text"},
	SlotOpenFull:     {"open-full", "attr:href"},

	SlotInputTitle:    {"input-title", "text"},
	SlotPresets:       {"presets", "html"},
	SlotDraft:         {"draft", "value"},
	SlotCRLF:          {"crlf", "checked"},
	SlotInputHex:      {"input-hex", "checked"},
	SlotPreview:       {"preview", "html"},
	SlotDraftInfo:     {"draft-info", "text"},
	SlotDraftInfoKind: {"draft-info-kind", "class"},
	SlotFragN:         {"frag-n", "value"},
	SlotClockStep:     {"clock-step", "text"},
	SlotInputs:        {"inputs", "html"},
	SlotSendLabel:     {"send-label", "text"},
	// why a control cannot act in this mode ("" = it can): connlab.js
	// disables it and puts the reason in its title
	SlotWhyWire:    {"why-wire", "why"},
	SlotWhyHandler: {"why-handler", "why"},

	SlotScTitle:   {"sc-title", "text"},
	SlotScMeta:    {"sc-meta", "html"},
	SlotScExplain: {"sc-explain", "html"},
	SlotScGoal:    {"sc-goal", "html"},
	SlotScMarks:   {"sc-marks", "html"},

	SlotOptSummary:     {"opt-summary", "text"},
	SlotHandlerOptions: {"handler-options", "html"},
	SlotHandler:        {"handler", "value"},
	SlotOptKeepAlive:   {"opt-keep-alive", "checked"},
	SlotOptHalfClose:   {"opt-half-close", "checked"},
	SlotOptTitleCase:   {"opt-title-case", "checked"},
	SlotOptReadChunk:   {"opt-read-chunk", "value"},
	SlotOptTimeout:     {"opt-timeout", "value"},
	SlotOptOpen:        {"opt-open", "attr:open"},

	SlotDisBack:     {"dis-back", "disabled"},
	SlotDisFwd:      {"dis-fwd", "disabled"},
	SlotUnit:        {"unit", "value"},
	SlotScrub:       {"scrub", "range"},
	SlotPos:         {"pos", "text"},
	SlotBP:          {"bp", "value"},
	SlotBPError:     {"bp-error", "text"},
	SlotBPErrorKind: {"bp-error-kind", "class"},

	SlotNow: {"now", "html"},

	SlotConnBadge:  {"conn-badge", "html"},
	SlotReading:    {"reading", "html"},
	SlotWriting:    {"writing", "html"},
	SlotKeepAlive:  {"keep-alive", "html"},
	SlotNotifyRead: {"notify-read", "html"},
	SlotBuffers:    {"buffers", "html"},
	SlotRequests:   {"requests", "html"},
	SlotStep:       {"step", "html"},
	SlotClock:      {"clock", "html"},
	SlotClientConn: {"client-conn", "html"},

	SlotIter:      {"iter", "html"},
	SlotWants:     {"wants", "html"},
	SlotIsClosing: {"is-closing", "html"},
	SlotBodyTx:    {"body-tx", "html"},
	SlotBodyRx:    {"body-rx", "html"},
	SlotInFlight:  {"in-flight", "html"},
	SlotIterBar:   {"iter-bar", "width"},
	SlotQueue:     {"queue", "html"},

	SlotDiagram: {"diagram", "html"},

	SlotWireInTitle: {"wire-in-title", "text"},
	SlotWireInN:     {"wire-in-n", "text"},
	// "wire": markup, or a class-only update of its runs (wireDelta)
	SlotWireIn:       {"wire-in", "wire"},
	SlotWireOutTitle: {"wire-out-title", "text"},
	SlotWireOutN:     {"wire-out-n", "text"},
	SlotWireOut:      {"wire-out", "wire"},
	SlotWireHex:      {"wire-hex", "checked"},

	SlotUpgrade: {"upgrade", "html"},
	SlotStall:   {"stall", "html"},

	SlotLogCount:  {"log-count", "text"},
	SlotLog:       {"log", "scroll"},
	SlotLogSpacer: {"log-spacer", "height"},
	// "rows": markup, or the rows moved (logDelta)
	SlotLogRows: {"log-rows", "rows"},
	SlotLogTop:  {"log-top", "top"},
	SlotLogCur:  {"log-cur", "cursor"},

	SlotLibrary:      {"library", "html"},
	SlotLibCount:     {"lib-count", "text"},
	SlotShareURL:     {"share-url", "value"},
	SlotShareNote:    {"share-note", "text"},
	SlotShareJSON:    {"share-json", "value"},
	SlotEmbedSnippet: {"embed-snippet", "value"},
	SlotEmbedNote:    {"embed-note", "text"},

	SlotModeSel:    {"mode-sel", "value"},
	SlotSvcText:    {"svc-text", "value"},
	SlotWhySvc:     {"why-svc", "why"},
	SlotSvcErr:     {"svc-err", "text"},
	SlotSvcErrKind: {"svc-err-kind", "class"},
	SlotSvcGutter:  {"svc-gutter", "text"},
	// the executing and the erring line: CSS variables placing the
	// editor's bands (connlab.css .ed)
	SlotSvcExec:       {"svc-exec", "var:--exec"},
	SlotSvcErrLine:    {"svc-errl", "var:--errl"},
	SlotSvcStatus:     {"svc-status", "text"},
	SlotCliText:       {"cli-text", "value"},
	SlotWhyCli:        {"why-cli", "why"},
	SlotCliErr:        {"cli-err", "text"},
	SlotCliErrKind:    {"cli-err-kind", "class"},
	SlotCliGutter:     {"cli-gutter", "text"},
	SlotCliExec:       {"cli-exec", "var:--exec"},
	SlotCliErrLine:    {"cli-errl", "var:--errl"},
	SlotCliStatus:     {"cli-status", "text"},
	SlotRustStatus:    {"rust-status", "text"},
	SlotRustServerBox: {"rust-server-box", "hidden"},
	SlotRustServer:    {"rust-server", "html"},
	SlotRustClientBox: {"rust-client-box", "hidden"},
	SlotRustClient:    {"rust-client", "html"},
}

// Name is the slot's data-s name.
func (s Slot) Name() string { return slotDefs[s].name }

// Kind is what the slot's value sets.
func (s Slot) Kind() string { return slotDefs[s].kind }

// BindSpec is the argument of connlab.bind: every slot's name and kind,
// as frames (batch.go).
func BindSpec() string {
	var b []byte
	for _, d := range slotDefs {
		b = appendFrame(b, d.name)
		b = appendFrame(b, d.kind)
	}
	return string(b)
}

// Renderer remembers each slot's last value and batches changes.
type Renderer struct {
	vals  [slotCount]string
	set   [slotCount]bool
	batch []byte
	n     int
	// what the built page shows before the first render (shown.go): a
	// hash per slot, for slots whose preOK is set
	pre   [slotCount]uint64
	preOK [slotCount]bool
}

// Set gives slot s the value v; it is emitted only if it changed.
func (r *Renderer) Set(s Slot, v string) {
	if r.set[s] && r.vals[s] == v {
		return
	}
	if !r.set[s] && r.preShown(s, v) {
		r.vals[s], r.set[s] = v, true // the page shows it already
		return
	}
	r.vals[s], r.set[s] = v, true
	r.batch = appendFrame(r.batch, itoa(int(s)))
	r.batch = appendFrame(r.batch, v)
	r.n++
}

// SetDelta gives slot s the value v, like Set, but sends delta instead
// when the page shows from (the update delta turns from into v: a "wire"
// or "rows" slot's, which the page tells from markup by its first
// character, never a '<'). delta "" sends v.
func (r *Renderer) SetDelta(s Slot, v, from, delta string) {
	if r.set[s] && r.vals[s] == v {
		return
	}
	if !r.set[s] && r.preShown(s, v) {
		r.vals[s], r.set[s] = v, true // the page shows it already
		return
	}
	send := v
	if delta != "" && r.set[s] && r.vals[s] == from {
		send = delta
	}
	r.vals[s], r.set[s] = v, true
	r.batch = appendFrame(r.batch, itoa(int(s)))
	r.batch = appendFrame(r.batch, send)
	r.n++
}

// SetBool sets a checked/hidden/disabled slot.
func (r *Renderer) SetBool(s Slot, v bool) {
	if v {
		r.Set(s, "1")
	} else {
		r.Set(s, "")
	}
}

// Value is what slot s last received.
func (r *Renderer) Value(s Slot) string { return r.vals[s] }

// Assume records that the page already shows v in slot s (the static
// page's initial state), so a first Set of v sends nothing.
func (r *Renderer) Assume(s Slot, v string) { r.vals[s], r.set[s] = v, true }

// Forget makes the next Set of s emit even if unchanged (the page changed
// it behind the renderer's back, e.g. the person typed into an input, or
// new rows came without the cursor's marks): what the built page showed
// in it before the first render (shown.go) is gone too.
func (r *Renderer) Forget(s Slot) { r.set[s], r.preOK[s] = false, false }

// Flush returns the batch of changes since the last Flush and how many
// slots it sets.
func (r *Renderer) Flush() (string, int) {
	s, n := string(r.batch), r.n
	r.batch, r.n = r.batch[:0], 0
	return s, n
}
