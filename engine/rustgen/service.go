package rustgen

// Catalog services (engine/services) as the hyper 1.x service each one
// stands for: an `async fn handle(req)` that a service_fn calls, as the
// reference services are written. The whole request moves into the
// future, so what it holds (body, OnUpgrade) is dropped when the future
// completes, as the catalog's Handler.Keeps says.

// serviceHead is the signature every rendered service has.
// (req is `_req` when the service never touches it: it is still bound,
// so it lives until the future completes).
func serviceHead(param string) string {
	return "async fn handle(" + param + ": Request<Incoming>) -> Result<Response<Body>, BoxError> {\n"
}

// echoTask is the upgraded protocol of upgrade-echo and connect-tunnel:
// wait for the handoff, copy every byte read back until EOF, then shut
// down (an I/O error ends it without one), as services/upgrade_echo.go's
// echoTask does. @MARK@ is where the test records the handoff.
const echoTask = `
/// The upgraded protocol: echo raw bytes until EOF, then shut down.
fn spawn_echo(on_upgrade: hyper::upgrade::OnUpgrade) {
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else { return };
@MARK@        let mut io = TokioIo::new(upgraded);
        let mut buf = [0u8; 4096];
        loop {
            let n = match io.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return,
            };
            if io.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
        let _ = io.shutdown().await;
    });
}
`

// catalogBodies are the bodies of handle, by catalog name; uses says
// whether the service needs spawn_echo.
var catalogBodies = map[string]struct {
	body  string
	echo  bool   // needs spawn_echo
	ws    bool   // needs the WebSocket protocol (websocket.go)
	mut   bool   // the body changes req: the parameter is mut req
	param string // the parameter otherwise ("" = _req: never touched)
}{
	"hello": {body: `    Ok(Response::new(full(b"hello")))
`},
	"ignore-body": {body: `    // the body is never read: hyper drains it or closes
    Ok(Response::new(full(b"ok")))
`},
	"empty": {body: `    Ok(Response::builder().status(204).body(empty())?)
`},
	"close": {body: `    Ok(Response::builder().header("Connection", "close").body(full(b"bye"))?)
`},
	"error": {body: `    Err("service ` + "`error`" + ` failed on purpose".into())
`},
	"stream": {body: `    // a, b, c of unknown length: chunked
    let chunks = futures_util::stream::iter([&b"a"[..], b"b", b"c"].map(|c| Ok::<_, BoxError>(Frame::data(Bytes::from_static(c)))));
    Ok(Response::new(StreamBody::new(chunks).boxed()))
`},
	"echo": {mut: true, body: `    let body = req.body_mut().collect().await?.to_bytes();
    Ok(Response::new(full(body)))
`},
	"slow-body": {mut: true, body: `    // frame by frame, with a breath (one yield) before each
    let mut n = 0usize;
    loop {
        tokio::task::yield_now().await;
        match req.body_mut().frame().await {
            None => break,
            Some(frame) => match frame?.into_data() {
                Ok(data) => n += data.len(),
                Err(_trailers) => break,
            },
        }
    }
    Ok(Response::new(full(n.to_string())))
`},
	"read-one": {param: "req", body: `    // one frame, then the rest of the body is dropped early, on purpose
    let (_parts, mut body) = req.into_parts();
    let got = match body.frame().await {
        Some(Ok(frame)) => frame.into_data().unwrap_or_default(),
        _ => Bytes::new(),
    };
    drop(body);
    Ok(Response::new(full(got)))
`},
	"wait-body-then-respond": {mut: true, body: `    // no response head until the whole request body has arrived
    let mut n = 0usize;
    while let Some(frame) = req.body_mut().frame().await {
        match frame?.into_data() {
            Ok(data) => n += data.len(),
            Err(_trailers) => break,
        }
    }
    Ok(Response::new(full(format!("got {} bytes", n))))
`},
	"hold-body": {body: `    // holds the body, never reads it, never answers (a stuck upload)
    std::future::pending::<()>().await;
    unreachable!()
`},
	"delay": {body: `    drop(_req); // takes nothing: service_fn(|_req| async { … }) drops it at once
    tokio::time::sleep(Duration::from_millis(100)).await;
    Ok(Response::new(full(b"late")))
`},
	"upgrade-echo": {echo: true, mut: true, body: `    if !req.headers().contains_key(hyper::header::UPGRADE) {
        return Ok(Response::builder().status(400).body(empty())?);
    }
    spawn_echo(hyper::upgrade::on(&mut req));
    Ok(Response::builder()
        .status(101)
        .header("upgrade", "echo")
        .header("connection", "upgrade")
        .body(empty())?)
`},
	"upgrade-ws": {ws: true, param: "req", body: `    // the RFC 6455 handshake: a 400 saying what is wrong, or 101 and the echo protocol
    let (mut parts, _body) = req.into_parts();
    accept_websocket(&mut parts)
`},
	"connect-tunnel": {echo: true, mut: true, body: `    if req.method() != Method::CONNECT {
        return Ok(Response::builder().status(405).body(full(b"use CONNECT"))?);
    }
    // a 2xx to CONNECT is an upgrade: the connection is handed over
    spawn_echo(hyper::upgrade::on(&mut req));
    Ok(Response::new(empty()))
`},
}

// Service renders catalog service name as hyper 1.x Rust: `async fn
// handle`, which the exported test's service_fn calls, plus the upgraded
// protocol's task when it has one. ok is false for a name with no
// rendering.
func Service(name string) (code Code, ok bool) {
	text, ok := serviceText(name, false)
	return Code{Text: text}, ok
}

func serviceText(name string, test bool) (string, bool) {
	c, ok := catalogBodies[name]
	if !ok {
		return "", false
	}
	param := "_req"
	switch {
	case c.mut:
		param = "mut req"
	case c.param != "":
		param = c.param
	}
	text := "/// The catalog service `" + name + "`.\n" + serviceHead(param) + c.body + "}\n"
	if c.echo {
		mark := ""
		if test {
			mark = "        UPGRADED.store(true, Ordering::SeqCst);\n"
		}
		text += replaceOnce(echoTask, "@MARK@", mark)
	}
	if c.ws {
		text += wsText(test)
	}
	return text, true
}

// wsText is the WebSocket protocol's Rust (marked in a test).
func wsText(test bool) string {
	mark := ""
	if test {
		mark = "        UPGRADED.store(true, Ordering::SeqCst);\n"
	}
	return replaceOnce(websocketRust, "@MARK@", mark)
}

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}
