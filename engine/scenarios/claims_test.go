package scenarios

// Scenarios tell the truth (issue 16, item 8). Every concrete statement a
// scenario's text makes about its run (a state it names, a value the panel
// shows, a hang) is written down in scenarioClaims (claims_table_test.go)
// as checks on the engine at the step the text describes, the way the
// docs' {{embed}} claims are (site/cmd/docsgen/embed.go). TestScenarioClaims
// runs every scenario and checks each one; a false claim fails naming the
// scenario, the step and the claim. A scan of the text finds every state
// name it mentions (Init, KeepAlive, Busy, Pending, ...) and every count
// of the result panel ("after 2 requests", "requests seen: 1", "6
// executor steps") and requires a claim whose words cover it, so a new
// sentence about the state cannot slip in unchecked.

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// scenarioClaim is one statement of a scenario's text.
type scenarioClaim struct {
	// At is where it holds: "mark N" (the N-th mark, met in order, as the
	// sandbox's mark buttons do), "end" (the last event, and the session's
	// result), or a breakpoint expression (its first hit; " #K" after it:
	// the K-th). "" for words that are not about one step of this run:
	// Holds then says why (rule: a general fact about hyper; edit: what the
	// goal's edited session would show).
	At string
	// Says is the words that make the statement, exactly as they appear in
	// the summary, an explanation paragraph, the goal or a mark's label.
	Says string
	// Holds is what the engine must show at At, each one of:
	//   FIELD=VALUE   a panel field (fieldReaders; client.FIELD for the
	//                 client connection in mode both); Reading and Writing
	//                 match by variant ("Body" matches "Body(Length(5))")
	//   hits=EXPR     the breakpoint hits at or before At
	//   never=EXPR    the breakpoint does not hit at or before At
	//   result=STATE  the session's result (At "end")
	//   waits~=TEXT   the stall panel (the result's wait-for graph) lists
	//                 a task whose "name: waits (woken by ...)" contains
	//                 TEXT (At "end")
	//   steps=N       the executor step of the event at At
	Holds []string
}

func at(where, says string, holds ...string) scenarioClaim {
	return scenarioClaim{At: where, Says: says, Holds: holds}
}

// rule: the words state a general fact about hyper, not this run's state.
func rule(says string) scenarioClaim {
	return scenarioClaim{Says: says, Holds: []string{"rule"}}
}

// edit: the words say what the goal's edited session would show.
func edit(says string) scenarioClaim {
	return scenarioClaim{Says: says, Holds: []string{"edit"}}
}

// fieldReaders read a panel field of a View, written as claims write it.
var fieldReaders = map[string]func(v *timeline.View) string{
	"reading":     func(v *timeline.View) string { return v.Reading },
	"writing":     func(v *timeline.View) string { return v.Writing },
	"keep_alive":  func(v *timeline.View) string { return v.KeepAlive },
	"notify_read": func(v *timeline.View) string { return strconv.FormatBool(v.NotifyRead) },
	"is_closing":  func(v *timeline.View) string { return strconv.FormatBool(v.IsClosing) },
	"iter":        func(v *timeline.View) string { return strconv.Itoa(v.Iter) },
	"body_tx":     func(v *timeline.View) string { return none(v.BodyTx) },
	"body_rx":     func(v *timeline.View) string { return strconv.FormatBool(v.BodyRx) },
	"in_flight":   func(v *timeline.View) string { return none(v.InFlight) },
	"queue":       func(v *timeline.View) string { return strconv.Itoa(v.Queue) },
	"wanting":     func(v *timeline.View) string { return strconv.FormatBool(v.Wanting) },
	"read_buf":    func(v *timeline.View) string { return strconv.Itoa(v.ReadBuf) },
	"write_buf":   func(v *timeline.View) string { return strconv.Itoa(v.WriteBuf) },
	"requests":    func(v *timeline.View) string { return strconv.Itoa(v.Requests) },
	"upgraded":    func(v *timeline.View) string { return strconv.FormatBool(v.Upgraded) },
	"done":        func(v *timeline.View) string { return strconv.FormatBool(v.Done) },
	"clock":       func(v *timeline.View) string { return strconv.FormatInt(v.ClockMS, 10) },
	"wire_in":     func(v *timeline.View) string { return strconv.FormatInt(v.WireIn, 10) },
	"wire_out":    func(v *timeline.View) string { return strconv.FormatInt(v.WireOut, 10) },
}

func none(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// stateWord is a state or poll value named in a scenario's text: each one
// must be covered by a claim. "100 Continue" (the interim response) is
// not the Reading state and is skipped.
var stateWord = regexp.MustCompile(`\b(Init|KeepAlive|Closed|Body|Continue|Idle|Busy|Disabled|Pending|Ready|CLOSED)\b`)

// countWord is a count the result panel shows, named in a scenario's
// text ("after 2 requests", "requests seen: 1", "6 executor steps"): each
// one must be covered by a claim too.
var countWord = regexp.MustCompile(`\bafter \d+ requests?\b|requests seen: \d+|\b\d+ executor steps\b`)

// scenarioTexts are the texts of a scenario that make claims, by name.
func scenarioTexts(sc Scenario) map[string]string {
	m := map[string]string{"summary": sc.Summary, "explanation 1": sc.Explain[0], "explanation 2": sc.Explain[1], "goal": sc.Goal}
	for i, mk := range sc.Steps {
		m["mark "+strconv.Itoa(i+1)+" label"] = mk.Label
	}
	return m
}

// checkCoverage lists the state words of sc's texts that no claim's words
// cover, and claims whose words the texts no longer contain.
func checkCoverage(sc Scenario, claims []scenarioClaim) []error {
	var errs []error
	texts := scenarioTexts(sc)
	type span struct{ lo, hi int }
	covered := map[string][]span{}
	for _, c := range claims {
		found := false
		for name, text := range texts {
			for off := 0; ; {
				i := strings.Index(text[off:], c.Says)
				if i < 0 {
					break
				}
				found = true
				covered[name] = append(covered[name], span{off + i, off + i + len(c.Says)})
				off += i + 1
			}
		}
		if !found {
			errs = append(errs, fmt.Errorf("%s: the claim's words %q are not in its text any more", sc.Name, c.Says))
		}
	}
	for _, name := range sortedKeys(texts) {
		text := texts[name]
		for _, loc := range append(stateWord.FindAllStringIndex(text, -1), countWord.FindAllStringIndex(text, -1)...) {
			if loc[0] >= 4 && text[loc[0]-4:loc[0]] == "100 " {
				continue
			}
			ok := false
			for _, s := range covered[name] {
				ok = ok || (s.lo <= loc[0] && loc[1] <= s.hi)
			}
			if !ok {
				a, b := max(0, loc[0]-40), min(len(text), loc[1]+20)
				errs = append(errs, fmt.Errorf("%s: %s says %q with no claim to check it: …%s…", sc.Name, name, text[loc[0]:loc[1]], text[a:b]))
			}
		}
	}
	return errs
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// claimRun is a scenario's recorded run, shared by its claims.
type claimRun struct {
	sc  Scenario
	tl  *timeline.Timeline
	res session.Result
}

func newClaimRun(sc Scenario) (*claimRun, error) {
	f, err := sc.File()
	if err != nil {
		return nil, err
	}
	tl, err := timeline.New(f)
	if err != nil {
		return nil, err
	}
	if tl.Err() != nil {
		return nil, tl.Err()
	}
	if tl.Len() == 0 {
		return nil, errors.New("the scenario records no events")
	}
	return &claimRun{sc: sc, tl: tl, res: tl.Session().Transcript(false).Result}, nil
}

// resolve finds the event a claim's At names.
func (r *claimRun) resolve(where string) (int, error) {
	tl := r.tl
	switch {
	case where == "end":
		return tl.Len() - 1, nil
	case strings.HasPrefix(where, "mark "):
		k, err := strconv.Atoi(strings.TrimPrefix(where, "mark "))
		if err != nil || k < 1 || k > len(r.sc.Steps) {
			return 0, fmt.Errorf("%q: the scenario has marks 1 to %d", where, len(r.sc.Steps))
		}
		ev := -1
		for i := 0; i < k; i++ {
			next, err := tl.Find(r.sc.Steps[i].Expr, ev)
			if err != nil || next < 0 {
				return 0, fmt.Errorf("mark %d %q never hits (%v)", i+1, r.sc.Steps[i].Expr, err)
			}
			ev = next
		}
		return ev, nil
	}
	expr, nth := where, 1
	if i := strings.LastIndex(where, " #"); i >= 0 {
		if n, err := strconv.Atoi(where[i+2:]); err == nil && n >= 1 {
			expr, nth = where[:i], n
		}
	}
	ev := -1
	for i := 0; i < nth; i++ {
		next, err := tl.Find(expr, ev)
		if err != nil {
			return 0, err
		}
		if next < 0 {
			return 0, fmt.Errorf("breakpoint %q hits %d times, not %d", expr, i, nth)
		}
		ev = next
	}
	return ev, nil
}

// check checks one claim; the error names the scenario, the step and the
// claim that is false.
func (r *claimRun) check(c scenarioClaim) error {
	if c.At == "" {
		if len(c.Holds) != 1 || (c.Holds[0] != "rule" && c.Holds[0] != "edit") {
			return fmt.Errorf("%s: %q: a claim without a step must be rule(...) or edit(...)", r.sc.Name, c.Says)
		}
		return nil
	}
	if len(c.Holds) == 0 {
		return fmt.Errorf("%s: %q at %s: the claim checks nothing", r.sc.Name, c.Says, c.At)
	}
	ev, err := r.resolve(c.At)
	if err != nil {
		return fmt.Errorf("%s: %q at %s: %v", r.sc.Name, c.Says, c.At, err)
	}
	v := r.tl.ViewAt(ev)
	for _, h := range c.Holds {
		if msg := r.holds(h, ev, &v); msg != "" {
			return fmt.Errorf("%s: at %s (event %d), where the text says %q: %s is false: %s", r.sc.Name, c.At, ev, c.Says, h, msg)
		}
	}
	return nil
}

// holds returns "" when h holds at event ev, else what the engine shows.
func (r *claimRun) holds(h string, ev int, v *timeline.View) string {
	if k, want, ok := strings.Cut(h, "~="); ok && k == "waits" {
		if r.res.State != "deadlock" && len(r.res.Waits) == 0 {
			return "the stall panel shows no stall (result " + r.res.State + ")"
		}
		var all []string
		for _, w := range r.res.Waits {
			text := w.Name + ": " + strings.Join(w.WaitsOn, "; ") + " (woken by " + strings.Join(w.WokenBy, "; ") + ")"
			if strings.Contains(text, want) {
				return ""
			}
			all = append(all, text)
		}
		return "no task in the wait-for graph matches; it lists " + strings.Join(all, " | ")
	}
	k, want, ok := strings.Cut(h, "=")
	if !ok {
		return "not FIELD=VALUE"
	}
	switch k {
	case "hits", "never":
		first, err := r.tl.Find(want, -1)
		if err != nil {
			return err.Error()
		}
		hit := first >= 0 && first <= ev
		if k == "hits" && !hit {
			return "it does not hit by then"
		}
		if k == "never" && hit {
			return "it hits at event " + strconv.Itoa(first)
		}
		return ""
	case "result":
		if r.res.State != want {
			return "the result is " + r.res.State + " (" + r.res.Explain + ")"
		}
		return ""
	case "steps":
		if got := strconv.Itoa(v.Step); got != want {
			return "the step is " + got
		}
		return ""
	}
	base, client := strings.CutPrefix(k, "client.")
	read, ok := fieldReaders[base]
	if !ok {
		return "unknown field " + k
	}
	if client {
		if v.Client == nil {
			return "the session has no client connection (mode " + r.tl.File().Mode + ")"
		}
		v = v.Client
	}
	got := read(v)
	if got == want {
		return ""
	}
	if base == "reading" || base == "writing" {
		if variant, _, _ := strings.Cut(got, "("); variant == want {
			return ""
		}
	}
	return "the engine shows " + k + "=" + got
}

// checkScenarioClaims checks every claim of sc against a fresh run, that
// the claims cover the text, and that every mark has a claim.
func checkScenarioClaims(sc Scenario, claims []scenarioClaim) []error {
	errs := checkCoverage(sc, claims)
	for i, m := range sc.Steps {
		where, said := "mark "+strconv.Itoa(i+1), false
		for _, c := range claims {
			said = said || c.At == where
		}
		if !said {
			errs = append(errs, fmt.Errorf("%s: %s (%q) has no claim about the state there", sc.Name, where, m.Label))
		}
	}
	r, err := newClaimRun(sc)
	if err != nil {
		return append(errs, fmt.Errorf("%s: %v", sc.Name, err))
	}
	for _, c := range claims {
		if err := r.check(c); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// TestScenarioClaims: every scenario's text is true of its run.
func TestScenarioClaims(t *testing.T) {
	inLib := map[string]bool{}
	for _, sc := range Library() {
		inLib[sc.Name] = true
		t.Run(sc.Name, func(t *testing.T) {
			for _, err := range checkScenarioClaims(sc, scenarioClaims[sc.Name]) {
				t.Error(err)
			}
		})
	}
	for name := range scenarioClaims {
		if !inLib[name] {
			t.Errorf("claims for %q, which is not in the library", name)
		}
	}
}

// TestScenarioClaimsCatchFalseText: the check fails on a false claim, on
// a state the text names without a claim, and on a hang that the stall
// panel does not show, naming scenario, step and claim.
func TestScenarioClaimsCatchFalseText(t *testing.T) {
	sc, _ := Lookup("keep-alive")
	good := scenarioClaims[sc.Name]
	if errs := checkScenarioClaims(sc, good); len(errs) != 0 {
		t.Fatalf("the true claims fail: %v", errs)
	}
	cases := []struct {
		name  string
		edit  func(*Scenario, []scenarioClaim) []scenarioClaim
		wants []string
	}{
		{"a false state", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			return append(c, at("mark 1", "try_keep_alive makes the connection Idle", "reading=Closed"))
		}, []string{"keep-alive: at mark 1 (event ", `"try_keep_alive makes the connection Idle"`, "reading=Closed is false: the engine shows reading=KeepAlive"}},
		{"a false poll value", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			return append(c, at("mark 2", "busy() marks the connection Busy again", "body_tx=Pending"))
		}, []string{"keep-alive: at mark 2", "body_tx=Pending is false: the engine shows body_tx=none"}},
		{"a transition that never happens", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			return append(c, at("end", "makes the connection Busy again", "hits=transition writing -> Continue"))
		}, []string{"keep-alive: at end", "hits=transition writing -> Continue is false"}},
		{"a hang the stall panel does not show", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			return append(c, at("end", "a clean close", "waits~=server connection"))
		}, []string{"keep-alive: at end", "waits~=server connection is false: the stall panel shows no stall (result closed)"}},
		{"an unchecked state word", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			s.Explain[0] += " Then Writing goes to Busy."
			return c
		}, []string{`keep-alive: explanation 1 says "Busy" with no claim to check it: …`, "Then Writing goes to Busy"}},
		{"an unchecked count", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			s.Goal += " It closes after 3 requests."
			return c
		}, []string{`keep-alive: goal says "after 3 requests" with no claim to check it`}},
		{"words that are gone", func(s *Scenario, c []scenarioClaim) []scenarioClaim {
			return append(c, rule("Reading goes to Sleeping"))
		}, []string{`keep-alive: the claim's words "Reading goes to Sleeping" are not in its text any more`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sc.clone()
			claims := tc.edit(&s, append([]scenarioClaim(nil), good...))
			errs := checkScenarioClaims(s, claims)
			if len(errs) != 1 {
				t.Fatalf("%d errors, want 1: %v", len(errs), errs)
			}
			for _, w := range tc.wants {
				if !strings.Contains(errs[0].Error(), w) {
					t.Errorf("error %q does not say %q", errs[0], w)
				}
			}
		})
	}
}

// TestHangScenariosShowTheStall: a scenario that exists to show a hang
// ends in the stall panel's wait-for graph, with the hang in it (the
// deadlocks of seeds 001 and 002, and production bug 2's held upload).
func TestHangScenariosShowTheStall(t *testing.T) {
	hangs := map[string][]string{
		"seed001-deadlock": {"client program: ", "await conn", "server connection: "},
		"seed002-deadlock": {"client program: ", "await response", "client connection: ", "request body stream", "server connection: ", "body channel"},
		// production bug 2: the person is the client, so it is no
		// deadlock, but the stall panel shows the hang all the same
		"bug-big-upload-held": {"server connection: ", "body channel room"},
	}
	for name, wants := range hangs {
		sc, ok := Lookup(name)
		if !ok {
			t.Fatalf("no scenario %s", name)
		}
		r, err := newClaimRun(sc)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.res.Waits) == 0 {
			t.Errorf("%s: result %s with %d waits: the stall panel would show no hang", name, r.res.State, len(r.res.Waits))
			continue
		}
		for _, w := range wants {
			if msg := r.holds("waits~="+w, r.tl.Len()-1, nil); msg != "" {
				t.Errorf("%s: the stall panel does not show %q: %s", name, w, msg)
			}
		}
		// and the scenario's own claims say so
		said := false
		for _, c := range scenarioClaims[name] {
			for _, h := range c.Holds {
				said = said || strings.HasPrefix(h, "waits~=")
			}
		}
		if !said {
			t.Errorf("%s: no claim checks the wait-for graph its text describes", name)
		}
	}
}
