/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    default_section(req).await
}

/// The default section.
async fn default_section(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, mut body) = req.into_parts();
    let mut read: Vec<u8> = Vec::new(); // the request body bytes read so far
    if let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            read.extend_from_slice(&data);
        }
    }
    drop(body);
    let res = Response::builder()
        .status(200)
        .body(full([&read[..]].concat()))?;
    Ok(res)
}

// operation -> lines
// program line 2 -> 11-15
// program line 3 -> 16-16
// program line 4 -> 17-20
