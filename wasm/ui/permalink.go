package ui

import (
	"errors"
	"strconv"
	"strings"

	b64enc "github.com/connlab/connlab/engine/b64"
	"github.com/connlab/connlab/engine/jsontext"
)

// Permalinks. The whole session (the session file, which holds the input
// log and the options, plus the cursor and the editor) travels in the URL
// fragment as "#v1=" followed by base64url (no padding) of raw DEFLATE of
// JSON (LinkCodec compresses it: compress/flate natively, the browser's
// own CompressionStream in the page; see codec.go). The fragment never
// reaches a server. The version prefix lets a
// later format coexist: an unknown version is a clear message, never a
// broken page.

// Share is what a permalink holds. Its JSON is written and read by hand
// (engine/jsontext, no reflection), byte for byte as encoding/json wrote
// it, so links made before still open; the tags document the keys.
type Share struct {
	// Session is the session file (version 1), the same JSON as /api/run.
	Session []byte `json:"session"`
	Cursor  int    `json:"cursor"`
	// Scenario is the library scenario the session came from, if any, and
	// Modified whether the session was changed since.
	Scenario string `json:"scenario,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Draft    string `json:"draft,omitempty"`
	CRLF     *bool  `json:"crlf,omitempty"`
	Unit     string `json:"unit,omitempty"`
	BP       string `json:"bp,omitempty"`
}

const (
	fragPrefix = "v1="
	// MaxFragment bounds an accepted fragment (characters after '#'):
	// about 96 KB of base64, far beyond a typed session, well inside what
	// browsers keep in a URL.
	MaxFragment = 96 << 10
	// MaxInflated bounds the JSON a fragment may inflate to (a small link
	// must not expand into gigabytes).
	MaxInflated = 1 << 20
)

// LinkError is a fragment that cannot be restored; Msg says why in words
// for the page.
type LinkError struct{ Msg string }

func (e *LinkError) Error() string { return e.Msg }

// EncodeFragment returns the fragment (without '#') for s. A session too
// large for a link is a *LinkError.
func EncodeFragment(s *Share) (string, error) {
	j, err := s.appendJSON(nil)
	if err != nil {
		return "", err
	}
	z, err := deflateLink(j)
	if err != nil {
		return "", err
	}
	frag := fragPrefix + b64enc.RawURL.EncodeToString(z)
	if len(frag) > MaxFragment {
		return "", &LinkError{Msg: "this session is too large for a link (" + kb(len(frag)) + " after compression, the limit is " + kb(MaxFragment) + "): copy the session file instead"}
	}
	return frag, nil
}

// FragmentData is the compressed data of a v1 fragment (with or without
// the leading '#'), for an adapter to decompress before the model reads
// the link; false when the fragment holds none (DecodeFragment says why).
func FragmentData(frag string) ([]byte, bool) {
	frag = strings.TrimPrefix(frag, "#")
	if len(frag) > MaxFragment || !strings.HasPrefix(frag, fragPrefix) {
		return nil, false
	}
	raw, err := b64enc.RawURL.DecodeString(strings.TrimRight(frag[len(fragPrefix):], "="))
	return raw, err == nil
}

// DecodeFragment restores a Share from a fragment (with or without the
// leading '#'). It returns (nil, nil) for an empty fragment.
func DecodeFragment(frag string) (*Share, error) {
	frag = strings.TrimPrefix(frag, "#")
	if frag == "" {
		return nil, nil
	}
	if len(frag) > MaxFragment {
		return nil, &LinkError{Msg: "this link is too long (" + kb(len(frag)) + "; the limit is " + kb(MaxFragment) + "): it was probably cut or altered"}
	}
	if !strings.HasPrefix(frag, fragPrefix) {
		if v, _, ok := strings.Cut(frag, "="); ok && len(v) > 1 && v[0] == 'v' && allDigits(v[1:]) {
			return nil, &LinkError{Msg: "this link uses session format " + v + ", which this version of connlab does not know (it reads v1); a newer connlab made it"}
		}
		return nil, &LinkError{Msg: "the part of the link after # is not a connlab session (it should start with #v1=)"}
	}
	raw, err := b64enc.RawURL.DecodeString(strings.TrimRight(frag[len(fragPrefix):], "="))
	if err != nil {
		return nil, &LinkError{Msg: "this link is damaged: its session data is not valid base64url (" + err.Error() + "); was it cut when copied?"}
	}
	j, err := inflateLink(raw, MaxInflated)
	if err == ErrInflateTooLarge {
		return nil, &LinkError{Msg: "this link's session is larger than " + kb(MaxInflated) + " once decompressed: refusing to load it"}
	}
	if err == ErrLinkPending || err == errNoCodec {
		return nil, err
	}
	if err != nil {
		return nil, &LinkError{Msg: "this link is damaged: its session data does not decompress (" + err.Error() + "); was it cut when copied?"}
	}
	s, err := readShare(j)
	if err != nil {
		return nil, err
	}
	if len(s.Session) == 0 || string(s.Session) == "null" {
		return nil, &LinkError{Msg: "this link holds no session"}
	}
	return s, nil
}

// appendJSON appends the Share as json.Marshal wrote it: the session
// compacted, the optional fields only when set.
func (s *Share) appendJSON(dst []byte) ([]byte, error) {
	w := jsontext.Writer{Buf: dst}
	w.BeginObject()
	w.Key("session")
	if len(s.Session) == 0 {
		w.Null()
	} else {
		session, err := jsontext.AppendCompact(nil, s.Session)
		if err != nil {
			return nil, errors.New("permalink: the session is not JSON: " + err.Error())
		}
		w.Raw(session)
	}
	w.Key("cursor")
	w.Int(int64(s.Cursor))
	str := func(key, v string) {
		if v != "" {
			w.Key(key)
			w.String(v)
		}
	}
	str("scenario", s.Scenario)
	if s.Modified {
		w.Key("modified")
		w.Bool(true)
	}
	str("draft", s.Draft)
	if s.CRLF != nil {
		w.Key("crlf")
		w.Bool(*s.CRLF)
	}
	str("unit", s.Unit)
	str("bp", s.BP)
	w.EndObject()
	return w.Bytes(), nil
}

// readShare reads a Share's JSON. Keys are matched exactly and each may
// appear once; a key this version does not know is ignored, as
// encoding/json ignored it, so a link from a later v1 still opens.
func readShare(j []byte) (*Share, error) {
	var s Share
	d := jsontext.NewDecoder(j)
	d.Object(func(key string) bool {
		switch key {
		case "session":
			s.Session = d.Raw()
		case "cursor":
			s.Cursor = d.Int()
		case "scenario":
			s.Scenario = d.String()
		case "modified":
			s.Modified = d.Bool()
		case "draft":
			s.Draft = d.String()
		case "crlf":
			s.CRLF = jsontext.Optional(d, d.Bool)
		case "unit":
			s.Unit = d.String()
		case "bp":
			s.BP = d.String()
		default:
			d.Skip()
		}
		return true
	})
	// End returns the reader's own errors, unwrapped: a type switch, not
	// errors.As (which links internal/reflectlite, about 8 KB of brotli
	// in the browser's wasm)
	switch e := d.End().(type) {
	case nil:
	case *jsontext.SyntaxError:
		return nil, &LinkError{Msg: "this link is damaged: its session is not valid JSON (line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Msg + ")"}
	case *jsontext.ValueError:
		if e.Where() == "" {
			return nil, &LinkError{Msg: "this link is damaged: it holds no session object (" + e.Msg + ")"}
		}
		return nil, &LinkError{Msg: "this link is damaged: its " + e.Where() + " is not valid (" + e.Msg + ")"}
	default:
		return nil, &LinkError{Msg: "this link is damaged: " + e.Error()}
	}
	return &s, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func kb(n int) string {
	if n < 1024 {
		return strconv.Itoa(n) + " bytes"
	}
	return strconv.Itoa((n+512)/1024) + " KB"
}

// errMsg is err's text, for the banner: a *LinkError's message, wherever
// it is in err's chain (errors.Unwrap, not errors.As: see readShare).
func errMsg(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if le, ok := e.(*LinkError); ok {
			return le.Msg
		}
	}
	return err.Error()
}
