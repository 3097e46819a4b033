/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    default_section(req).await
}

/// The default section.
async fn default_section(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, mut body) = req.into_parts();
    let mut read: Vec<u8> = Vec::new(); // the request body bytes read so far
    while let Some(frame) = {
        tokio::task::yield_now().await; // a breath before each frame
        body.frame().await
    } {
        match frame?.into_data() {
            Ok(data) => read.extend_from_slice(&data),
            Err(_trailers) => break,
        }
    }
    let res = Response::builder()
        .status(200)
        .body(full([read.len().to_string().as_bytes()].concat()))?;
    Ok(res)
}

// operation -> lines
// program line 2 -> 11-19
// program line 3 -> 20-23
