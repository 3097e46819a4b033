/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    default_section(req).await
}

/// The default section.
async fn default_section(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, _body) = req.into_parts();
    // not-ready: a tower Service whose poll_ready is Pending this long; on the wire the same as:
    tokio::time::sleep(Duration::from_millis(100)).await;
    let res = Response::builder()
        .status(200)
        .body(full(b"ok"))?;
    Ok(res)
}

// operation -> lines
// program line 2 -> 10-11
// program line 3 -> 12-15
