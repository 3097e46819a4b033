package session

import (
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/trace"
)

// EpochMillis is the virtual clock's start: 2026-01-01T00:00:00Z, so the
// date header of every transcript is stable.
const EpochMillis int64 = 1767225600000

// Session is one running sandbox: the person on the client side of a
// duplex, the engine serving on the other.
type Session struct {
	File *File
	Mode Mode // File's mode, typed

	Ex     *poll.Executor
	Rec    *trace.Recorder
	Duplex *duplex.Duplex
	Server *h1.ServerConn // nil in mode client
	Client *clientProgram // nil in mode server
	svc    h1.Service     // the server's service (ServiceLine)
	task   poll.TaskID
	person *duplex.End // the end the person types into (nil in mode both)

	toServer  []byte // everything the person sent that reached the pipe
	pending   []byte // sent but not yet accepted (the pipe was full)
	shutAfter bool   // shut down the write side once pending is delivered
	toClient  []byte // everything the engine wrote that the person read
	stalled   bool   // stall-writes: the person does not read
	applied   int    // inputs applied so far
	budgetErr error
	runSteps  int // steps of the run RunUntilIdle is in (kept when Interrupt cuts it)

	// Interrupt, when set, is called by RunUntilIdle before every
	// InterruptEvery-th executor step (counted over the whole session) with
	// the steps taken so far; a non-nil error stops the run there and is
	// returned. It is the host's hook to cut a run short (site/api passes a
	// wall-clock check): the engine itself never reads a clock, so a run
	// that is not interrupted is unchanged by it.
	Interrupt func(steps int) error
	// InterruptSteps, when > 0, is how often Interrupt is called in
	// place of InterruptEvery (1: before every step, for a host that runs
	// the session in short slices).
	InterruptSteps int
}

// InterruptEvery is how often, in executor steps, RunUntilIdle calls
// Session.Interrupt.
const InterruptEvery = 256

// Options for New.
type Options struct {
	Trace bool // record events
}

// New builds a session from a validated file. Nothing runs until Step,
// RunUntilIdle or Apply.
func New(f *File, opts Options) *Session {
	var rec *trace.Recorder
	if opts.Trace {
		rec = trace.New()
	}
	ex := poll.NewExecutor(EpochMillis, rec)
	dx := duplex.New(ex, duplex.Config{Capacity: f.Transport.Capacity, ReadChunk: f.Transport.ReadChunk}, rec)
	s := &Session{File: f, Mode: f.RunMode(), Ex: ex, Rec: rec, Duplex: dx}
	if s.Mode.HasServer() {
		env := &services.Env{Ex: ex, Rec: rec}
		var svc h1.Service
		if prog := f.Service(); prog != nil {
			svc = services.NewProgram(env, prog)
		} else {
			h, _ := services.LookupHandler(f.Handler)
			svc = h.New(env)
		}
		s.svc = svc
		s.Server = h1.NewServerConn(ex, dx.Server, svc, connOptions(f.ServerOptions))
		s.task = ex.Spawn("server connection", s.Server)
	}
	if s.Mode.HasClient() {
		s.Client = newClientProgram(ex, dx.Client, f.Program(), connOptions(f.ServerOptions))
		ex.Spawn("client program", s.Client)
	}
	switch s.Mode {
	case ModeServer:
		s.person = dx.Client
	case ModeClient:
		s.person = dx.Server
	case ModeBoth:
		dx.ToServer.Tee = &s.toServer
		dx.ToClient.Tee = &s.toClient
	}
	return s
}

func connOptions(o ServerOptions) h1.Options {
	opts := h1.DefaultOptions()
	if o.KeepAlive != nil {
		opts.KeepAlive = *o.KeepAlive
	}
	opts.HalfClose = o.HalfClose
	opts.TitleCaseHeaders = o.TitleCaseHeaders
	if o.MaxBufSize != nil {
		opts.MaxBufSize = *o.MaxBufSize
	}
	if o.HeaderReadTimeoutMS != nil {
		opts.HeaderReadTimeoutMS = *o.HeaderReadTimeoutMS
	}
	return opts
}

func (s *Session) interruptEvery() int {
	if s.InterruptSteps > 0 {
		return s.InterruptSteps
	}
	return InterruptEvery
}

// budget is the step budget per input.
func (s *Session) budget() int {
	if s.File.StepBudget > 0 {
		return s.File.StepBudget
	}
	return DefaultStepBudget
}

// pump moves bytes on the person's side: deliver what waits to be sent,
// read what the engine wrote (unless stalled).
func (s *Session) pump() {
	c := s.person
	if c == nil {
		return
	}
	if len(s.pending) > 0 && c.Out().ReaderGone() {
		// the engine closed the socket: what was not sent is lost, as it
		// would be on a real connection
		s.pending = nil
	}
	sent, read := &s.toServer, &s.toClient
	if s.Mode == ModeClient {
		sent, read = &s.toClient, &s.toServer
	}
	if len(s.pending) > 0 {
		n := c.Write(s.pending)
		*sent = append(*sent, s.pending[:n]...)
		s.pending = s.pending[n:]
	}
	if len(s.pending) == 0 && s.shutAfter {
		s.shutAfter = false
		c.Shutdown()
	}
	if !s.stalled {
		*read = c.ReadAll(*read)
	}
}

// Step polls one task once (after moving the person's bytes). It returns
// false when nothing was runnable.
func (s *Session) Step() bool {
	s.pump()
	ok := s.Ex.Step()
	s.pump()
	return ok
}

// RunUntilIdle steps until nothing is runnable, within the step budget.
// A run cut short by Interrupt keeps the steps it took: calling
// RunUntilIdle again continues it with the rest of its budget, so a run
// done in slices stops where one done at once does.
func (s *Session) RunUntilIdle() error {
	s.pump()
	for s.Ex.Runnable() {
		if s.runSteps >= s.budget() {
			s.runSteps = 0
			s.budgetErr = &poll.ErrBudget{Steps: s.budget()}
			return s.budgetErr
		}
		if s.Interrupt != nil && s.Ex.Steps()%s.interruptEvery() == 0 {
			if err := s.Interrupt(s.Ex.Steps()); err != nil {
				return err
			}
		}
		s.Step()
		s.runSteps++
	}
	s.runSteps = 0
	return nil
}

// Apply applies one input (once the engine is idle) and runs until idle.
func (s *Session) Apply(in Input) error {
	if err := s.RunUntilIdle(); err != nil {
		return err
	}
	s.applied++
	c := s.person
	if c == nil {
		// mode both: faults hit the client's end, as if its socket failed
		c = s.Duplex.Client
	}
	switch {
	case in.Send != nil || in.SendB64 != nil:
		s.pending = append(s.pending, in.Bytes()...)
	case in.WaitMS != nil:
		s.Ex.Clock().Advance(*in.WaitMS)
	case in.Shutdown != nil:
		s.shutAfter = true
	case in.Fault != nil:
		switch *in.Fault {
		case "reset":
			c.Reset()
		case "vanish":
			s.pending = nil
			c.Vanish()
		case "stall-writes":
			s.stalled = true
		case "release-writes":
			s.stalled = false
		}
	}
	return s.RunUntilIdle()
}

// Run applies every input of the file in order.
func (s *Session) Run() error {
	if err := s.RunUntilIdle(); err != nil {
		return err
	}
	for _, in := range s.File.Input[s.applied:] {
		if err := s.Apply(in); err != nil {
			return err
		}
	}
	return nil
}

// ClientConn is the client program's connection, nil in mode server and
// before the program's handshake.
func (s *Session) ClientConn() *h1.ClientConn {
	if s.Client == nil {
		return nil
	}
	return s.Client.conn
}

// RequestsSent is how many requests the client program has sent (0 in mode
// server).
func (s *Session) RequestsSent() int {
	if s.Client == nil {
		return 0
	}
	return s.Client.sent
}

// ServerTask is the server connection's task (0 in mode client).
func (s *Session) ServerTask() poll.TaskID { return s.task }

// ToServer is everything the person sent that reached the pipe (in mode
// client, everything the engine's client wrote that the person read).
func (s *Session) ToServer() []byte { return s.toServer }

// ToClient is everything the engine wrote that the person has read.
func (s *Session) ToClient() []byte { return s.toClient }
