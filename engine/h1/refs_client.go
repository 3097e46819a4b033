package h1

// Refs of the client Dispatch's own trace messages: hyper logs them in
// proto/h1/dispatch.rs (impl Dispatch for Client), not in
// client/dispatch.rs, whose channel the queue events cite.
const (
	refClientPollMsg   = "dispatch.rs Client::poll_msg §12.4.1"
	refClientRecvMsg   = "dispatch.rs Client::recv_msg §12.4.1"
	refClientPollReady = "dispatch.rs Client::poll_ready §12.4.1"
)
