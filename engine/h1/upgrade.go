package h1

import "github.com/connlab/connlab/engine/poll"

// Upgrades (§12.8.2): when a head asks for one, the Conn keeps a Pending and
// the service gets an OnUpgrade. If the response switches protocols, the
// Dispatcher ends with the upgrade exit and the connection task fulfills the
// Pending with the raw transport plus the bytes already read past the head.

type upgradeShared struct {
	done     bool
	canceled bool
	detached bool // moved out of the service future (into a spawned task)
	dropped  bool // nobody will ever poll the OnUpgrade
	io       *Upgraded
	slot     *poll.Slot
}

// Pending is the connection's half of an upgrade.
type Pending struct{ sh *upgradeShared }

// OnUpgrade is the service's half: poll it to get the upgraded IO.
type OnUpgrade struct{ sh *upgradeShared }

func newUpgradePair() (*Pending, *OnUpgrade) {
	sh := &upgradeShared{}
	return &Pending{sh}, &OnUpgrade{sh}
}

// Fulfill hands over the transport and the leftover bytes. If the service
// let go of its OnUpgrade, nobody receives them: the transport is dropped
// (closed), as a failed oneshot send drops hyper's Upgraded.
func (p *Pending) Fulfill(io poll.IO, leftover []byte) {
	if p.sh.dropped {
		if c, ok := io.(interface{ Close() }); ok {
			c.Close()
		}
		p.sh.done, p.sh.canceled = true, true
		return
	}
	p.sh.io = &Upgraded{io: io, leftover: leftover}
	p.sh.done = true
	if p.sh.slot != nil {
		p.sh.slot.Wake()
	}
}

// Delivered reports whether a Fulfill reached a live OnUpgrade.
func (p *Pending) Delivered() bool { return p.sh.done && !p.sh.canceled }

// Cancel says no upgrade will happen (the response did not switch).
func (p *Pending) Cancel() {
	p.sh.canceled = true
	p.sh.done = true
	if p.sh.slot != nil {
		p.sh.slot.Wake()
	}
}

// isNone reports an OnUpgrade with no connection behind it (hyper's
// OnUpgrade::none()).
func (o *OnUpgrade) isNone() bool { return o == nil || o.sh == nil }

// Detach moves the OnUpgrade out of the service's future into something
// that outlives it, as tokio::spawn(async move { on_upgrade.await }) moves
// it into a task: the engine no longer drops it when the future completes
// or is dropped; its new owner polls it or drops it.
func (o *OnUpgrade) Detach() *OnUpgrade {
	o.sh.detached = true
	return o
}

// Drop says its owner will never poll it: a Fulfill then closes the
// transport instead of handing it over.
func (o *OnUpgrade) Drop() { o.sh.dropped = true }

// live reports whether dropping o would change anything: it is neither
// dropped already nor settled (fulfilled or canceled).
func (o *OnUpgrade) live() bool { return !o.sh.dropped && !o.sh.done }

// Poll resolves to the upgraded IO, or nil when the upgrade was canceled.
func (o *OnUpgrade) Poll(cx *poll.Context) poll.Poll[*Upgraded] {
	if o.sh.done {
		if o.sh.canceled {
			return poll.Ready[*Upgraded](nil)
		}
		return poll.Ready(o.sh.io)
	}
	if o.sh.slot == nil {
		o.sh.slot = poll.NewSlot(cx.Executor(), "upgrade handoff", "the connection task finishing with an upgrade")
	}
	o.sh.slot.Register(cx)
	return poll.Pending[*Upgraded]()
}

// Upgraded is the transport after an upgrade: it first yields the bytes the
// HTTP/1 connection had already buffered after the head, then reads the raw
// transport.
type Upgraded struct {
	io       poll.IO
	leftover []byte
}

// Leftover returns the bytes not yet read from the handoff buffer.
func (u *Upgraded) Leftover() []byte { return u.leftover }

func (u *Upgraded) PollRead(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	if len(u.leftover) > 0 {
		n := copy(p, u.leftover)
		u.leftover = u.leftover[n:]
		return poll.Ready(poll.IOResult{N: n})
	}
	return u.io.PollRead(cx, p)
}

func (u *Upgraded) PollWrite(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	return u.io.PollWrite(cx, p)
}
func (u *Upgraded) PollFlush(cx *poll.Context) poll.Poll[error]    { return u.io.PollFlush(cx) }
func (u *Upgraded) PollShutdown(cx *poll.Context) poll.Poll[error] { return u.io.PollShutdown(cx) }

// Close drops the transport (the socket closes).
func (u *Upgraded) Close() {
	if c, ok := u.io.(interface{ Close() }); ok {
		c.Close()
	}
}
