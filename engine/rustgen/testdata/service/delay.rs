/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    default_section(req).await
}

/// The default section.
async fn default_section(_req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    // drop request: the service takes nothing; the body goes when the call returns
    tokio::time::sleep(Duration::from_millis(100)).await;
    let res = Response::builder()
        .status(200)
        .body(full(b"late"))?;
    Ok(res)
}

// operation -> lines
// program line 2 -> 9-9
// program line 3 -> 10-10
// program line 4 -> 11-14
