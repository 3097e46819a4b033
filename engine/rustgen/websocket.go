package rustgen

// websocketRust is the WebSocket (RFC 6455) echo server of the catalog's
// upgrade-ws and of a program's `accept websocket` / `upgrade websocket`,
// ported line for line from engine/services (websocket.go, wsframe.go,
// sha1.go): the handshake check with its messages, the frame decoder with
// its failure codes and reasons, the echo and the closing handshake. @MARK@
// is where the test records the handoff.
const websocketRust = `
// ---- WebSocket (RFC 6455) echo ----------------------------------------------

const WS_GUID: &[u8] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const WS_MAX_MESSAGE: usize = 1 << 20;
const WS_MAX_FRAME: u64 = 1 << 20;
const WS_CONTINUATION: u8 = 0x0;
const WS_TEXT: u8 = 0x1;
const WS_BINARY: u8 = 0x2;
const WS_CLOSE: u8 = 0x8;
const WS_PING: u8 = 0x9;
const WS_PONG: u8 = 0xA;

fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let (mut a, mut b, mut c, mut d, mut e) = (h[0], h[1], h[2], h[3], h[4]);
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                s.push(B64[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The length base64 (standard, padded) decodes to, None if it is not base64.
fn base64_len(s: &[u8]) -> Option<usize> {
    if s.len() % 4 != 0 {
        return None;
    }
    let pad = s.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 || s[..s.len() - pad].iter().any(|c| !B64.contains(c)) {
        return None;
    }
    Some(s.len() / 4 * 3 - pad)
}

fn trim_ows(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&c| c != b' ' && c != b'\t').unwrap_or(v.len());
    let end = v.iter().rposition(|&c| c != b' ' && c != b'\t').map_or(start, |e| e + 1);
    &v[start..end.max(start)]
}

fn ws_has_token(headers: &HeaderMap, name: &str, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .any(|v| v.as_bytes().split(|&c| c == b',').any(|t| trim_ows(t).eq_ignore_ascii_case(token.as_bytes())))
}

/// The opening handshake (RFC 6455 §4.2.1): the key, or what is wrong (and whether
/// the version was).
fn ws_check(parts: &hyper::http::request::Parts) -> Result<Vec<u8>, (String, bool)> {
    if parts.method != Method::GET {
        return Err((format!("the method must be GET, not {}", parts.method), false));
    }
    if parts.version != Version::HTTP_11 {
        return Err((format!("HTTP/1.1 is required, not {:?}", parts.version), false));
    }
    if !ws_has_token(&parts.headers, "upgrade", "websocket") {
        return Err(("an ` + "`Upgrade: websocket`" + ` header is required".into(), false));
    }
    if !ws_has_token(&parts.headers, "connection", "upgrade") {
        return Err(("the ` + "`Connection`" + ` header must contain the ` + "`upgrade`" + ` token".into(), false));
    }
    let versions: Vec<&[u8]> = parts.headers.get_all("sec-websocket-version").iter().map(|v| trim_ows(v.as_bytes())).collect();
    let keys: Vec<&[u8]> = parts.headers.get_all("sec-websocket-key").iter().map(|v| trim_ows(v.as_bytes())).collect();
    if versions.is_empty() {
        return Err(("a ` + "`Sec-WebSocket-Version: 13`" + ` header is required".into(), true));
    }
    let version = versions[versions.len() - 1];
    if versions.len() > 1 || version != b"13" {
        return Err((format!("` + "`Sec-WebSocket-Version`" + ` must be 13, got {}", go_quote(version)), true));
    }
    match keys.len() {
        0 => return Err(("a ` + "`Sec-WebSocket-Key`" + ` header is required".into(), false)),
        1 => {}
        _ => return Err(("` + "`Sec-WebSocket-Key`" + ` must appear once".into(), false)),
    }
    if base64_len(keys[0]) != Some(16) {
        return Err(("` + "`Sec-WebSocket-Key`" + ` must be the base64 of 16 bytes".into(), false));
    }
    Ok(keys[0].to_vec())
}

/// accept websocket: a 400 saying what is wrong with the handshake, or the
/// echo protocol spawned on the OnUpgrade and a 101.
fn accept_websocket(parts: &mut hyper::http::request::Parts) -> Result<Response<Body>, BoxError> {
    let on_upgrade = parts.extensions.remove::<hyper::upgrade::OnUpgrade>();
    let checked = match (ws_check(parts), &on_upgrade) {
        (Ok(_), None) => Err(("the connection cannot be upgraded".to_string(), false)),
        (r, _) => r,
    };
    match checked {
        Err((problem, bad_version)) => {
            let mut res = Response::builder().status(400).header("content-type", "text/plain; charset=utf-8");
            if bad_version {
                res = res.header("sec-websocket-version", "13"); // RFC 6455 §4.4
            }
            Ok(res.body(full(format!("websocket handshake: {}\n", problem)))?)
        }
        Ok(key) => {
            spawn_websocket(on_upgrade.expect("checked"));
            let accept = base64(&sha1(&[&key[..], WS_GUID].concat()));
            Ok(Response::builder()
                .status(101)
                .header("upgrade", "websocket")
                .header("connection", "upgrade")
                .header("sec-websocket-accept", accept)
                .body(empty())?)
        }
    }
}

/// The protocol on the upgraded IO: frames in, echoes and answers out,
/// written before anything more is read.
fn spawn_websocket(on_upgrade: hyper::upgrade::OnUpgrade) {
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else { return };
@MARK@        let mut io = TokioIo::new(upgraded);
        let mut ws = WsConn::default();
        let mut buf = [0u8; 4096];
        let mut eof = false;
        loop {
            if !ws.out.is_empty() {
                if io.write_all(&ws.out).await.is_err() || io.flush().await.is_err() {
                    return;
                }
                ws.out.clear();
            }
            if ws.closing || eof {
                let _ = io.shutdown().await;
                return;
            }
            match io.read(&mut buf).await {
                Err(_) => return,
                Ok(0) => eof = true,
                Ok(n) => ws.feed(&buf[..n]),
            }
        }
    });
}

type WsFail = (u16, &'static str);

#[derive(Default)]
struct WsConn {
    // the decoder
    hdr: [u8; 14],
    hn: usize,
    need: usize,
    have: bool,
    fin: bool,
    op: u8,
    masked: bool,
    mask: [u8; 4],
    length: u64,
    payload: Vec<u8>,
    failed: bool,
    // the message being reassembled, the frames to send
    msg_op: u8,
    msg: Vec<u8>,
    out: Vec<u8>,
    closing: bool,
}

fn ws_control(op: u8) -> bool {
    op & 0x8 != 0
}

impl WsConn {
    fn feed(&mut self, p: &[u8]) {
        let mut n = 0;
        while n < p.len() && !self.closing {
            let (k, ready, fail) = self.decode(&p[n..]);
            n += k;
            if let Some((code, why)) = fail {
                self.send_close(code, why);
                break;
            }
            if ready {
                self.frame();
            } else if k == 0 {
                break;
            }
        }
    }

    fn decode(&mut self, p: &[u8]) -> (usize, bool, Option<WsFail>) {
        if self.failed {
            return (0, false, None);
        }
        let mut n = 0;
        while !self.have {
            if n == p.len() {
                return (n, false, None);
            }
            let want = if self.need > 0 { self.need } else { 2 };
            let k = (want - self.hn).min(p.len() - n);
            self.hdr[self.hn..self.hn + k].copy_from_slice(&p[n..n + k]);
            self.hn += k;
            n += k;
            if self.hn < want {
                return (n, false, None);
            }
            if self.need == 0 {
                if let Some(f) = self.first() {
                    self.failed = true;
                    return (n, false, Some(f));
                }
                let b1 = self.hdr[1];
                self.need = 2 + match b1 & 0x7F { 126 => 2, 127 => 8, _ => 0 } + if b1 & 0x80 != 0 { 4 } else { 0 };
                if self.hn < self.need {
                    continue;
                }
            }
            if let Some(f) = self.rest() {
                self.failed = true;
                return (n, false, Some(f));
            }
            self.have = true;
            self.payload.clear();
        }
        let rem = (self.length - self.payload.len() as u64).min((p.len() - n) as u64) as usize;
        let off = self.payload.len();
        self.payload.extend_from_slice(&p[n..n + rem]);
        n += rem;
        if self.masked {
            for (i, b) in self.payload[off..].iter_mut().enumerate() {
                *b ^= self.mask[(off + i) & 3];
            }
        }
        if (self.payload.len() as u64) < self.length {
            return (n, false, None);
        }
        self.have = false;
        self.hn = 0;
        self.need = 0;
        (n, true, None)
    }

    fn first(&mut self) -> Option<WsFail> {
        let (b0, b1) = (self.hdr[0], self.hdr[1]);
        self.fin = b0 & 0x80 != 0;
        self.op = b0 & 0xF;
        self.masked = b1 & 0x80 != 0;
        self.length = (b1 & 0x7F) as u64;
        if (b0 >> 4) & 0x7 != 0 {
            return Some((1002, "reserved bits set without a negotiated extension"));
        }
        if ![WS_CONTINUATION, WS_TEXT, WS_BINARY, WS_CLOSE, WS_PING, WS_PONG].contains(&self.op) {
            return Some((1002, "reserved opcode"));
        }
        if ws_control(self.op) && !self.fin {
            return Some((1002, "fragmented control frame"));
        }
        if ws_control(self.op) && self.length > 125 {
            return Some((1002, "control frame payload over 125 bytes"));
        }
        if !self.masked {
            return Some((1002, "client frame not masked"));
        }
        None
    }

    fn rest(&mut self) -> Option<WsFail> {
        let mut i = 2;
        match self.hdr[1] & 0x7F {
            126 => {
                self.length = (self.hdr[2] as u64) << 8 | self.hdr[3] as u64;
                i = 4;
            }
            127 => {
                let l = self.hdr[2..10].iter().fold(0u64, |l, &b| l << 8 | b as u64);
                if l >> 63 != 0 {
                    return Some((1002, "64-bit payload length with the high bit set"));
                }
                self.length = l;
                i = 10;
            }
            _ => {}
        }
        if self.masked {
            self.mask.copy_from_slice(&self.hdr[i..i + 4]);
        }
        if self.length > WS_MAX_FRAME {
            return Some((1009, "frame payload over 1 MiB"));
        }
        match self.op {
            WS_TEXT | WS_BINARY if self.msg_op != 0 => return Some((1002, "new data frame inside a fragmented message")),
            WS_CONTINUATION if self.msg_op == 0 => return Some((1002, "continuation frame without a message to continue")),
            _ => {}
        }
        if !ws_control(self.op) && self.length > (WS_MAX_MESSAGE - self.msg.len()) as u64 {
            return Some((1009, "message over 1 MiB"));
        }
        None
    }

    fn frame(&mut self) {
        let payload = std::mem::take(&mut self.payload);
        match self.op {
            WS_PING => self.send(WS_PONG, &payload),
            WS_PONG => {}
            WS_CLOSE => self.on_close(&payload),
            WS_TEXT | WS_BINARY if self.fin => self.message(self.op, &payload),
            WS_TEXT | WS_BINARY => {
                self.msg_op = self.op;
                self.msg = payload.clone();
            }
            _ => {
                self.msg.extend_from_slice(&payload);
                if self.fin {
                    let (op, msg) = (self.msg_op, std::mem::take(&mut self.msg));
                    self.msg_op = 0;
                    self.message(op, &msg);
                }
            }
        }
        self.payload = payload;
    }

    fn message(&mut self, op: u8, data: &[u8]) {
        if op == WS_TEXT && std::str::from_utf8(data).is_err() {
            self.send_close(1007, "text message is not valid UTF-8");
            return;
        }
        self.send(op, data);
    }

    fn on_close(&mut self, p: &[u8]) {
        match p.len() {
            0 => self.send_close(1000, ""),
            1 => self.send_close(1002, "close payload of 1 byte"),
            _ => {
                let code = (p[0] as u16) << 8 | p[1] as u16;
                let valid = matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999);
                if !valid {
                    self.send_close(1002, "invalid close status code");
                } else if std::str::from_utf8(&p[2..]).is_err() {
                    self.send_close(1007, "close reason is not valid UTF-8");
                } else {
                    self.send_close(code, "");
                }
            }
        }
    }

    fn send_close(&mut self, code: u16, reason: &str) {
        if self.closing {
            return;
        }
        let mut p = code.to_be_bytes().to_vec();
        p.extend_from_slice(&reason.as_bytes()[..reason.len().min(123)]);
        self.send(WS_CLOSE, &p);
        self.closing = true;
    }

    fn send(&mut self, op: u8, payload: &[u8]) {
        let n = payload.len();
        self.out.push(0x80 | op);
        if n < 126 {
            self.out.push(n as u8);
        } else if n <= 0xFFFF {
            self.out.push(126);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(127);
            self.out.extend_from_slice(&(n as u64).to_be_bytes());
        }
        self.out.extend_from_slice(payload);
    }
}
`
