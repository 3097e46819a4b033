package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// Service programs that no catalog service stands for, against real hyper:
// the oracle with three more services (oracle/program-handlers.patch):
// pipe, Response::new(req.into_body()) (hyper's echo example); reject-413,
// drop(req) and a 413; reject-413-close, the same with Connection: close.
// Their answers are recorded in testdata/programs/answers.json; with
// HYPER1_ORACLE_PROGRAMS set to a patched oracle the test records them
// again (issue 17, items 1 and 5).

// programVariants are the programs and the oracle service each stands for.
var programVariants = []struct{ handler, program string }{
	{"pipe", "respond 200 body request"},
	{"reject-413", "respond 413 body \"upload too large\""},
	{"reject-413-close", "respond 413 header \"Connection: close\" body \"upload too large\""},
}

// programInputs are what the client sends, chunk by chunk, a 1 ms pause
// between chunks.
var programInputs = [][]string{
	{"GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
	{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
	{"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", "6\r\n world\r\n0\r\n\r\n", "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"},
	{"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + strings.Repeat("a", 100), strings.Repeat("b", 100)},
	{"POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1E\r\nthe first part of a big upload\r\n", "8\r\nthe rest\r\n0\r\n\r\n"},
	{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: x\r\n\r\n"},
	{"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", "abc"},
	{"POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc"},
	{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", ""},
}

const programAnswers = "testdata/programs/answers.json"

// programCaseName names a (service, input, half-close) case.
func programCaseName(handler string, input int, half bool) string {
	name := handler + "/" + strconv.Itoa(input)
	if half {
		name += "/half-close"
	}
	return name
}

func TestProgramsAgainstHyper(t *testing.T) {
	answers := map[string]*serverAnswer{}
	if bin := os.Getenv("HYPER1_ORACLE_PROGRAMS"); bin != "" {
		var list []*serverAnswer
		for _, v := range programVariants {
			for i, in := range programInputs {
				for _, half := range []bool{false, true} {
					var chunks []string
					for _, c := range in {
						chunks = append(chunks, base64.StdEncoding.EncodeToString([]byte(c)))
					}
					cs, _ := json.Marshal(map[string]any{"handler": v.handler, "chunks": chunks, "half_close": half, "pause_ms": 1,
						"options": map[string]any{"half_close_allowed": false, "keep_alive": true}})
					cmd := exec.Command(bin, "case")
					cmd.Stdin = bytes.NewReader(cs)
					out, err := cmd.Output()
					if err != nil {
						t.Fatalf("oracle: %v %s", err, out)
					}
					ans := &serverAnswer{}
					if err := json.Unmarshal(out, ans); err != nil {
						t.Fatal(err)
					}
					ans.Name = programCaseName(v.handler, i, half)
					// the date masked, as text when it is: the file reads
					// as what hyper sent and records the same twice
					ans.Response, ans.ResponseB64 = textOrB64(maskDate(ans.response()))
					list = append(list, ans)
				}
			}
		}
		var data bytes.Buffer
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(list)
		if err := os.WriteFile(programAnswers, data.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	answers, err = readAnswers(programAnswers, func(a *serverAnswer) string { return a.Name })
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range programVariants {
		for i, in := range programInputs {
			for _, half := range []bool{false, true} {
				name := programCaseName(v.handler, i, half)
				ans := answers[name]
				if ans == nil || ans.Error != "" {
					t.Errorf("%s: no recorded answer (record with HYPER1_ORACLE_PROGRAMS)", name)
					continue
				}
				f := &session.File{Version: 1, Mode: "server", ServiceProgram: strings.Split(v.program, "\n"), Transport: session.Transport{Capacity: 65536}}
				for _, c := range in {
					s := base64.StdEncoding.EncodeToString([]byte(c))
					ms := int64(1)
					f.Input = append(f.Input, session.Input{SendB64: &s}, session.Input{WaitMS: &ms})
				}
				if half {
					w := "write"
					f.Input = append(f.Input, session.Input{Shutdown: &w})
				}
				if err := f.Validate(); err != nil {
					t.Fatal(err)
				}
				s := session.New(f, session.Options{})
				if err := s.Run(); err != nil {
					t.Fatal(err)
				}
				n++
				tr := s.Transcript(false)
				got, want := maskDate(s.ToClient()), maskDate(ans.response())
				gotOut := "result=" + engineOutcome(tr.Result) + " eof=" + strconv.FormatBool(tr.PeerEOF) + " requests_seen=" + strconv.Itoa(tr.RequestsSeen)
				wantOut := "result=" + hyperOutcome(ans.ServerResult) + " eof=" + strconv.FormatBool(ans.EOF) + " requests_seen=" + strconv.Itoa(ans.RequestsSeen)
				if !bytes.Equal(got, want) || gotOut != wantOut {
					t.Errorf("%s (%q):\n got %q %s\nwant %q %s (hyper)", name, v.program, got, gotOut, want, wantOut)
				}
			}
		}
	}
	t.Logf("%d cases agree with hyper", n)
}
