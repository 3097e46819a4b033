package h1

// Role is which side of the connection the engine plays. Differences
// between server and client are questions asked of the role (hyper's
// Http1Transaction: is_server, should_read_first, update_date, ...),
// answered from the table below, not `if server` scattered through the
// code.
type Role uint8

const (
	RoleServer Role = iota
	RoleClient
)

// transaction is one role's side of hyper's Http1Transaction: its answers
// to the trait's questions, as data, and the functions that differ between
// the roles (T::parse, T::encode, T::on_error). The Conn asks these and
// never which role it is.
type transaction struct {
	name string

	// isServer is is_server (is_client is its negation).
	isServer bool
	// shouldReadFirst: a server reads a request before writing; a client
	// writes one first.
	shouldReadFirst bool
	// shouldErrorOnParseEOF: EOF before a head is an error for a client
	// waiting on a response; for a server it is a client going away
	// between requests.
	shouldErrorOnParseEOF bool
	// updateDate: the role stamps what it writes with the cached date, so
	// the Dispatcher refreshes it on each poll (a client's update_date does
	// nothing).
	updateDate bool

	// parse is T::parse: parse the head at the front of buf into the Conn
	// (c.reqMsg or c.respMsg, and what the state machine needs of it in
	// c.parsed). n is its length; informational says a 1xx head was parsed
	// and must be skipped.
	parse func(c *Conn, buf []byte) (n int, ok, informational bool, err *Error)
	// encode is T::encode: encode the outgoing head the Conn holds
	// (c.encHead or c.encReq) into the write buffer.
	encode func(c *Conn, body *BodyLength) (Encoder, *Error)
	// onError is T::on_error: the head of an automatic response to a parse
	// error (a server's 400, 414, 431), or ok false (a client has none).
	onError func(err *Error) (head ResponseHead, ok bool)
}

// transactions is indexed by Role.
var transactions = [...]transaction{
	RoleServer: {
		name:            "server",
		isServer:        true,
		shouldReadFirst: true,
		updateDate:      true,
		parse:           parseServer,
		encode:          encodeServer,
		onError:         onError,
	},
	RoleClient: {
		name:                  "client",
		shouldErrorOnParseEOF: true,
		parse:                 parseClient,
		encode:                encodeClient,
		onError:               noAutomaticResponse,
	},
}

// tx is the role's table entry (r&1: there are two roles, and the mask
// spares the bounds check on every question).
func (r Role) tx() *transaction { return &transactions[r&1] }

// IsServer reports whether the engine serves (is_server).
func (r Role) IsServer() bool { return r.tx().isServer }

// IsClient reports whether the engine is the client (is_client).
func (r Role) IsClient() bool { return !r.tx().isServer }

// ShouldReadFirst: a server reads a request before writing; a client writes
// first (should_read_first).
func (r Role) ShouldReadFirst() bool { return r.tx().shouldReadFirst }

// ShouldErrorOnParseEOF: EOF before a head is an error for a client waiting
// on a response; for a server it is a client going away between requests
// (should_error_on_parse_eof).
func (r Role) ShouldErrorOnParseEOF() bool { return r.tx().shouldErrorOnParseEOF }

// UpdateDate reports whether the role keeps a cached date to stamp its
// messages with (update_date does something): the server.
func (r Role) UpdateDate() bool { return r.tx().updateDate }

func (r Role) String() string {
	if r > RoleClient {
		return enumName(nil, uint8(r), "Role")
	}
	return r.tx().name
}

// parsedMessage is what the state machine needs of the last parsed head,
// whichever the role: hyper's ParsedMessage<T::Incoming>, with the head
// left where the role parsed it.
type parsedMessage struct {
	req            *ParsedRequest  // server: &c.reqMsg
	resp           *ParsedResponse // client: &c.respMsg
	decode         DecodedLength
	keepAlive      bool
	expectContinue bool
	wantsUpgrade   bool
	version        Version
	headers        []Header
}

// parseServer is Server::parse: a request, whose method decides what the
// response may carry.
func parseServer(c *Conn, buf []byte) (n int, ok, informational bool, err *Error) {
	invariant(len(buf) != 0, assertParseNonEmpty) // role.rs:147
	n, ok, err = parseRequestLent(buf, &c.parseCtx, &c.reqMsg)
	if ok {
		// the head stays in the read buffer until the next read
		c.io.lent = &c.parseCtx
		m := &c.reqMsg
		c.parsed = parsedMessage{
			req: m, decode: m.Decode,
			keepAlive: m.KeepAlive, expectContinue: m.ExpectContinue, wantsUpgrade: m.WantsUpgrade,
			version: m.Head.Version, headers: m.Head.Headers,
		}
		c.state.method = c.parseCtx.reqMethod
	}
	return n, ok, false, err
}

// parseClient is Client::parse: a response to the request in flight,
// whose method decides whether it has a body (a response never expects
// 100-continue).
func parseClient(c *Conn, buf []byte) (n int, ok, informational bool, err *Error) {
	invariant(len(buf) != 0, assertParseNonEmpty) // role.rs:1029
	c.respCtx.reqMethod = c.state.method
	c.respCtx.rec = c.rec
	c.respMsg, n, ok, informational, err = parseResponse(buf, &c.respCtx)
	if ok {
		m := &c.respMsg
		c.parsed = parsedMessage{
			resp: m, decode: m.Decode,
			keepAlive: m.KeepAlive, wantsUpgrade: m.WantsUpgrade,
			version: m.Head.Version, headers: m.Head.Headers,
		}
	}
	return n, ok, informational, err
}

// encodeServer is Server::encode: the response in c.encHead, stamped with
// the cached date.
func encodeServer(c *Conn, bodyLen *BodyLength) (Encoder, *Error) {
	c.enforceVersion(&c.encHead.Version, &c.encHead.Headers)
	c.updateDate()
	if c.headCache.valid {
		// encodeResponse's own look in the cache, asked before the
		// context is built: a hit needs none of it.
		k, ok := keyOf(&c.encHead, bodyLen, c.state.method, c.state.wantsKeepAlive(), c.state.titleCaseHeaders, c.state.dateHeader)
		if ok && c.headCache.lookup(k) {
			buf := c.io.headersBuf()
			*buf = append(*buf, c.headCache.head...)
			return c.headCache.enc, nil
		}
	}
	c.encCtx = encodeContext{
		head:       &c.encHead,
		body:       bodyLen,
		keepAlive:  c.state.wantsKeepAlive(),
		reqMethod:  c.state.method,
		titleCase:  c.state.titleCaseHeaders,
		dateHeader: c.state.dateHeader,
		date:       c.date,
		dateLine:   c.dateLine,
		rec:        c.rec,
		cache:      &c.headCache,
	}
	return encodeResponse(&c.encCtx, c.io.headersBuf())
}

// encodeClient is Client::encode: the request in c.encReq, whose method is
// kept for parsing the response.
func encodeClient(c *Conn, bodyLen *BodyLength) (Encoder, *Error) {
	// A request saying `Connection: close` must not be reused, whatever
	// the response says.
	if connectionAnyClose(c.encReq.Headers) {
		c.state.disableKeepAlive()
	}
	c.enforceVersion(&c.encReq.Version, &c.encReq.Headers)
	c.state.method = c.encReq.Method
	c.reqCtx = requestEncodeContext{head: &c.encReq, body: bodyLen, titleCase: c.state.titleCaseHeaders, rec: c.rec}
	return encodeRequest(&c.reqCtx, c.io.headersBuf())
}

// noAutomaticResponse is Client::on_error: a client answers nothing.
func noAutomaticResponse(*Error) (ResponseHead, bool) { return ResponseHead{}, false }
