package h1

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

// Request is what a service receives. Head is valid until the service's
// future completes; Body is the request body channel (drop it with
// Body.Drop when not reading it); Upgrade is non-nil when the request asked
// to switch protocols.
type Request struct {
	Head    *RequestHead
	Body    body.Incoming
	Upgrade *OnUpgrade
}

// Response is what a service's future resolves to: a head and a body, or
// an error (the service failed).
type Response struct {
	Head ResponseHead
	Body body.Body
	Err  error
}

// ServiceFuture is the future a service call returns (the response of a server).
type ServiceFuture interface {
	Poll(cx *poll.Context) poll.Poll[Response]
}

// Service is user code for a server connection (hyper's HttpService).
type Service interface {
	Call(req Request) ServiceFuture
}
