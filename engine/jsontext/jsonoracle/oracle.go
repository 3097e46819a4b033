// Package jsonoracle holds what the tests of engine/jsontext and its users
// need from encoding/json, the oracle they are checked against. Only tests
// import it, so the browser's wasm never links encoding/json.
package jsonoracle

import (
	"bytes"
	"encoding/json"
)

// DuplicateKeys reports whether some object in data (valid JSON) has a
// key twice, as encoding/json's tokenizer reads the keys: the one place
// where jsontext (which refuses repeated keys) and encoding/json (last
// one wins) are meant to disagree.
func DuplicateKeys(data []byte) bool {
	type frame struct {
		obj, wantKey bool
		keys         map[string]bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	valueDone := func() {
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].wantKey {
			if k, ok := tok.(string); ok {
				if stack[n-1].keys[k] {
					return true
				}
				stack[n-1].keys[k] = true
				stack[n-1].wantKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{obj: true, wantKey: true, keys: map[string]bool{}})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}
