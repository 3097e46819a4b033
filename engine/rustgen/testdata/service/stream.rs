/// The service program: the first `on` section that matches the request
/// runs, else the default section.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    default_section(req).await
}

/// The default section.
async fn default_section(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {
    let (_parts, _body) = req.into_parts();
    let frames = futures_util::stream::unfold(0usize, |step| async move {
        let frame = match step {
            0 => {
                tokio::task::yield_now().await; // produced later
                Frame::data(Bytes::from_static(b"a"))
            }
            1 => {
                tokio::task::yield_now().await; // produced later
                Frame::data(Bytes::from_static(b"b"))
            }
            2 => {
                tokio::task::yield_now().await; // produced later
                Frame::data(Bytes::from_static(b"c"))
            }
            _ => return None, // end-body: the end of the stream
        };
        Some((Ok::<_, BoxError>(frame), step + 1))
    });
    let res = Response::builder()
        .status(200)
        .body(StreamBody::new(frames).boxed())?;
    Ok(res)
}

// operation -> lines
// program line 2 -> 28-31
// program line 3 -> 12-15
// program line 4 -> 16-19
// program line 5 -> 20-23
// program line 6 -> 24-24
