package rustgen

// prelude is the Rust every exported test carries, so the file needs no
// crate beyond hyper 1.x, http-body-util, bytes, futures-channel,
// futures-util and tokio (no hyper-util): the tokio <-> hyper IO adapter
// (hyper-util's TokioIo, inlined) and timer, the body helpers, the engine
// side's socket (Net: the duplex plus the session's faults and read cap),
// the person typing the input log (Person), and the checks.
const prelude = `#[allow(unused_imports)]
use std::pin::Pin;
#[allow(unused_imports)]
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
#[allow(unused_imports)]
use std::sync::{Arc, Mutex};
#[allow(unused_imports)]
use std::task::{Context, Poll, Waker};
#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use bytes::Bytes;
#[allow(unused_imports)]
use http_body_util::combinators::BoxBody;
#[allow(unused_imports)]
use http_body_util::{BodyExt, Empty, Full, StreamBody};
#[allow(unused_imports)]
use hyper::body::{Frame, Incoming};
#[allow(unused_imports)]
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
#[allow(unused_imports)]
use hyper::service::service_fn;
#[allow(unused_imports)]
use hyper::{Method, Request, Response, Version};
#[allow(unused_imports)]
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream, ReadBuf};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Every body, request or response: boxed, so one connection carries
/// empty, full and streamed ones.
type Body = BoxBody<Bytes, BoxError>;

#[allow(dead_code)]
fn empty() -> Body {
    Empty::<Bytes>::new().map_err(|never| match never {}).boxed()
}

#[allow(dead_code)]
fn full(data: impl AsRef<[u8]>) -> Body {
    Full::new(Bytes::copy_from_slice(data.as_ref()))
        .map_err(|never| match never {})
        .boxed()
}

/// Header fields (trailers) from (name, value) pairs.
#[allow(dead_code)]
fn fields(list: &[(&str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in list {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_bytes(value).expect("header value"),
        );
    }
    map
}

/// An error of the program itself (connlab's kind "user"), not hyper's.
#[derive(Debug)]
struct UserError(String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

#[allow(dead_code)]
fn user(msg: &str) -> BoxError {
    Box::new(UserError(msg.to_string()))
}

/// Set when a service's upgraded protocol got the connection.
#[allow(dead_code)]
static UPGRADED: AtomicBool = AtomicBool::new(false);

// ---- tokio <-> hyper (hyper-util's TokioIo and TokioTimer, inlined) -----

struct TokioIo<T> {
    inner: T,
}

impl<T> TokioIo<T> {
    fn new(inner: T) -> Self {
        TokioIo { inner }
    }
    fn pin_inner(self: Pin<&mut Self>) -> Pin<&mut T> {
        // SAFETY: structural pinning of the only field, never moved out.
        unsafe { self.map_unchecked_mut(|me| &mut me.inner) }
    }
}

impl<T: AsyncRead> hyper::rt::Read for TokioIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = unsafe {
            let mut tbuf = ReadBuf::uninit(buf.as_mut());
            match AsyncRead::poll_read(self.pin_inner(), cx, &mut tbuf) {
                Poll::Ready(Ok(())) => tbuf.filled().len(),
                other => return other,
            }
        };
        unsafe { buf.advance(n) };
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite> hyper::rt::Write for TokioIo<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        AsyncWrite::poll_write(self.pin_inner(), cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        AsyncWrite::poll_flush(self.pin_inner(), cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        AsyncWrite::poll_shutdown(self.pin_inner(), cx)
    }
}

impl<T: hyper::rt::Read> AsyncRead for TokioIo<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, tbuf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let filled = tbuf.filled().len();
        let got = unsafe {
            let mut buf = hyper::rt::ReadBuf::uninit(tbuf.unfilled_mut());
            match hyper::rt::Read::poll_read(self.pin_inner(), cx, buf.unfilled()) {
                Poll::Ready(Ok(())) => buf.filled().len(),
                other => return other,
            }
        };
        unsafe {
            tbuf.assume_init(got);
            tbuf.set_filled(filled + got);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: hyper::rt::Write> AsyncWrite for TokioIo<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        hyper::rt::Write::poll_write(self.pin_inner(), cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        hyper::rt::Write::poll_flush(self.pin_inner(), cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        hyper::rt::Write::poll_shutdown(self.pin_inner(), cx)
    }
}

#[allow(dead_code)]
#[derive(Clone, Debug)]
struct TokioTimer;

struct TokioSleep(Pin<Box<tokio::time::Sleep>>);

impl std::future::Future for TokioSleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx)
    }
}

impl hyper::rt::Sleep for TokioSleep {}

impl hyper::rt::Timer for TokioTimer {
    fn sleep(&self, d: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(TokioSleep(Box::pin(tokio::time::sleep(d))))
    }
    fn sleep_until(&self, at: std::time::Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(TokioSleep(Box::pin(tokio::time::sleep_until(at.into()))))
    }
    // tokio's clock, which the test pauses (hyper's default is the wall clock)
    fn now(&self) -> std::time::Instant {
        tokio::time::Instant::now().into_std()
    }
}

// ---- the engine side's socket -------------------------------------------

const RESET: u8 = 1; // reads and writes fail with ECONNRESET, shutdown with ENOTCONN
const VANISHED: u8 = 2; // reads drain then EOF, writes EPIPE, shutdown ENOTCONN
const WRITE_CLOSED: u8 = 3; // writes EPIPE (mode both: the client's socket went away)

/// What the session does to a Net, and what it saw.
#[derive(Default)]
struct NetCtl {
    state: AtomicU8,
    shut_write: AtomicU8, // 1: shut the write side down at the next poll; 2: done
    read_chunk: usize,
    written: Mutex<Vec<u8>>,
    closed: AtomicBool, // the write side shut down, or the socket dropped
    wakers: Mutex<Vec<Waker>>,
}

impl NetCtl {
    #[allow(dead_code)]
    fn new(read_chunk: usize) -> Arc<NetCtl> {
        Arc::new(NetCtl { read_chunk, ..Default::default() })
    }
    #[allow(dead_code)]
    fn fault(&self, state: u8) {
        self.state.store(state, Ordering::SeqCst);
        for w in self.wakers.lock().unwrap().drain(..) {
            w.wake();
        }
    }
    /// A client program's close write: shutdown(SHUT_WR) on the socket
    /// under hyper's connection, done at the socket's next poll (the
    /// connection is woken for it).
    #[allow(dead_code)]
    fn close_write(&self) {
        self.shut_write.store(1, Ordering::SeqCst);
        for w in self.wakers.lock().unwrap().drain(..) {
            w.wake();
        }
    }
    fn park(&self, cx: &Context<'_>) {
        let mut ws = self.wakers.lock().unwrap();
        if !ws.iter().any(|w| w.will_wake(cx.waker())) {
            ws.push(cx.waker().clone());
        }
    }
}

/// One end of the duplex, as the engine's connection uses it.
struct Net {
    inner: DuplexStream,
    ctl: Arc<NetCtl>,
}

impl Drop for Net {
    fn drop(&mut self) {
        self.ctl.closed.store(true, Ordering::SeqCst);
    }
}

fn io_err(kind: std::io::ErrorKind) -> Poll<std::io::Result<usize>> {
    Poll::Ready(Err(kind.into()))
}

impl Net {
    /// Performs a close_write the program asked for (a duplex's shutdown
    /// completes at once).
    fn pending_shutdown(&mut self, cx: &mut Context<'_>) {
        if self.ctl.shut_write.load(Ordering::SeqCst) == 1 {
            if let Poll::Ready(_) = Pin::new(&mut self.inner).poll_shutdown(cx) {
                self.ctl.shut_write.store(2, Ordering::SeqCst);
            }
        }
    }
}

impl AsyncRead for Net {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let me = self.get_mut();
        me.pending_shutdown(cx);
        let state = me.ctl.state.load(Ordering::SeqCst);
        if state == RESET {
            return Poll::Ready(Err(std::io::ErrorKind::ConnectionReset.into()));
        }
        let cap = me.ctl.read_chunk;
        let r = if cap > 0 && buf.remaining() > cap {
            let (r, n) = {
                let mut sub = buf.take(cap);
                let r = Pin::new(&mut me.inner).poll_read(cx, &mut sub);
                (r, sub.filled().len())
            };
            if let Poll::Ready(Ok(())) = r {
                unsafe { buf.assume_init(n) };
                buf.advance(n);
            }
            r
        } else {
            Pin::new(&mut me.inner).poll_read(cx, buf)
        };
        if r.is_pending() {
            if state == VANISHED {
                return Poll::Ready(Ok(())); // nothing buffered: EOF
            }
            me.ctl.park(cx);
        }
        r
    }
}

impl AsyncWrite for Net {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let me = self.get_mut();
        me.pending_shutdown(cx);
        match me.ctl.state.load(Ordering::SeqCst) {
            RESET => return io_err(std::io::ErrorKind::ConnectionReset),
            VANISHED | WRITE_CLOSED => return io_err(std::io::ErrorKind::BrokenPipe),
            _ => {}
        }
        let r = Pin::new(&mut me.inner).poll_write(cx, buf);
        match &r {
            Poll::Ready(Ok(n)) => me.ctl.written.lock().unwrap().extend_from_slice(&buf[..*n]),
            Poll::Pending => me.ctl.park(cx),
            _ => {}
        }
        r
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let me = self.get_mut();
        if me.ctl.state.load(Ordering::SeqCst) != 0 {
            return Poll::Ready(Err(std::io::ErrorKind::NotConnected.into()));
        }
        let r = Pin::new(&mut me.inner).poll_shutdown(cx);
        if let Poll::Ready(Ok(())) = r {
            me.ctl.closed.store(true, Ordering::SeqCst);
        }
        r
    }
}

/// The upgraded IO of a client program's test: the bytes hyper read past
/// the 101 first, then the socket (hyper's Upgraded, taken apart with
/// downcast so the test can log the leftover bytes).
#[allow(dead_code)]
struct Prefixed {
    left: Bytes,
    io: Net,
}

impl AsyncRead for Prefixed {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let me = self.get_mut();
        if !me.left.is_empty() {
            let n = me.left.len().min(buf.remaining());
            buf.put_slice(&me.left.split_to(n));
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut me.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Prefixed {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

// ---- the person at the other end: types the input log, reads ----------

#[derive(Default)]
struct PersonState {
    sent: Vec<u8>,
    got: Vec<u8>,
    stalled: bool, // stall-writes: the person does not read
    gone: bool,    // vanish: the person neither writes nor reads
    waker: Option<Waker>,
}

enum PersonMsg {
    Data(Vec<u8>),
    Shutdown,
}

#[allow(dead_code)]
struct Person {
    state: Arc<Mutex<PersonState>>,
    tx: tokio::sync::mpsc::UnboundedSender<PersonMsg>,
}

#[allow(dead_code)]
impl Person {
    /// Starts the person's reader and writer on io. Bytes are written in
    /// order; a full pipe only delays them.
    fn spawn(io: DuplexStream) -> Person {
        let state = Arc::new(Mutex::new(PersonState::default()));
        let (mut rd, mut wr) = tokio::io::split(io);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<PersonMsg>();
        let st = state.clone();
        tokio::spawn(async move {
            while let Some(m) = rx.recv().await {
                match m {
                    PersonMsg::Data(b) => {
                        let mut off = 0;
                        while off < b.len() {
                            if st.lock().unwrap().gone {
                                break;
                            }
                            match wr.write(&b[off..]).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => {
                                    st.lock().unwrap().sent.extend_from_slice(&b[off..off + n]);
                                    off += n;
                                }
                            }
                        }
                    }
                    PersonMsg::Shutdown => {
                        let _ = wr.shutdown().await;
                    }
                }
            }
            std::future::pending::<()>().await; // keep the write half: no FIN unless typed
        });
        let st = state.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let r = std::future::poll_fn(|cx| {
                    {
                        let mut s = st.lock().unwrap();
                        s.waker = Some(cx.waker().clone());
                        if s.stalled || s.gone {
                            return Poll::Pending;
                        }
                    }
                    let mut rb = ReadBuf::new(&mut buf);
                    match Pin::new(&mut rd).poll_read(cx, &mut rb) {
                        Poll::Ready(Ok(())) => Poll::Ready(Ok(rb.filled().len())),
                        Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                        Poll::Pending => Poll::Pending,
                    }
                })
                .await;
                match r {
                    Ok(0) | Err(_) => break,
                    Ok(n) => st.lock().unwrap().got.extend_from_slice(&buf[..n]),
                }
            }
        });
        Person { state, tx }
    }
    fn send(&self, data: &[u8]) {
        let _ = self.tx.send(PersonMsg::Data(data.to_vec()));
    }
    fn shutdown(&self) {
        let _ = self.tx.send(PersonMsg::Shutdown);
    }
    fn set(&self, f: impl FnOnce(&mut PersonState)) {
        let mut s = self.state.lock().unwrap();
        f(&mut s);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }
    fn sent(&self) -> Vec<u8> {
        self.state.lock().unwrap().sent.clone()
    }
    fn got(&self) -> Vec<u8> {
        self.state.lock().unwrap().got.clone()
    }
}

/// Lets every other task run until it waits: an input is applied once the
/// engine is idle (yields never move tokio's paused clock).
async fn settle() {
    for _ in 0..200 {
        tokio::task::yield_now().await;
    }
}

// ---- the client program's record ---------------------------------------

#[derive(Default)]
struct RecState {
    line: usize,
    log: Vec<String>,
    conn: Option<tokio::task::JoinHandle<hyper::Result<()>>>,
    socket: Option<Arc<NetCtl>>,
}

/// What the client program did, line by line, worded as connlab's runner
/// logs it.
#[allow(dead_code)]
#[derive(Clone, Default)]
struct Rec(Arc<Mutex<RecState>>);

#[allow(dead_code)]
impl Rec {
    fn at(&self, line: usize) {
        self.0.lock().unwrap().line = line;
    }
    fn log(&self, msg: impl Into<String>) {
        let mut s = self.0.lock().unwrap();
        let line = format!("line {}: {}", s.line, msg.into());
        s.log.push(line);
    }
    fn close_write(&self) {
        if let Some(ctl) = &self.0.lock().unwrap().socket {
            ctl.close_write();
        }
    }
    fn keep_conn(&self, task: tokio::task::JoinHandle<hyper::Result<()>>) {
        self.0.lock().unwrap().conn = Some(task);
    }
    fn line(&self) -> usize {
        self.0.lock().unwrap().line
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().log.clone()
    }
}

// ---- checks ---------------------------------------------------------------

/// hyper's error kind, named as connlab names it, from the first field of
/// hyper::Error's Debug (hyper::Error(Parse(Status), ...)), plus the parse
/// sub-kind and the errno of an I/O cause.
#[allow(dead_code)]
fn hyper_kind(e: &hyper::Error) -> String {
    let dbg = format!("{:?}", e);
    let s = dbg.strip_prefix("hyper::Error(").unwrap_or(&dbg);
    let mut depth = 0i32;
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' if depth == 0 => {
                end = i;
                break;
            }
            ')' | '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let k = &s[..end];
    let mut out = if let Some(p) = k.strip_prefix("Parse(") {
        let p = p.strip_suffix(')').unwrap_or(p);
        let sub = match p {
            "Method" => "method",
            "Version" => "version",
            "VersionH2" => "version-h2",
            "Uri" => "uri",
            "UriTooLong" => "uri-too-long",
            "Header(Token)" => "header-token",
            "Header(ContentLengthInvalid)" => "content-length-invalid",
            "Header(TransferEncodingInvalid)" => "transfer-encoding-invalid",
            "Header(TransferEncodingUnexpected)" => "transfer-encoding-unexpected",
            "TooLarge" => "too-large",
            "Status" => "status",
            "Internal" => "internal",
            _ => "unknown",
        };
        format!("kind=parse parse={}", sub)
    } else {
        let kind = match k {
            "User(Body)" => "user-body",
            _ if k.starts_with("User(") => "user",
            "IncompleteMessage" => "incomplete",
            "UnexpectedMessage" => "unexpected-message",
            "Canceled" => "canceled",
            "ChannelClosed" => "closed",
            "Io" => "io",
            "HeaderTimeout" => "header-timeout",
            "Body" => "body",
            "BodyWrite" => "body-write",
            "Shutdown" => "shutdown",
            _ => "unknown",
        };
        format!("kind={}", kind)
    };
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            let errno = match io.kind() {
                std::io::ErrorKind::ConnectionReset => "ECONNRESET",
                std::io::ErrorKind::NotConnected => "ENOTCONN",
                std::io::ErrorKind::BrokenPipe => "EPIPE",
                _ => "",
            };
            if !errno.is_empty() {
                out.push_str(" errno=");
                out.push_str(errno);
            }
            break;
        }
        cause = c.source();
    }
    out
}

/// What connlab's log says of an error: its innermost cause (hyper's
/// Display leaves the cause out).
#[allow(dead_code)]
fn cause_text(e: &hyper::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text = c.to_string();
        cause = c.source();
    }
    text
}

/// The kind of an error a client program returned.
#[allow(dead_code)]
fn error_kind(e: &BoxError) -> String {
    if let Some(h) = e.downcast_ref::<hyper::Error>() {
        return hyper_kind(h);
    }
    if e.downcast_ref::<tokio::time::error::Elapsed>().is_some() {
        return "kind=canceled".to_string();
    }
    if e.downcast_ref::<std::io::Error>().is_some() {
        return "kind=io".to_string();
    }
    "kind=user".to_string()
}

/// How the server connection stands: closed, upgraded, running, or error
/// with its kind.
#[allow(dead_code)]
async fn server_outcome(task: tokio::task::JoinHandle<hyper::Result<()>>) -> String {
    if !task.is_finished() {
        return "running".to_string();
    }
    match task.await.expect("server task") {
        Ok(()) if UPGRADED.load(Ordering::SeqCst) => "upgraded".to_string(),
        Ok(()) => "closed".to_string(),
        Err(e) => format!("error {}", hyper_kind(&e)),
    }
}

/// Bytes as text for a comparison: the date header's value masked (hyper's
/// is the wall clock; connlab's a fixed virtual date), other bytes escaped.
#[allow(dead_code)]
fn shown(b: &[u8]) -> String {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let line_start = i == 0 || b[i - 1] == b'\n';
        if line_start && b.len() - i >= 6 && b[i..i + 6].eq_ignore_ascii_case(b"date: ") {
            let end = b[i..].windows(2).position(|w| w == b"\r\n").map_or(b.len(), |p| i + p);
            out.extend_from_slice(&b[i..i + 6]);
            out.extend_from_slice(b"<date>");
            i = end;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out.escape_ascii().to_string()
}

/// Go's strconv.Quote for the bytes connlab's log quotes.
#[allow(dead_code)]
fn go_quote(b: &[u8]) -> String {
    let mut s = String::from("\"");
    let text = String::from_utf8_lossy(b);
    let valid = std::str::from_utf8(b).is_ok();
    if !valid {
        for &c in b {
            push_go_byte(&mut s, c);
        }
    } else {
        for ch in text.chars() {
            if (ch as u32) < 0x80 {
                push_go_byte(&mut s, ch as u8);
            } else {
                s.push(ch);
            }
        }
    }
    s.push('"');
    s
}

fn push_go_byte(s: &mut String, c: u8) {
    match c {
        b'"' => s.push_str("\\\""),
        b'\\' => s.push_str("\\\\"),
        b'\n' => s.push_str("\\n"),
        b'\r' => s.push_str("\\r"),
        b'\t' => s.push_str("\\t"),
        0x07 => s.push_str("\\a"),
        0x08 => s.push_str("\\b"),
        0x0c => s.push_str("\\f"),
        0x0b => s.push_str("\\v"),
        0x20..=0x7e => s.push(c as char),
        _ => s.push_str(&format!("\\x{:02x}", c)),
    }
}

/// Records a difference between what connlab's engine did and what hyper
/// did.
#[allow(dead_code)]
fn check(diffs: &mut Vec<String>, what: &str, hyper: String, connlab: &str) {
    if hyper == connlab {
        return;
    }
    // where they part: the first differing line of a log, or byte of the wire
    let (h, c): (Vec<&str>, Vec<&str>) = (hyper.split('\n').collect(), connlab.split('\n').collect());
    let line = h.iter().zip(&c).take_while(|(a, b)| a == b).count();
    let (hl, cl) = (h.get(line).copied().unwrap_or("(nothing)"), c.get(line).copied().unwrap_or("(nothing)"));
    let at = hl.bytes().zip(cl.bytes()).take_while(|(a, b)| a == b).count();
    let from = at.saturating_sub(40);
    let cut = |s: &str| s.get(from..).unwrap_or(s).chars().take(120).collect::<String>();
    let place = if h.len() > 1 || c.len() > 1 { format!(" (line {})", line + 1) } else { format!(" (from byte {})", from) };
    diffs.push(format!("{}{}:\n  hyper:   {}\n  connlab: {}", what, place, cut(hl), cut(cl)));
}
`
