package httpx

import "io"

// MiniHeader is the Worker's Header: net/http's Header methods that the
// API uses, with the same canonical keys. It is compiled everywhere so
// that its test holds it to net/http's Header natively.
type MiniHeader map[string][]string

// Add appends value to key's values.
func (h MiniHeader) Add(key, value string) {
	key = CanonicalKey(key)
	h[key] = append(h[key], value)
}

// Set replaces key's values with value.
func (h MiniHeader) Set(key, value string) { h[CanonicalKey(key)] = []string{value} }

// Get is key's first value, or "".
func (h MiniHeader) Get(key string) string {
	if vs := h[CanonicalKey(key)]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Values are key's values.
func (h MiniHeader) Values(key string) []string { return h[CanonicalKey(key)] }

// Del removes key.
func (h MiniHeader) Del(key string) { delete(h, CanonicalKey(key)) }

// CanonicalKey is textproto.CanonicalMIMEHeaderKey: a key made of token
// characters gets its first letter and every letter after a hyphen in
// upper case and the others in lower case; any other key is left as it is.
func CanonicalKey(s string) string {
	canonical := true
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isTokenByte(c) {
			return s
		}
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			canonical = false
		}
		upper = c == '-'
	}
	if canonical {
		return s
	}
	b := []byte(s)
	upper = true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
		upper = c == '-'
	}
	return string(b)
}

// isTokenByte reports whether c may be in a header field name (RFC 9110
// token).
func isTokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// miniStatusText is net/http's StatusText for the statuses the API
// answers (and "" for others, as net/http for an unknown code).
func miniStatusText(code int) string {
	switch code {
	case StatusOK:
		return "OK"
	case StatusNoContent:
		return "No Content"
	case StatusBadRequest:
		return "Bad Request"
	case StatusNotFound:
		return "Not Found"
	case StatusMethodNotAllowed:
		return "Method Not Allowed"
	case StatusRequestEntityTooLarge:
		return "Request Entity Too Large"
	case StatusUnprocessableEntity:
		return "Unprocessable Entity"
	case StatusInternalServerError:
		return "Internal Server Error"
	case StatusServiceUnavailable:
		return "Service Unavailable"
	}
	return ""
}

// miniNoBody is an empty body, as net/http's NoBody.
type miniNoBody struct{}

func (miniNoBody) Read([]byte) (int, error) { return 0, io.EOF }
func (miniNoBody) Close() error             { return nil }
