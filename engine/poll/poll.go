// Package poll is connlab's model of Rust's std::task: a Poll result, a
// Context carrying a Waker, and a deterministic single-threaded Executor with
// a virtual Clock. Nothing here starts a goroutine or reads the wall clock:
// the same sequence of calls produces the same sequence of polls everywhere.
package poll

// Poll is the result of polling a future: Ready with a value, or Pending.
// A Pending result promises that a Waker was registered somewhere, so the
// task will be polled again when progress is possible.
type Poll[T any] struct {
	Ready bool
	Value T
}

// Ready wraps v in a ready Poll.
func Ready[T any](v T) Poll[T] { return Poll[T]{Ready: true, Value: v} }

// Pending returns a pending Poll.
func Pending[T any]() Poll[T] { return Poll[T]{} }

// IsPending reports whether p is Pending.
func (p Poll[T]) IsPending() bool { return !p.Ready }

// Unit is the value type of a Poll that carries nothing.
type Unit struct{}
