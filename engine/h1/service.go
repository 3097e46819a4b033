package h1

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

// Request is what a service receives, as hyper's Service::call receives a
// Request<Incoming> by value: the request owns its body and, when the head
// asked to switch protocols, its OnUpgrade. The service takes what it keeps
// (TakeBody, TakeUpgrade) during Call; whatever it did not take is dropped
// by the engine as soon as Call returns, as Rust drops the `_req` of
// service_fn(|_req| async { … }) when the closure returns. What the service
// took belongs to its future: the engine drops it when that future
// completes (Ready) or is dropped (the connection ending with the request
// still in flight), unless the service moved it out of the future first
// (OnUpgrade.Detach, for a spawned task).
//
// Head is valid until the service's future completes.
type Request struct {
	Head *RequestHead

	body    body.Incoming
	upgrade *OnUpgrade
	// closed is set once Call returned: a take after that is the Go
	// spelling of using a moved value.
	closed bool
}

// TakeBody moves the request body out of the request (hyper's
// Request::into_body): the service's future owns it from now on. A second
// take gets the empty body.
func (r *Request) TakeBody() body.Incoming {
	r.mustBeOpen("TakeBody")
	in := r.body
	r.body = body.Incoming{}
	return in
}

// TakeUpgrade moves the OnUpgrade out of the request (hyper::upgrade::on):
// nil when the request carries none (no Upgrade or CONNECT, or an
// HTTP/1.0 head, for which hyper prepares no upgrade).
func (r *Request) TakeUpgrade() *OnUpgrade {
	r.mustBeOpen("TakeUpgrade")
	up := r.upgrade
	r.upgrade = nil
	return up
}

// HasUpgrade reports whether the request still carries an OnUpgrade,
// without taking it.
func (r *Request) HasUpgrade() bool { return r.upgrade != nil }

func (r *Request) mustBeOpen(what string) {
	if r.closed {
		panic("h1: Request." + what + " after Call returned: what a service keeps must be taken during Call (the engine has already dropped the rest, as Rust drops the request when call returns)")
	}
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

// Service is user code for a server connection (hyper's HttpService). Call
// takes what it keeps from req; req itself is the engine's and must not be
// kept.
type Service interface {
	Call(req *Request) ServiceFuture
}
