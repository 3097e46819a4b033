package h1

// Kind is the class of an engine error, named as connlab's transcripts name
// them (hyper's error::Kind in kebab case).
type Kind uint8

const (
	KindParse Kind = iota + 1
	KindIncomplete
	KindUnexpectedMessage
	KindHeaderTimeout
	KindUser
	KindUserBody
	KindBody
	KindBodyWrite
	KindIO
	KindShutdown
	KindCanceled
	KindClosed
)

var kindNames = [...]string{
	KindParse: "parse", KindIncomplete: "incomplete", KindUnexpectedMessage: "unexpected-message",
	KindHeaderTimeout: "header-timeout", KindUser: "user", KindUserBody: "user-body",
	KindBody: "body", KindBodyWrite: "body-write", KindIO: "io", KindShutdown: "shutdown",
	KindCanceled: "canceled", KindClosed: "closed",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// ParseKind is the sub-kind of a parse error.
type ParseKind uint8

const (
	ParseMethod ParseKind = iota + 1
	ParseVersion
	ParseVersionH2
	ParseURI
	ParseURITooLong
	ParseHeaderToken
	ParseContentLengthInvalid
	ParseTransferEncodingInvalid
	ParseTransferEncodingUnexpected
	ParseTooLarge
	ParseStatus
	ParseInternal
)

var parseNames = [...]string{
	ParseMethod: "method", ParseVersion: "version", ParseVersionH2: "version-h2", ParseURI: "uri",
	ParseURITooLong: "uri-too-long", ParseHeaderToken: "header-token",
	ParseContentLengthInvalid: "content-length-invalid", ParseTransferEncodingInvalid: "transfer-encoding-invalid",
	ParseTransferEncodingUnexpected: "transfer-encoding-unexpected", ParseTooLarge: "too-large",
	ParseStatus: "status", ParseInternal: "internal",
}

var parseText = [...]string{
	ParseMethod: "invalid HTTP method parsed", ParseVersion: "invalid HTTP version parsed",
	ParseVersionH2: "invalid HTTP version parsed (found HTTP2 preface)", ParseURI: "invalid URI",
	ParseURITooLong: "URI too long", ParseHeaderToken: "invalid HTTP header parsed",
	ParseContentLengthInvalid: "invalid content-length parsed", ParseTransferEncodingInvalid: "invalid transfer-encoding parsed",
	ParseTransferEncodingUnexpected: "unexpected transfer-encoding parsed", ParseTooLarge: "message head is too large",
	ParseStatus: "invalid HTTP status-code parsed", ParseInternal: "internal error inside the engine, please report",
}

func (p ParseKind) String() string {
	if int(p) < len(parseNames) {
		return parseNames[p]
	}
	return "unknown"
}

var kindText = [...]string{
	KindIncomplete: "connection closed before message completed", KindUnexpectedMessage: "received unexpected message from connection",
	KindHeaderTimeout: "read header from client timeout", KindUser: "error from user's Service",
	KindUserBody: "error from user's Body stream", KindBody: "error reading a body from connection",
	KindBodyWrite: "error writing a body to connection", KindIO: "connection error",
	KindShutdown: "error shutting down connection", KindCanceled: "operation was canceled", KindClosed: "channel closed",
}

// Error is an engine error: a kind, a parse sub-kind for parse errors, and
// an optional cause (an I/O error, a decoder message).
type Error struct {
	Kind  Kind
	Parse ParseKind
	Cause error
	// Detail refines the description (e.g. "user body write aborted").
	Detail string
}

func (e *Error) Error() string {
	s := e.describe()
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

func (e *Error) describe() string {
	if e.Detail != "" {
		return e.Detail
	}
	if e.Kind == KindParse {
		if int(e.Parse) < len(parseText) {
			return parseText[e.Parse]
		}
		return "parse error"
	}
	if int(e.Kind) < len(kindText) {
		return kindText[e.Kind]
	}
	return "error"
}

func (e *Error) Unwrap() error { return e.Cause }

// Errno returns the OS error name of an I/O cause ("ENOTCONN"), or "".
func (e *Error) Errno() string {
	type errnoer interface{ ErrnoName() string }
	for c := e.Cause; c != nil; {
		if x, ok := c.(errnoer); ok {
			return x.ErrnoName()
		}
		u, ok := c.(interface{ Unwrap() error })
		if !ok {
			break
		}
		c = u.Unwrap()
	}
	return ""
}

// IsIncomplete reports whether the error is an incomplete message.
func (e *Error) IsIncomplete() bool { return e.Kind == KindIncomplete }

// IsParse reports whether the error is a parse error.
func (e *Error) IsParse() bool { return e.Kind == KindParse }

func newParse(k ParseKind) *Error       { return &Error{Kind: KindParse, Parse: k} }
func newIncomplete() *Error             { return &Error{Kind: KindIncomplete} }
func newUnexpectedMessage() *Error      { return &Error{Kind: KindUnexpectedMessage} }
func newHeaderTimeout() *Error          { return &Error{Kind: KindHeaderTimeout} }
func newIO(cause error) *Error          { return &Error{Kind: KindIO, Cause: cause} }
func newShutdown(cause error) *Error    { return &Error{Kind: KindShutdown, Cause: cause} }
func newBody(cause error) *Error        { return &Error{Kind: KindBody, Cause: cause} }
func newBodyWrite(cause error) *Error   { return &Error{Kind: KindBodyWrite, Cause: cause} }
func newBodyWriteAborted() *Error       { return &Error{Kind: KindUser, Detail: "user body write aborted"} }
func newUserService(cause error) *Error { return &Error{Kind: KindUser, Cause: cause} }
func newUserBody(cause error) *Error    { return &Error{Kind: KindUserBody, Cause: cause} }
func newClosed() *Error                 { return &Error{Kind: KindClosed} }
func newCanceled() *Error               { return &Error{Kind: KindCanceled} }
