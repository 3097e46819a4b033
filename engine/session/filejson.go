package session

import (
	"github.com/connlab/connlab/engine/jsontext"
)

// The session file's JSON, read and written by hand with engine/jsontext
// rather than by encoding/json's reflection, which would add about a
// megabyte to the browser build. The struct tags on File still say what
// the keys are, for readers and for encoding/json in native code (the
// tests check both encodings agree byte for byte).
//
// Reading is as strict as encoding/json with DisallowUnknownFields, and
// stricter in four ways: keys are matched exactly, in lower case as
// documented; a key may appear once per object; nothing may follow the
// session object (see package jsontext); and null is a type error naming
// the key wherever a value is required. Only the three options that are
// Rust Options in hyper's builder (keep_alive, max_buf_size,
// header_read_timeout_ms) take null, meaning "hyper's default".

// decodeFile reads data into a File without validating it.
func decodeFile(data []byte) (*File, error) {
	if onlySpace(data) {
		return nil, &Error{Msg: "empty input: expected a session object"}
	}
	var f File
	d := jsontext.NewDecoder(data)
	d.NullIsError = true
	f.read(d)
	if err := d.End(); err != nil {
		return nil, jsonError(err)
	}
	return &f, nil
}

func onlySpace(data []byte) bool {
	for _, c := range data {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// jsonError turns the reader's errors into an *Error naming the key.
func jsonError(err error) error {
	// the reader returns its errors unwrapped: a type switch, not
	// errors.As (which links internal/reflectlite into the browser's wasm)
	switch e := err.(type) {
	case *jsontext.SyntaxError:
		return &Error{Msg: e.Error()}
	case *jsontext.ValueError:
		if e.Key != "" {
			// an unknown key: Key is the key as written (what /api/run
			// reports), In the object it is in
			return &Error{Key: e.Key, In: e.Path, Msg: e.Msg}
		}
		key := e.Path
		if key == "" {
			key = "(top level)"
		}
		return &Error{Key: key, Msg: e.Msg}
	}
	return &Error{Msg: err.Error()}
}

func (f *File) read(d *jsontext.Decoder) {
	d.Object(func(key string) bool {
		switch key {
		case "version":
			f.Version = d.Int()
		case "mode":
			f.Mode = d.String()
		case "handler":
			f.Handler = d.String()
		case "server_options":
			f.ServerOptions.read(d)
		case "transport":
			f.Transport.read(d)
		case "input":
			// "[]" is an empty input log, as encoding/json reads it
			if d.Array(func(i int) { f.Input = append(f.Input, Input{}); f.Input[i].read(d) }) && f.Input == nil {
				f.Input = []Input{}
			}
		case "client_program":
			if d.Array(func(int) { f.ClientProgram = append(f.ClientProgram, d.String()) }) && f.ClientProgram == nil {
				f.ClientProgram = []string{}
			}
		case "service_program":
			if d.Array(func(int) { f.ServiceProgram = append(f.ServiceProgram, d.String()) }) && f.ServiceProgram == nil {
				f.ServiceProgram = []string{}
			}
		case "step_budget":
			f.StepBudget = d.Int()
		default:
			return false
		}
		return true
	})
}

func (o *ServerOptions) read(d *jsontext.Decoder) {
	d.Object(func(key string) bool {
		switch key {
		case "keep_alive":
			o.KeepAlive = jsontext.Optional(d, d.Bool)
		case "half_close":
			o.HalfClose = d.Bool()
		case "title_case_headers":
			o.TitleCaseHeaders = d.Bool()
		case "max_buf_size":
			o.MaxBufSize = jsontext.Optional(d, d.Int)
		case "header_read_timeout_ms":
			o.HeaderReadTimeoutMS = jsontext.Optional(d, d.Int64)
		default:
			return false
		}
		return true
	})
}

func (t *Transport) read(d *jsontext.Decoder) {
	d.Object(func(key string) bool {
		switch key {
		case "capacity":
			t.Capacity = d.Int()
		case "read_chunk":
			t.ReadChunk = d.Int()
		default:
			return false
		}
		return true
	})
}

// read reads one input. Its keys are optional in that an input has only
// one of them, but the one it has needs a value: {"send": null} is a type
// error, not an input without send.
func (in *Input) read(d *jsontext.Decoder) {
	d.Object(func(key string) bool {
		var p **string
		switch key {
		case "send":
			p = &in.Send
		case "send_b64":
			p = &in.SendB64
		case "shutdown":
			p = &in.Shutdown
		case "fault":
			p = &in.Fault
		case "wait_ms":
			ms := d.Int64()
			in.WaitMS = &ms
			return true
		default:
			return false
		}
		s := d.String()
		*p = &s
		return true
	})
}

// AppendJSON appends f as JSON to dst: compact, or indented by two spaces.
// The bytes are those of json.Marshal(f) and json.MarshalIndent(f, "", "  ")
// (key order, omitempty, null for an absent option, encoding/json's
// escaping), but for a nil input log, which is written as [] since the
// reader takes no null there. A nil f is null.
func (f *File) AppendJSON(dst []byte, indent bool) []byte {
	w := jsontext.Writer{Buf: dst, Indent: indent}
	if f == nil {
		w.Null()
		return w.Bytes()
	}
	w.BeginObject()
	w.Key("version")
	w.Int(int64(f.Version))
	w.Key("mode")
	w.String(f.Mode)
	w.Key("handler")
	w.String(f.Handler)

	o := &f.ServerOptions
	w.Key("server_options")
	w.BeginObject()
	w.Key("keep_alive")
	if o.KeepAlive != nil {
		w.Bool(*o.KeepAlive)
	} else {
		w.Null()
	}
	w.Key("half_close")
	w.Bool(o.HalfClose)
	w.Key("title_case_headers")
	w.Bool(o.TitleCaseHeaders)
	w.Key("max_buf_size")
	if o.MaxBufSize != nil {
		w.Int(int64(*o.MaxBufSize))
	} else {
		w.Null()
	}
	w.Key("header_read_timeout_ms")
	if o.HeaderReadTimeoutMS != nil {
		w.Int(*o.HeaderReadTimeoutMS)
	} else {
		w.Null()
	}
	w.EndObject()

	w.Key("transport")
	w.BeginObject()
	w.Key("capacity")
	w.Int(int64(f.Transport.Capacity))
	w.Key("read_chunk")
	w.Int(int64(f.Transport.ReadChunk))
	w.EndObject()

	// An absent input log is written as an empty one: null is not a
	// session file's input (the reader refuses it).
	w.Key("input")
	w.BeginArray()
	for i := range f.Input {
		f.Input[i].write(&w)
	}
	w.EndArray()
	if len(f.ClientProgram) > 0 {
		w.Key("client_program")
		w.BeginArray()
		for _, line := range f.ClientProgram {
			w.String(line)
		}
		w.EndArray()
	}
	if len(f.ServiceProgram) > 0 {
		w.Key("service_program")
		w.BeginArray()
		for _, line := range f.ServiceProgram {
			w.String(line)
		}
		w.EndArray()
	}
	if f.StepBudget != 0 {
		w.Key("step_budget")
		w.Int(int64(f.StepBudget))
	}
	w.EndObject()
	return w.Bytes()
}

// write writes the input's set fields (all omitempty).
func (in *Input) write(w *jsontext.Writer) {
	w.BeginObject()
	str := func(key string, v *string) {
		if v != nil {
			w.Key(key)
			w.String(*v)
		}
	}
	str("send", in.Send)
	str("send_b64", in.SendB64)
	if in.WaitMS != nil {
		w.Key("wait_ms")
		w.Int(*in.WaitMS)
	}
	str("shutdown", in.Shutdown)
	str("fault", in.Fault)
	w.EndObject()
}
