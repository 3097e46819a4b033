package main

import (
	"fmt"
	"html/template"
	"strings"
)

// HyperBlob is where hyper's source files are linked (the files only: the
// docs are built offline, and line numbers move between versions while
// function names stay).
const HyperBlob = "https://github.com/hyperium/hyper/blob/master/"

// hyperFiles maps the first component of a hyper name (as the scenario
// library and the pages write them: Type::method, module::function) to
// the file that defines it. Longest prefix wins; a name no rule covers is
// a build error, so a typo never becomes a link to the wrong file.
var hyperFiles = []struct{ prefix, file string }{
	{"State::", "src/proto/h1/conn.rs"},
	{"Conn::", "src/proto/h1/conn.rs"},
	{"KA::", "src/proto/h1/conn.rs"},
	{"Reading::", "src/proto/h1/conn.rs"},
	{"Writing::", "src/proto/h1/conn.rs"},
	{"Dispatcher::", "src/proto/h1/dispatch.rs"},
	{"Dispatch::", "src/proto/h1/dispatch.rs"},
	{"Dispatched::", "src/proto/h1/dispatch.rs"},
	{"Server::", "src/proto/h1/dispatch.rs"},
	{"Client::", "src/proto/h1/dispatch.rs"},
	{"OptGuard::", "src/proto/h1/dispatch.rs"},
	{"task::yield_now", "src/proto/h1/dispatch.rs"},
	{"role::", "src/proto/h1/role.rs"},
	{"Decoder::", "src/proto/h1/decode.rs"},
	{"Encoder::", "src/proto/h1/encode.rs"},
	{"Buffered::", "src/proto/h1/io.rs"},
	{"Sender::", "src/body/incoming.rs"},
	{"Incoming::", "src/body/incoming.rs"},
	{"SendRequest::", "src/client/conn/http1.rs"},
	{"client::conn::http1::", "src/client/conn/http1.rs"},
	{"dispatch::", "src/client/dispatch.rs"},
	{"watch::", "src/common/watch.rs"},
	{"UpgradeableConnection::", "src/server/conn/http1.rs"},
	{"http1::Builder::", "src/server/conn/http1.rs"},
	{"hyper::upgrade::", "src/upgrade.rs"},
	{"Pending::", "src/upgrade.rs"},
}

// hyperFile is the source file of a hyper name.
func hyperFile(name string) (string, bool) {
	best := ""
	for _, r := range hyperFiles {
		if strings.HasPrefix(name, r.prefix) && len(r.prefix) > len(best) {
			best = r.prefix
		}
	}
	if best == "" {
		return "", false
	}
	for _, r := range hyperFiles {
		if r.prefix == best {
			return r.file, true
		}
	}
	return "", false
}

// hyperLink is <a href="…/conn.rs"><code>State::idle</code></a>.
func hyperLink(name string) (template.HTML, error) {
	file, ok := hyperFile(name)
	if !ok {
		return "", fmt.Errorf("hyper name %q: no source file known for it (add a prefix to hyperFiles in site/cmd/docsgen/hyper.go)", name)
	}
	esc := template.HTMLEscapeString
	return template.HTML(`<a class="hyper" href="` + esc(HyperBlob+file) + `" title="` + esc("hyper "+file) + `"><code>` + esc(name) + `</code></a>`), nil
}
