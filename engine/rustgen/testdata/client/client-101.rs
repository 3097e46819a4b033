async fn client(io: TokioIo<DuplexStream>) -> Result<(), BoxError> {
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(io).await?;
    tokio::spawn(conn);
    let req = Request::builder()
        .method("GET")
        .uri("/chat")
        .header("Host", "x")
        .header("Connection", "upgrade")
        .header("Upgrade", "echo")
        .body(empty())?;
    let res = sender.send_request(req);
    let resp = res.await?;
    Ok(())
}

// operation -> lines
// handshake -> 2-2
// spawn conn -> 3-3
// send GET /chat header "Host: x" header "Connection: upgrade" header "Upgrade: echo" -> 4-11
// await response -> 12-12
