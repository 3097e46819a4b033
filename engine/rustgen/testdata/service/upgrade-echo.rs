/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    // on * * header Upgrade
    if req.headers().contains_key("upgrade") {
        return on_line_2(req).await;
    }
    default_line_5(req).await
}

/// on * * header Upgrade
async fn on_line_2(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (mut parts, _body) = req.into_parts();
    let res = Response::builder()
        .status(101)
        .header("upgrade", "echo")
        .header("connection", "upgrade")
        .body(empty())?;
    if let Some(on_upgrade) = parts.extensions.remove::<hyper::upgrade::OnUpgrade>() {
        spawn_echo(on_upgrade);
    }
    Ok(res)
}

/// default
async fn default_line_5(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, _body) = req.into_parts();
    let res = Response::builder()
        .status(400)
        .body(empty())?;
    Ok(res)
}

/// The upgraded protocol: echo raw bytes until EOF, then shut down.
fn spawn_echo(on_upgrade: hyper::upgrade::OnUpgrade) {
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else { return };
        let mut io = TokioIo::new(upgraded);
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

// operation -> lines
// program line 3 -> 14-22
// program line 4 -> 19-21
// program line 6 -> 28-31
