package h1

import "bytes"

// This file holds the header-value helpers the roles share (hyper's
// proto/h1 headers.rs), the header-name writers, and Date formatting.
//
// Header values are bytes as on the wire. hyper first asks HeaderValue for
// a &str (to_str), which only succeeds for visible ASCII plus HTAB; every
// token check below does the same, so a value carrying obs-text never
// matches a token.

// connectionKeepAlive reports whether a Connection value lists keep-alive.
func connectionKeepAlive(value []byte) bool {
	return connectionHas(value, "keep-alive")
}

// connectionClose reports whether a Connection value lists close.
func connectionClose(value []byte) bool {
	return connectionHas(value, "close")
}

// connectionAnyClose reports whether any Connection field carries close: a
// message may repeat the field, and looking only at the first would miss a
// close in a later one.
func connectionAnyClose(headers []Header) bool {
	for _, h := range headers {
		if nameIs(h.Name, "connection") && connectionClose(h.Value) {
			return true
		}
	}
	return false
}

// connectionHas reports whether the comma-separated value holds needle
// (ASCII case-insensitive, surrounding whitespace ignored).
func connectionHas(value []byte, needle string) bool {
	if !visibleASCII(value) {
		return false
	}
	return listHas(value, needle)
}

// teIsTrailers reports whether any TE field lists "trailers", which is what
// allows trailer fields to be sent back.
func teIsTrailers(headers []Header) bool {
	for i := range headers {
		// by pointer, and the name's length first: this runs for every
		// request head, and a TE field is rare
		h := &headers[i]
		if len(h.Name) == len("te") && nameIs(h.Name, "te") && visibleASCII(h.Value) && listHas(h.Value, "trailers") {
			return true
		}
	}
	return false
}

// listHas walks a comma-separated list looking for needle.
func listHas(value []byte, needle string) bool {
	for len(value) > 0 {
		item := value
		rest := []byte(nil)
		if i := bytes.IndexByte(value, ','); i >= 0 {
			item, rest = value[:i], value[i+1:]
		}
		if asciiEqualFold(trimOWS(item), needle) {
			return true
		}
		value = rest
	}
	return false
}

// expectContinue reports whether an Expect value is 100-continue. The
// token is compared case-insensitively (RFC 9110 §10.1.1: "The
// expectation token is case-insensitive"), but the whole value must be it.
func expectContinue(value []byte) bool {
	return asciiEqualFold(value, "100-continue")
}

// contentLengthParse parses a single Content-Length value. The server side
// of hyper takes each field value whole, so "5, 5" in one field is invalid.
func contentLengthParse(value []byte) (uint64, bool) {
	return fromDigits(value)
}

// contentLengthParseAll folds every Content-Length field, each of which may
// be a comma list, into one length: all items must be valid and equal.
// ok is false when there is none, or when they disagree.
func contentLengthParseAll(headers []Header) (n uint64, ok bool) {
	for _, h := range headers {
		if !nameIs(h.Name, "content-length") {
			continue
		}
		if !visibleASCII(h.Value) {
			return 0, false
		}
		v := h.Value
		for {
			item := v
			last := true
			if i := bytes.IndexByte(v, ','); i >= 0 {
				item, v, last = v[:i], v[i+1:], false
			}
			m, valid := fromDigits(trimOWS(item))
			if !valid || (ok && m != n) {
				return 0, false
			}
			n, ok = m, true
			if last {
				break
			}
		}
	}
	return n, ok
}

// fromDigits parses 1*DIGIT into a uint64. strconv would accept a sign
// prefix, which a Content-Length must not have.
func fromDigits(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, false // overflow
		}
		n = n*10 + d
	}
	return n, true
}

// transferEncodingIsChunked reports whether the last Transfer-Encoding
// field ends in chunked.
func transferEncodingIsChunked(headers []Header) bool {
	var last []byte
	found := false
	for _, h := range headers {
		if nameIs(h.Name, "transfer-encoding") {
			last, found = h.Value, true
		}
	}
	return found && isChunkedValue(last)
}

// isChunkedValue reports whether the final coding of a Transfer-Encoding
// value is chunked: chunked must always come last.
func isChunkedValue(value []byte) bool {
	if !visibleASCII(value) {
		return false
	}
	if i := bytes.LastIndexByte(value, ','); i >= 0 {
		value = value[i+1:]
	}
	return asciiEqualFold(trimOWS(value), "chunked")
}

// nameIs compares a header name with a lowercase name, ignoring ASCII case.
func nameIs(name []byte, lower string) bool {
	return asciiEqualFold(name, lower)
}

// asciiEqualFold compares b with a lowercase ASCII string, folding only
// ASCII letters in b (hyper's eq_ignore_ascii_case).
func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if asciiLower(b[i]) != lower[i] {
			return false
		}
	}
	return true
}

// HeaderNameIs reports whether a field name equals lower (a lowercase
// name), ASCII case-insensitively: for services, which see names as sent.
func HeaderNameIs(name []byte, lower string) bool { return asciiEqualFold(name, lower) }

// HasHeader reports whether any field is called lower (a lowercase name).
func HasHeader(headers []Header, lower string) bool { return hasHeader(headers, lower) }

// TrimOWS strips optional whitespace (SP, HTAB) at both ends of a value.
func TrimOWS(b []byte) []byte { return trimOWS(b) }

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func asciiUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// isVisibleASCII is HeaderValue::to_str's test: HTAB and 0x20..0x7E only.
func visibleASCII(b []byte) bool {
	for _, c := range b {
		if c != '\t' && (c < 0x20 || c >= 0x7f) {
			return false
		}
	}
	return true
}

// trimOWS strips SP and HTAB at both ends: the only whitespace a visible
// ASCII value can hold.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// appendLowerName writes a header name as hyper's HeaderName holds it:
// lowercase.
func appendLowerName(dst, name []byte) []byte {
	for _, c := range name {
		dst = append(dst, asciiLower(c))
	}
	return dst
}

// appendTitleName writes a header name title-cased: the first letter and
// every letter after a '-' upper, the rest lower ("weird--header" becomes
// "Weird--Header").
func appendTitleName(dst, name []byte) []byte {
	prev := byte('-')
	for _, c := range name {
		c = asciiLower(c)
		if prev == '-' {
			c = asciiUpper(c)
		}
		dst = append(dst, c)
		prev = c
	}
	return dst
}

// appendTitleString is appendTitleName for the engine's own constant names.
func appendTitleString(dst []byte, name string) []byte {
	prev := byte('-')
	for i := 0; i < len(name); i++ {
		c := asciiLower(name[i])
		if prev == '-' {
			c = asciiUpper(c)
		}
		dst = append(dst, c)
		prev = c
	}
	return dst
}

// seenBefore reports whether headers[i]'s name already occurred earlier.
// A HeaderMap iterates names in order of first insertion with all values of
// a name together; over a []Header that is "skip names seen before, and
// emit every later value of a name with its first". Quadratic, but heads
// are small and this allocates nothing.
func seenBefore(headers []Header, i int) bool {
	for k := 0; k < i; k++ {
		if sameName(headers[k].Name, headers[i].Name) {
			return true
		}
	}
	return false
}

// sameName compares two header names ignoring ASCII case.
func sameName(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if asciiLower(a[i]) != asciiLower(b[i]) {
			return false
		}
	}
	return true
}

const (
	dayNames   = "SunMonTueWedThuFriSat"
	monthNames = "JanFebMarAprMayJunJulAugSepOctNovDec"
)

// appendDate formats unixMillis (truncated to the second) as an IMF-fixdate,
// "Sun, 06 Nov 1994 08:49:37 GMT". The caller passes the time so the engine
// stays deterministic under test. It does the calendar arithmetic itself
// rather than through package time: the engine imports no time, and
// time.Time.AppendFormat with http.TimeFormat's layout, measured in its
// place (issue 18), added 11 KiB with brotli to the browser's wasm (its
// layout parser and formatter; dom/v2 links only a little of time) and
// took twice as long (206 against 105 ns, both without allocations). The
// result is what time.Unix(s, 0).UTC().Format(http.TimeFormat) gives for
// every year from 0 to 9999 (headers_test.go checks).
func appendDate(dst []byte, unixMillis int64) []byte {
	secs := unixSeconds(unixMillis)
	days := floorDiv(secs, 86400)
	sod := int(secs - days*86400) // second of the day, 0..86399
	year, month, day := civilFromDays(days)
	// 1970-01-01 was a Thursday (4); days%7 is in -6..6
	wd := int((days%7 + 11) % 7)
	dst = append(dst, dayNames[wd*3:wd*3+3]...)
	dst = append(dst, ", "...)
	dst = appendDigits2(dst, day)
	dst = append(dst, ' ')
	m := month - 1
	dst = append(dst, monthNames[m*3:m*3+3]...)
	dst = append(dst, ' ')
	dst = appendDigits4(dst, year)
	dst = append(dst, ' ')
	dst = appendDigits2(dst, sod/3600)
	dst = append(dst, ':')
	dst = appendDigits2(dst, sod/60%60)
	dst = append(dst, ':')
	dst = appendDigits2(dst, sod%60)
	return append(dst, " GMT"...)
}

// civilFromDays converts days since 1970-01-01 to a proleptic Gregorian
// date (month 1..12, day 1..31). It is Howard Hinnant's civil_from_days
// ("chrono-Compatible Low-Level Date Algorithms"): shift the epoch
// to 0000-03-01 so the leap day ends each year, split into 400-year eras
// of 146097 days, then find the year of the era, the day of that year and
// the month from it (153 days per five months, March to July).
func civilFromDays(days int64) (year, month, day int) {
	z := days + 719468                                     // days since 0000-03-01
	era := floorDiv(z, 146097)                             // 400-year era
	doe := z - era*146097                                  // day of era, 0..146096
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of era, 0..399
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of the March-based year, 0..365
	mp := (5*doy + 2) / 153                                // month from March, 0..11
	day = int(doy - (153*mp+2)/5 + 1)
	month = int(mp + 3)
	if mp >= 10 {
		month = int(mp - 9)
	}
	year = int(yoe + era*400)
	if month <= 2 {
		year++
	}
	return year, month, day
}

// floorDiv is a/b rounded toward minus infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func appendDigits2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

func appendDigits4(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/1000%10), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

// unixSeconds truncates milliseconds to whole seconds, rounding toward
// minus infinity so instants before 1970 format correctly too.
func unixSeconds(ms int64) int64 { return floorDiv(ms, 1000) }
