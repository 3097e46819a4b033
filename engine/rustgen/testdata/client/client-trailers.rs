async fn client(io: TokioIo<DuplexStream>) -> Result<(), BoxError> {
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(io).await?;
    tokio::spawn(conn);
    let (body_tx, body_rx) = futures_channel::mpsc::unbounded::<Result<Frame<Bytes>, BoxError>>();
    let req = Request::builder()
        .method("POST")
        .uri("/upload")
        .header("Host", "x")
        .header("Trailer", "X-Checksum")
        .body(StreamBody::new(body_rx).boxed())?;
    let res = sender.send_request(req);
    let _ = body_tx.unbounded_send(Ok(Frame::data(Bytes::from_static(b"abc"))));
    let _ = body_tx.unbounded_send(Ok(Frame::trailers(fields(&[("X-Checksum", &b"9a"[..]), ("X-Extra", &b"not declared"[..])]))));
    let mut resp = res.await?;
    let data = resp.body_mut().collect().await?.to_bytes();
    Ok(())
}

// operation -> lines
// handshake -> 2-2
// spawn conn -> 3-3
// send POST /upload body stream header "Host: x" header "Trailer: X-Checksum" -> 4-11
// send-body "abc" -> 12-12
// send-trailers "X-Checksum: 9a" "X-Extra: not declared" -> 13-13
// await response -> 14-14
// read-body -> 15-15
