/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let target = req.uri().to_string(); // the request-target, as the program matches it
    // on POST /upload
    if req.method() == "POST" && target == "/upload" {
        return on_line_2(req).await;
    }
    default_line_4(req).await
}

/// on POST /upload
async fn on_line_2(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, _body) = req.into_parts();
    let res = Response::builder()
        .status(413)
        .body(full(b"upload too large"))?;
    Ok(res)
}

/// default
async fn default_line_4(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, _body) = req.into_parts();
    let res = Response::builder()
        .status(200)
        .body(full(b"ok"))?;
    Ok(res)
}

// operation -> lines
// program line 3 -> 15-18
// program line 5 -> 24-27
