//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/connlab/connlab/wasm/ui"
)

// browserCodec is the page's ui.Codec: the browser's own
// CompressionStream and DecompressionStream ('deflate-raw'), through the
// loader's connlab.deflateRaw and connlab.inflateRaw, so the wasm carries
// no DEFLATE code (and links no compress/flate).
//
// The streams answer with a promise, and a JS callback's goroutine must
// not block waiting for another one. So nothing here waits: a call that
// has no answer yet starts the stream and returns ui.ErrLinkPending; the
// stream's callback keeps the answer and renders again, and the render
// asks again and gets it. A link is inflated before the model reads it
// (inflate): at start-up on the main goroutine, which may block on a
// channel while the event loop runs the stream; on hashchange from the
// listener, which dispatches once the stream is done.
type browserCodec struct {
	helper js.Value
	rerun  func() // render again: an answer came

	lastIn  string // the last input compressed, and its result
	lastOut []byte
	lastErr error
	pending map[string]bool // inputs being compressed

	inflated map[string]inflation // links decompressed ahead of the model
}

type inflation struct {
	out []byte
	err error
}

func newBrowserCodec(helper js.Value, rerun func()) *browserCodec {
	return &browserCodec{helper: helper, rerun: rerun, pending: map[string]bool{}, inflated: map[string]inflation{}}
}

// stream runs p through the loader's fn ("deflateRaw" or "inflateRaw")
// and calls done with the result from the stream's callback.
func (c *browserCodec) stream(fn string, p []byte, limit int, done func(inflation)) {
	in := js.Global().Get("Uint8Array").New(len(p))
	js.CopyBytesToJS(in, p)
	var cb js.Func
	cb = js.FuncOf(func(_ js.Value, args []js.Value) any {
		cb.Release()
		var r inflation
		switch {
		case len(args) > 2 && args[2].Truthy():
			r.err = ui.ErrInflateTooLarge
		case len(args) > 0 && args[0].Truthy():
			r.out = make([]byte, args[0].Get("length").Int())
			js.CopyBytesToGo(r.out, args[0])
		default:
			msg := "the browser's stream failed"
			if len(args) > 1 && args[1].Truthy() {
				msg = args[1].String()
			}
			r.err = errors.New(msg)
		}
		done(r)
		return nil
	})
	c.helper.Call(fn, in, limit, cb)
}

// Deflate answers from the last compression, or starts one.
func (c *browserCodec) Deflate(p []byte) ([]byte, error) {
	k := string(p)
	if k == c.lastIn && (c.lastOut != nil || c.lastErr != nil) {
		return c.lastOut, c.lastErr
	}
	if !c.pending[k] {
		c.pending[k] = true
		c.stream("deflateRaw", p, 0, func(r inflation) {
			delete(c.pending, k)
			c.lastIn, c.lastOut, c.lastErr = k, r.out, r.err
			c.rerun()
		})
	}
	return nil, ui.ErrLinkPending
}

// Inflate answers for a link inflate decompressed.
func (c *browserCodec) Inflate(src []byte, limit int) ([]byte, error) {
	if r, ok := c.inflated[string(src)]; ok && limit == ui.MaxInflated {
		return r.out, r.err
	}
	return nil, ui.ErrLinkPending
}

// inflate decompresses frag's link data, if it has any, for the model's
// Inflate, and then calls then (at once when there is nothing to do).
func (c *browserCodec) inflate(frag string, then func()) {
	raw, ok := ui.FragmentData(frag)
	if !ok {
		then()
		return
	}
	k := string(raw)
	c.stream("inflateRaw", raw, ui.MaxInflated, func(r inflation) {
		c.inflated = map[string]inflation{k: r} // only the latest link
		then()
	})
}

// inflateNow is inflate for the main goroutine at start-up: it blocks
// that goroutine (not the event loop, which runs the stream meanwhile)
// until the link is decompressed.
func (c *browserCodec) inflateNow(frag string) {
	done := make(chan struct{})
	c.inflate(frag, func() { close(done) })
	<-done
}
