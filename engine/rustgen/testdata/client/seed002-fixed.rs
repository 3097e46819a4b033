async fn client(io: TokioIo<DuplexStream>) -> Result<(), BoxError> {
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(io).await?;
    tokio::spawn(conn);
    let (body_tx, body_rx) = futures_channel::mpsc::unbounded::<Result<Frame<Bytes>, BoxError>>();
    let req = Request::builder()
        .method("POST")
        .uri("/")
        .header("Host", "x")
        .body(StreamBody::new(body_rx).boxed())?;
    let res = sender.send_request(req);
    let _ = body_tx.unbounded_send(Ok(Frame::data(Bytes::from_static(b"hello"))));
    drop(body_tx);
    let mut resp = res.await?;
    let data = resp.body_mut().collect().await?.to_bytes();
    Ok(())
}

// operation -> lines
// handshake -> 2-2
// spawn conn -> 3-3
// send POST / body stream header "Host: x" -> 4-10
// send-body "hello" -> 11-11
// end-body -> 12-12
// await response -> 13-13
// read-body -> 14-14
