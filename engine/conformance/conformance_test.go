package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// comparison is one case's engine answer beside hyper's.
type comparison struct {
	group, name, source, known string
	client                     bool
	hyperBytes, engineBytes    []byte // server: response (date masked); client: the request bytes
	hyperOut, engineOut        string // the outcome, one line
	bytesOK, outcomeOK         bool
	// hyperDetail and engineDetail are the error's full text (hyper's cause
	// chain), compared for information only: hyper's io and user causes
	// are not connlab's.
	hyperDetail, engineDetail string
	err                       error // the case could not run
}

func (c *comparison) agrees() bool { return c.err == nil && c.bytesOK && c.outcomeOK }

// runServer runs a server case through the engine and compares it with
// hyper's recorded answer.
func runServer(sc *serverCase, ans *serverAnswer) *comparison {
	cmp := &comparison{name: sc.Name, source: sc.Source, known: sc.KnownDifference}
	if ans.Error != "" {
		cmp.err = fmt.Errorf("the oracle refused the case: %s", ans.Error)
		return cmp
	}
	f, err := sc.sessionFile()
	if err != nil {
		cmp.err = err
		return cmp
	}
	s := session.New(f, session.Options{})
	if err := s.Run(); err != nil {
		cmp.err = fmt.Errorf("engine: %v", err)
		return cmp
	}
	tr := s.Transcript(false)
	cmp.hyperBytes = maskDate(ans.response())
	cmp.engineBytes = maskDate(s.ToClient())
	cmp.bytesOK = bytes.Equal(cmp.hyperBytes, cmp.engineBytes)
	cmp.hyperOut = fmt.Sprintf("result=%s eof=%v requests_seen=%d", hyperOutcome(ans.ServerResult), ans.EOF, ans.RequestsSeen)
	cmp.engineOut = fmt.Sprintf("result=%s eof=%v requests_seen=%d", engineOutcome(tr.Result), tr.PeerEOF, tr.RequestsSeen)
	cmp.outcomeOK = cmp.hyperOut == cmp.engineOut
	if d, ok := strings.CutPrefix(ans.ServerResult, "error: "); ok {
		cmp.hyperDetail = d
	}
	if tr.Result.Error != nil {
		cmp.engineDetail = tr.Result.Error.Detail
	}
	return cmp
}

// hyperEvents lists what the program saw in hyper: responses, bodies and
// the error that ended it, each with its op index.
func hyperEvents(a *clientAnswer) []string {
	var out []string
	for _, l := range a.Log {
		switch l.Event {
		case "response":
			out = append(out, fmt.Sprintf("op %d: response %d", l.Op, l.Status))
		case "body":
			var b []byte
			if l.BodyB64 != nil {
				b, _ = base64.StdEncoding.DecodeString(*l.BodyB64)
			}
			out = append(out, fmt.Sprintf("op %d: body %s", l.Op, strconv.Quote(string(b))))
		case "error":
			out = append(out, fmt.Sprintf("op %d: error %s", l.Op, errName(l.Error)))
		}
	}
	return out
}

// engineEvents lists the same from connlab's client program log.
func engineEvents(tr *session.Transcript) (events []string, failed bool) {
	for _, l := range tr.Client.Log {
		rest, ok := strings.CutPrefix(l, "line ")
		if !ok {
			continue
		}
		num, msg, ok := strings.Cut(rest, ": ")
		if !ok {
			continue
		}
		line, _ := strconv.Atoi(num)
		op := line - 1
		switch {
		case strings.HasPrefix(msg, "response "):
			events = append(events, fmt.Sprintf("op %d: %s", op, msg))
		case strings.HasPrefix(msg, "body \""):
			q, err := strconv.QuotedPrefix(strings.TrimPrefix(msg, "body "))
			if err != nil {
				q = msg
			}
			events = append(events, fmt.Sprintf("op %d: body %s", op, q))
		case strings.HasPrefix(msg, "error: "):
			failed = true
			kind := "?"
			if tr.Result.Error != nil {
				kind = strings.TrimPrefix(engineOutcome(tr.Result), "error ")
			}
			events = append(events, fmt.Sprintf("op %d: error %s", op, kind))
		}
	}
	return events, failed
}

// runClient runs a client case through the engine and compares it with
// hyper's recorded answer.
func runClient(cc *clientCase, ans *clientAnswer) *comparison {
	cmp := &comparison{name: cc.Name, source: cc.Source, known: cc.KnownDifference, client: true}
	if ans.Error != "" {
		cmp.err = fmt.Errorf("the oracle refused the case: %s", ans.Error)
		return cmp
	}
	for _, line := range cc.Program {
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			cmp.err = fmt.Errorf("programs here have no blank or comment lines (op k is line k+1)")
			return cmp
		}
	}
	f, err := cc.sessionFile()
	if err != nil {
		cmp.err = err
		return cmp
	}
	s := session.New(f, session.Options{})
	if err := s.Run(); err != nil {
		cmp.err = fmt.Errorf("engine: %v", err)
		return cmp
	}
	tr := s.Transcript(false)

	switch {
	case ans.ToServer != nil:
		cmp.hyperBytes = []byte(*ans.ToServer)
	case ans.ToServerB64 != nil:
		cmp.hyperBytes, _ = base64.StdEncoding.DecodeString(*ans.ToServerB64)
	}
	cmp.engineBytes = s.ToServer()
	cmp.bytesOK = bytes.Equal(cmp.hyperBytes, cmp.engineBytes)

	// hyper's side
	hp := "done"
	hFailed := ans.Program.Error != nil
	switch {
	case hFailed:
		hp = "failed"
	case !ans.Program.Done && ans.Program.AtOp != nil:
		hp = "waiting at op " + strconv.Itoa(*ans.Program.AtOp)
	}
	hc := "-"
	if !hFailed {
		switch ans.Conn.State {
		case "ok":
			hc = "closed"
		case "error":
			hc = "error " + errName(ans.Conn.Error)
		default: // pending, not-spawned
			hc = "running"
		}
	}
	cmp.hyperOut = fmt.Sprintf("events=[%s] program=%s conn=%s eof=%v",
		strings.Join(hyperEvents(ans), "; "), hp, hc, ans.ServerEOF)

	// the engine's side
	evs, eFailed := engineEvents(tr)
	ep := "done"
	switch {
	case eFailed:
		ep = "failed"
	case !tr.Client.Done:
		ep = "waiting at op " + strconv.Itoa(tr.Client.Line-1)
	}
	ec := "-"
	if !eFailed {
		ec = engineOutcome(tr.Result)
	}
	cmp.engineOut = fmt.Sprintf("events=[%s] program=%s conn=%s eof=%v",
		strings.Join(evs, "; "), ep, ec, tr.PeerEOF)
	cmp.outcomeOK = cmp.hyperOut == cmp.engineOut
	return cmp
}

// readAnswers reads a case file's recorded answers, by case name.
func readAnswers[T any](path string, name func(*T) string) (map[string]*T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []*T
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	m := map[string]*T{}
	for _, a := range list {
		m[name(a)] = a
	}
	return m, nil
}

// runFile runs one side (server or client) of a case file against its
// recorded answers.
func runFile[C, A any](t *testing.T, cf *caseFile, cases []C, caseName func(*C) string, ansName func(*A) string, run func(*C, *A) *comparison) []*comparison {
	t.Helper()
	if len(cases) == 0 {
		return nil
	}
	answers, err := readAnswers(answerPath("testdata", cf), ansName)
	if err != nil {
		t.Fatalf("%v (re-record with record.sh)", err)
	}
	var out []*comparison
	for i := range cases {
		c := &cases[i]
		ans, ok := answers[caseName(c)]
		if !ok {
			t.Errorf("%s: case %s has no recorded answer (re-record with record.sh)", cf.path, caseName(c))
			continue
		}
		cmp := run(c, ans)
		cmp.group = cf.Group
		out = append(out, cmp)
	}
	return out
}

// compareAll runs every case of the corpus.
func compareAll(t *testing.T) []*comparison {
	t.Helper()
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	var all []*comparison
	for _, cf := range files {
		all = append(all, runFile(t, cf, cf.Server, func(c *serverCase) string { return c.Name },
			func(a *serverAnswer) string { return a.Name }, runServer)...)
		all = append(all, runFile(t, cf, cf.Client, func(c *clientCase) string { return c.Name },
			func(a *clientAnswer) string { return a.Name }, runClient)...)
	}
	return all
}

// TestAgainstHyper runs every case through the engine and compares bytes
// and outcome with real hyper's recorded answer. A case with
// known_difference must still differ.
func TestAgainstHyper(t *testing.T) {
	all := compareAll(t)
	names := map[string]bool{}
	var nServer, nClient, bytesOK, outOK, both, known, errs, detailOK int
	for _, c := range all {
		key := c.group + "/" + c.name
		if names[key] {
			t.Errorf("%s: duplicate case name", key)
		}
		names[key] = true
		if c.source == "" {
			t.Errorf("%s: no source", key)
		}
		if c.client {
			nClient++
		} else {
			nServer++
		}
		if c.err != nil {
			t.Errorf("%s: %v", key, c.err)
			continue
		}
		if c.bytesOK {
			bytesOK++
		}
		if c.outcomeOK {
			outOK++
		}
		if c.agrees() {
			both++
		}
		if c.hyperDetail != "" && c.outcomeOK {
			errs++
			if c.hyperDetail == c.engineDetail {
				detailOK++
			}
		}
		switch {
		case c.known != "" && c.agrees():
			t.Errorf("%s: marked known_difference (%s) but the engine now agrees with hyper: remove the mark", key, c.known)
		case c.known != "":
			known++
		case !c.agrees():
			t.Errorf("%s (%s): the engine differs from hyper\n%s", key, c.source, c.describe())
		}
	}
	t.Logf("corpus: %d server cases, %d client cases; byte-exact %d, outcome-exact %d, both %d, known differences %d",
		nServer, nClient, bytesOK, outOK, both, known)
	t.Logf("server errors of the same kind: %d, with the same text as hyper's cause chain: %d (not asserted)", errs, detailOK)
	if p := os.Getenv("CONNLAB_CONFORMANCE_REPORT"); p != "" {
		writeReport(t, p, all)
	}
}

// describe shows both sides of a difference.
func (c *comparison) describe() string {
	var b strings.Builder
	what := "response"
	if c.client {
		what = "request bytes"
	}
	if !c.bytesOK {
		fmt.Fprintf(&b, "  %s, hyper:  %q\n  %s, engine: %q\n", what, c.hyperBytes, what, c.engineBytes)
	}
	if !c.outcomeOK {
		fmt.Fprintf(&b, "  outcome, hyper:  %s\n  outcome, engine: %s\n", c.hyperOut, c.engineOut)
	}
	return b.String()
}

// writeReport lists every case that differs, both sides shown.
func writeReport(t *testing.T, path string, all []*comparison) {
	var b strings.Builder
	for _, c := range all {
		if c.err == nil && c.agrees() {
			if c.hyperDetail != "" && c.hyperDetail != c.engineDetail {
				fmt.Fprintf(&b, "## %s/%s: same outcome, other error text (not asserted)\n  hyper:  %s\n  engine: %s\n\n", c.group, c.name, c.hyperDetail, c.engineDetail)
			}
			continue
		}
		fmt.Fprintf(&b, "## %s/%s (%s)\n", c.group, c.name, c.source)
		if c.known != "" {
			fmt.Fprintf(&b, "known_difference: %s\n", c.known)
		}
		if c.err != nil {
			fmt.Fprintf(&b, "error: %v\n", c.err)
		} else {
			b.WriteString(c.describe())
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}

// TestCorpusSize keeps the corpus at least as large as issue 15 asks.
func TestCorpusSize(t *testing.T) {
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	var ns, nc int
	for _, cf := range files {
		ns += len(cf.Server)
		nc += len(cf.Client)
	}
	if ns < 120 || nc < 50 {
		t.Errorf("corpus has %d server and %d client cases; want at least 120 and 50", ns, nc)
	}
}
