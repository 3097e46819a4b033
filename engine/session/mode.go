package session

import "strconv"

// Mode is which side of the duplex the engine plays: a session file's
// "mode", read once at the boundary (File.RunMode) and typed from then on.
type Mode uint8

// The modes. ModeServer is the zero value: a file without "mode" serves.
const (
	ModeServer Mode = iota // the engine serves; the person is the client
	ModeClient             // a client program runs; the person is the server
	ModeBoth               // a client program against the engine's server
)

// modeNames are the modes as a session file writes them, indexed by Mode.
var modeNames = [...]string{ModeServer: "server", ModeClient: "client", ModeBoth: "both"}

// String is the mode as a session file writes it.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode reads a session file's "mode"; "" is the default, server.
func ParseMode(s string) (Mode, bool) {
	if s == "" {
		return ModeServer, true
	}
	for m, name := range modeNames {
		if name == s {
			return Mode(m), true
		}
	}
	return 0, false
}

// RunMode is f's mode, typed (ModeServer for a mode Validate refuses).
func (f *File) RunMode() Mode {
	m, _ := ParseMode(f.Mode)
	return m
}

// HasServer reports whether the engine runs a server (modes server, both).
func (m Mode) HasServer() bool { return m != ModeClient }

// HasClient reports whether a client program runs (modes client, both).
func (m Mode) HasClient() bool { return m != ModeServer }
