/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let target = req.uri().to_string(); // the request-target, as the program matches it
    // on POST /echo.Echo/Say
    if req.method() == "POST" && target == "/echo.Echo/Say" {
        return on_line_2(req).await;
    }
    default_line_7(req).await
}

/// on POST /echo.Echo/Say
async fn on_line_2(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, mut body) = req.into_parts();
    let mut read: Vec<u8> = Vec::new(); // the request body bytes read so far
    if let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            read.extend_from_slice(&data);
        }
    }
    let frames = futures_util::stream::unfold(0usize, |step| async move {
        let frame = match step {
            0 => {
                tokio::task::yield_now().await; // produced later
                Frame::data(Bytes::from_static(b"reply"))
            }
            1 => {
                Frame::trailers(fields(&[("grpc-status", &b"0"[..])]))
            }
            _ => return None, // end-body: the end of the stream
        };
        Some((Ok::<_, BoxError>(frame), step + 1))
    });
    let res = Response::builder()
        .status(200)
        .header("content-type", "application/grpc")
        .header("trailer", "grpc-status")
        .body(StreamBody::new(frames).boxed())?;
    Ok(res)
}

/// default
async fn default_line_7(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, _body) = req.into_parts();
    let res = Response::builder()
        .status(404)
        .body(empty())?;
    Ok(res)
}

// operation -> lines
// program line 3 -> 16-20
// program line 4 -> 34-39
// program line 5 -> 23-26
// program line 6 -> 27-30
// program line 8 -> 45-48
