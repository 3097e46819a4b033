package session

// DemoJSON is the built-in demo session: two pipelined GETs on one
// keep-alive connection to `hello`, then the client closes its write side.
const DemoJSON = `{
  "version": 1,
  "mode": "server",
  "handler": "hello",
  "input": [
    {"send": "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"},
    {"shutdown": "write"}
  ]
}`

// Demo returns the parsed demo session file.
func Demo() *File {
	f, err := ParseBytes([]byte(DemoJSON))
	if err != nil {
		panic("connlab: built-in demo session is invalid: " + err.Error())
	}
	return f
}
