async fn client(io: TokioIo<DuplexStream>) -> Result<(), BoxError> {
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(io).await?;
    tokio::spawn(conn);
    let req = Request::builder()
        .method("GET")
        .uri("/")
        .header("Host", "x")
        .body(empty())?;
    let res = sender.send_request(req);
    let mut resp = res.await?;
    let data = resp.body_mut().collect().await?.to_bytes();
    drop(resp);
    drop(sender);
    Ok(())
}

// operation -> lines
// handshake -> 2-2
// spawn conn -> 3-3
// send GET / header "Host: x" -> 4-9
// await response -> 10-10
// read-body -> 11-11
// drop response -> 12-12
// drop sender -> 13-13
