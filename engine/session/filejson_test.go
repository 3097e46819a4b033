package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/jsontext/jsonoracle"
)

// The session file's hand-written JSON against encoding/json, the oracle:
// the same bytes out, the same decision and the same File in.

// oracleParse is ParseBytes as it was with encoding/json (and
// DisallowUnknownFields), but rejecting trailing data as json.Valid does.
// syntax reports that the input is not JSON at all.
func oracleParse(data []byte) (f *File, syntax bool, err error) {
	if !json.Valid(data) {
		return nil, true, errors.New("not JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	f = new(File)
	if err := dec.Decode(f); err != nil {
		return nil, false, err
	}
	if err := f.Validate(); err != nil {
		return nil, false, err
	}
	return f, false, nil
}

// fileKeys are all the keys of a session file, at any level.
var fileKeys = []string{"version", "mode", "handler", "server_options", "transport", "input", "client_program", "service_program", "step_budget",
	"keep_alive", "half_close", "title_case_headers", "max_buf_size", "header_read_timeout_ms",
	"capacity", "read_chunk", "send", "send_b64", "wait_ms", "shutdown", "fault"}

// caseFolded reports whether key is a known key in another case, which
// encoding/json would have taken and the reader does not (on purpose).
func caseFolded(key string) bool {
	for _, k := range fileKeys {
		if k != key && strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// checkParse: ParseBytes decides as encoding/json does and reads the same
// File; an accepted File writes as encoding/json writes it and reads back
// as itself.
func checkParse(t *testing.T, data []byte) {
	t.Helper()
	got, err := ParseBytes(data)
	want, syntax, oerr := oracleParse(data)
	var se *Error
	if err != nil && !errors.As(err, &se) {
		t.Fatalf("%q: %T %v is not a *session.Error", data, err, err)
	}
	switch {
	case syntax:
		if err == nil || se.Key != "" {
			t.Fatalf("%q is not JSON, ParseBytes says %v", data, err)
		}
		return
	case err != nil && se.Key == "":
		t.Fatalf("%q is JSON, ParseBytes says %v", data, err)
	case err != nil && se.Msg == "unknown key" && caseFolded(se.Key):
		return // exact keys, on purpose
	case err != nil && strings.HasPrefix(se.Msg, "repeated key") && jsonoracle.DuplicateKeys(data):
		return // a key once, on purpose
	case err != nil && strings.HasSuffix(se.Msg, ", got null") && nullWhereRequired(data):
		return // null only for an option, on purpose
	case (err == nil) != (oerr == nil):
		t.Fatalf("%q: ParseBytes says %v, encoding/json %v", data, err, oerr)
	case err != nil:
		// a bad value the validation found: the same message
		var ve *Error
		if errors.As(oerr, &ve) && ve.Error() != err.Error() {
			t.Fatalf("%q: ParseBytes says %v, encoding/json and Validate %v", data, err, oerr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: read %+v, encoding/json reads %+v", data, got, want)
	}
	checkWrite(t, got)
	// it reads back as itself, but for an empty client program, which
	// omitempty leaves out
	same := *got
	if len(same.ClientProgram) == 0 {
		same.ClientProgram = nil
	}
	if same.Input == nil {
		same.Input = []Input{}
	}
	back, err := ParseBytes(got.AppendJSON(nil, false))
	if err != nil || !reflect.DeepEqual(back, &same) {
		t.Fatalf("%q does not round-trip: %+v, %v", data, back, err)
	}
}

// checkWrite: AppendJSON writes what json.Marshal and json.MarshalIndent
// write, after what is in dst already.
//
// The one difference: a nil input log is written as [] (json.Marshal
// writes null, which the reader refuses).
func checkWrite(t *testing.T, f *File) {
	t.Helper()
	asJSON := withInputLog(f)
	for _, indent := range []bool{false, true} {
		var want []byte
		if indent {
			want, _ = json.MarshalIndent(asJSON, "", "  ")
		} else {
			want, _ = json.Marshal(asJSON)
		}
		if got := f.AppendJSON([]byte("x"), indent); string(got) != "x"+string(want) {
			t.Fatalf("indent %v:\n got %s\nwant x%s", indent, got, want)
		}
	}
}

// LibrarySeeds are the session files of engine/scenarios' library, added
// by library_seeds_test.go (package session_test: the library imports this
// package, so an internal test cannot import it).
var LibrarySeeds [][]byte

func fileSeeds(t testing.TB) [][]byte {
	if len(LibrarySeeds) == 0 {
		t.Fatal("no library seeds: library_seeds_test.go did not run")
	}
	seeds := append([][]byte(nil), LibrarySeeds...)
	files, _ := os.ReadDir("testdata/scenarios")
	for _, e := range files {
		if strings.HasSuffix(e.Name(), ".json") {
			data, err := os.ReadFile("testdata/scenarios/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"version":1,"handler":"hello"}`, `{"version":1,"handler":"hello","input":[]}`,
		`{"version":1,"handler":"hello","input":null,"client_program":[],"step_budget":0}`,
		`{"version":1,"handler":"hello","input":[null,{"send":null,"wait_ms":5}]}`,
		`{"version":1,"handler":"hello","server_options":{"keep_alive":null,"max_buf_size":8192,"header_read_timeout_ms":1}}`,
		`{"Version":1,"handler":"hello"}`, `{"version":1,"version":1,"handler":"hello"}`, `{"vers\u0069on":1,"handler":"hello"}`,
		`{"version":1.0,"handler":"hello"}`, `{"version":1,"handler":"hello"} x`, `{"version":1,"handler":"hello"}}`,
		`{"version":1,"handler":"hello","input":[{"send":"<\u2028\ud800\"\u0000>"}]}`,
		"{\"version\":1,\"handler\":\"hello\",\"input\":[{\"send\":\"\xff\"}]}",
		`{"version":1,"mode":"client","client_program":["handshake","spawn conn","send GET / header \"Host: x\"","await response"]}`,
		`{"version":1,"handler":"","service_program":["on POST /up","  respond 413 body \"big\"","default","  read-body","  respond 200 body echo"],"input":[]}`,
		`{"version":1,"handler":"hello","service_program":["respond 200"]}`, `{"version":1,"service_program":[]}`,
		`{"version":1,"service_program":null}`, `{"version":1,"service_program":["respnd 200"]}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func TestParseAgainstEncodingJSON(t *testing.T) {
	for _, data := range fileSeeds(t) {
		checkParse(t, data)
	}
}

// randomFile is a File with any values, valid or not, and strings that
// need escaping.
func randomFile(r *rand.Rand) *File {
	pieces := []string{"", "a", "GET / HTTP/1.1\r\n", "<", ">", "&", "\u2028", "\u2029", "\x00", "\x1f", "\x7f", "\xff", "\xc3", "\"", "\\", "é", "😀", "\ufffd", "\t\b\f"}
	str := func() string {
		var b strings.Builder
		for range r.IntN(5) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	num := func() int64 {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return -1 << 63
		}
		return r.Int64() >> r.IntN(64)
	}
	maybe := func() bool { return r.IntN(2) == 0 }
	f := &File{Version: int(num()), Mode: str(), Handler: str(), StepBudget: int(num())}
	f.Transport = Transport{Capacity: int(num()), ReadChunk: int(num())}
	o := &f.ServerOptions
	o.HalfClose, o.TitleCaseHeaders = maybe(), maybe()
	if maybe() {
		b := maybe()
		o.KeepAlive = &b
	}
	if maybe() {
		n := int(num())
		o.MaxBufSize = &n
	}
	if maybe() {
		n := num()
		o.HeaderReadTimeoutMS = &n
	}
	if maybe() {
		f.Input = []Input{}
		for range r.IntN(4) {
			var in Input
			for _, p := range []**string{&in.Send, &in.SendB64, &in.Shutdown, &in.Fault} {
				if r.IntN(3) == 0 {
					s := str()
					*p = &s
				}
			}
			if r.IntN(3) == 0 {
				n := num()
				in.WaitMS = &n
			}
			f.Input = append(f.Input, in)
		}
	}
	if maybe() {
		f.ClientProgram = []string{}
		for range r.IntN(3) {
			f.ClientProgram = append(f.ClientProgram, str())
		}
	}
	return f
}

// withInputLog is f with an empty input log where it has none (nil f
// stays nil).
func withInputLog(f *File) *File {
	if f == nil || f.Input != nil {
		return f
	}
	c := *f
	c.Input = []Input{}
	return &c
}

// nullWhereRequired reports whether data, a JSON document, holds a null at
// a session file's key that takes no null: anything but the three options
// keep_alive, max_buf_size and header_read_timeout_ms (encoding/json reads
// such a null as the zero value; the reader refuses it, on purpose).
func nullWhereRequired(data []byte) bool {
	var top any
	if json.Unmarshal(data, &top) != nil {
		return false
	}
	options := map[string]bool{"keep_alive": true, "max_buf_size": true, "header_read_timeout_ms": true}
	var walk func(v any, inOptions bool) bool
	walk = func(v any, inOptions bool) bool {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if x == nil && !(inOptions && options[k]) {
					return true
				}
				if walk(x, k == "server_options") {
					return true
				}
			}
		case []any:
			for _, x := range v {
				if x == nil || walk(x, false) {
					return true
				}
			}
		}
		return false
	}
	return top == nil || walk(top, false)
}

// checkUnvalidated: a File written by AppendJSON reads back (without
// validation) as encoding/json reads what json.Marshal wrote.
func checkUnvalidated(t *testing.T, f *File) {
	t.Helper()
	checkWrite(t, f)
	got, err := decodeFile(f.AppendJSON(nil, true))
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	js, _ := json.Marshal(withInputLog(f))
	var want File
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("read back %+v, encoding/json reads %+v", got, &want)
	}
}

func TestFileJSONAgainstEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		checkUnvalidated(t, randomFile(r))
	}
	checkWrite(t, &File{})
	if got := (*File)(nil).AppendJSON(nil, true); string(got) != "null" {
		t.Errorf("nil File: %s", got)
	}
}

// FuzzFileJSON: the fuzzed bytes as a session file (ParseBytes against
// encoding/json), and a File made from fuzzed values (AppendJSON against
// json.Marshal and MarshalIndent, and back).
func FuzzFileJSON(f *testing.F) {
	for i, data := range fileSeeds(f) {
		f.Add(data, uint64(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		checkParse(t, data)
		checkUnvalidated(t, randomFile(rand.New(rand.NewPCG(seed, uint64(len(data))))))
	})
}
