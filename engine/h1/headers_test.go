package h1

import (
	"math"
	"net/http"
	"testing"
	"time"
)

func TestHeaderConnectionTokens(t *testing.T) {
	cases := []struct {
		value            string
		close, keepAlive bool
	}{
		{"close", true, false},
		{"Close", true, false},
		{" foo , CLOSE\t, bar", true, false},
		{"keep-alive", false, true},
		{"Keep-Alive, Upgrade", false, true},
		{"closed", false, false},
		{"keep-alive-ish", false, false},
		{"", false, false},
		{",,", false, false},
		{"close\x80", false, false}, // not visible ASCII: hyper's to_str fails
		{"keep-alive,\x01", false, false},
	}
	for _, c := range cases {
		if got := connectionClose([]byte(c.value)); got != c.close {
			t.Errorf("connectionClose(%q) = %v", c.value, got)
		}
		if got := connectionKeepAlive([]byte(c.value)); got != c.keepAlive {
			t.Errorf("connectionKeepAlive(%q) = %v", c.value, got)
		}
	}
}

func TestHeaderConnectionAnyClose(t *testing.T) {
	if connectionAnyClose(roleHeaders("Connection", "keep-alive", "Host", "close")) {
		t.Error("close in another field counted")
	}
	if !connectionAnyClose(roleHeaders("Connection", "keep-alive", "connection", "x, close")) {
		t.Error("close in the second Connection field missed")
	}
	if connectionAnyClose(nil) {
		t.Error("no fields")
	}
}

// hyper's te_is_trailers tests, plus the non-ASCII rule.
func TestHeaderTEIsTrailers(t *testing.T) {
	cases := []struct {
		headers []Header
		want    bool
	}{
		{roleHeaders("TE", "gzip, Trailers"), true},
		{roleHeaders("te", "gzip", "Te", "trailers"), true},
		{roleHeaders("TE", "gzip"), false},
		{roleHeaders("X-TE", "trailers"), false},
		{roleHeaders("TE", "trailers\xff"), false},
		{nil, false},
	}
	for _, c := range cases {
		if got := teIsTrailers(c.headers); got != c.want {
			t.Errorf("teIsTrailers(%q) = %v", c.headers, got)
		}
	}
}

func TestHeaderFromDigits(t *testing.T) {
	cases := []struct {
		in   string
		n    uint64
		ok   bool
		list bool
	}{
		{"0", 0, true, false},
		{"007", 7, true, false},
		{"18446744073709551615", 18446744073709551615, true, false},
		{"18446744073709551616", 0, false, false},
		{"99999999999999999999", 0, false, false},
		{"", 0, false, false},
		{"+1", 0, false, false},
		{"-1", 0, false, false},
		{" 1", 0, false, false},
		{"1 ", 0, false, false},
		{"0x10", 0, false, false},
		{"5, 5", 0, false, false},
	}
	for _, c := range cases {
		n, ok := fromDigits([]byte(c.in))
		if n != c.n || ok != c.ok {
			t.Errorf("fromDigits(%q) = %d, %v", c.in, n, ok)
		}
		n, ok = contentLengthParse([]byte(c.in))
		if n != c.n || ok != c.ok {
			t.Errorf("contentLengthParse(%q) = %d, %v", c.in, n, ok)
		}
	}
}

func TestHeaderContentLengthParseAll(t *testing.T) {
	cases := []struct {
		headers []Header
		n       uint64
		ok      bool
	}{
		{roleHeaders("Content-Length", "5"), 5, true},
		{roleHeaders("Content-Length", "5, 5"), 5, true},
		{roleHeaders("content-length", " 5 ,5\t", "CONTENT-LENGTH", "5"), 5, true},
		{roleHeaders("Content-Length", "5", "content-length", "6"), 0, false},
		{roleHeaders("Content-Length", "5, 6"), 0, false},
		{roleHeaders("Content-Length", "5,"), 0, false},
		{roleHeaders("Content-Length", ""), 0, false},
		{roleHeaders("Content-Length", "+5"), 0, false},
		{roleHeaders("Content-Length", "5\x80"), 0, false},
		{roleHeaders("Host", "5"), 0, false},
		{nil, 0, false},
	}
	for _, c := range cases {
		n, ok := contentLengthParseAll(c.headers)
		if n != c.n || ok != c.ok {
			t.Errorf("contentLengthParseAll(%q) = %d, %v", c.headers, n, ok)
		}
	}
}

func TestHeaderIsChunked(t *testing.T) {
	cases := []struct {
		value string
		want  bool
	}{
		{"chunked", true},
		{"Chunked", true},
		{"gzip, chunked", true},
		{"gzip,chunked \t", true},
		{"chunked, gzip", false},
		{"chunked,", false},
		{"xchunked", false},
		{"", false},
		{"chunked\xff", false},
	}
	for _, c := range cases {
		if got := isChunkedValue([]byte(c.value)); got != c.want {
			t.Errorf("isChunkedValue(%q) = %v", c.value, got)
		}
	}
	// Only the last Transfer-Encoding field decides.
	if !transferEncodingIsChunked(roleHeaders("Transfer-Encoding", "gzip", "transfer-encoding", "chunked")) {
		t.Error("last field chunked")
	}
	if transferEncodingIsChunked(roleHeaders("Transfer-Encoding", "chunked", "transfer-encoding", "gzip")) {
		t.Error("last field gzip")
	}
	if transferEncodingIsChunked(roleHeaders("Content-Encoding", "chunked")) || transferEncodingIsChunked(nil) {
		t.Error("no Transfer-Encoding field")
	}
}

func TestHeaderExpectContinue(t *testing.T) {
	for v, want := range map[string]bool{
		"100-continue": true, "100-Continue": true, "100-CONTINUE": true,
		" 100-continue": false, "100-continue, foo": false, "": false, "100": false,
	} {
		if got := expectContinue([]byte(v)); got != want {
			t.Errorf("expectContinue(%q) = %v", v, got)
		}
	}
}

func TestHeaderNameWriters(t *testing.T) {
	cases := []struct{ in, lower, title string }{
		{"Content-Type", "content-type", "Content-Type"},
		{"CONTENT-LENGTH", "content-length", "Content-Length"},
		{"weird--header", "weird--header", "Weird--Header"},
		{"*-*", "*-*", "*-*"},
		{"x-1a", "x-1a", "X-1a"},
		{"-lead", "-lead", "-Lead"},
		{"te", "te", "Te"},
	}
	for _, c := range cases {
		if got := string(appendLowerName(nil, []byte(c.in))); got != c.lower {
			t.Errorf("appendLowerName(%q) = %q", c.in, got)
		}
		if got := string(appendTitleName(nil, []byte(c.in))); got != c.title {
			t.Errorf("appendTitleName(%q) = %q", c.in, got)
		}
		if got := string(appendTitleString(nil, c.in)); got != c.title {
			t.Errorf("appendTitleString(%q) = %q", c.in, got)
		}
	}
}

func TestHeaderMapOrder(t *testing.T) {
	headers := roleHeaders("B", "1", "a", "2", "b", "3", "C", "4", "A", "5")
	var order []string
	for i := range headers {
		if seenBefore(headers, i) {
			continue
		}
		for j := i; j < len(headers); j++ {
			if j == i || sameName(headers[j].Name, headers[i].Name) {
				order = append(order, string(headers[j].Value))
			}
		}
	}
	if got := string(roleJoin(order)); got != "1,3,2,5,4" {
		t.Fatalf("order %s", got)
	}
}

func roleJoin(s []string) []byte {
	var b []byte
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, v...)
	}
	return b
}

func TestHeaderAppendDate(t *testing.T) {
	cases := map[int64]string{
		0:                  "Thu, 01 Jan 1970 00:00:00 GMT",
		999:                "Thu, 01 Jan 1970 00:00:00 GMT",
		784111777000:       "Sun, 06 Nov 1994 08:49:37 GMT",
		784111777999:       "Sun, 06 Nov 1994 08:49:37 GMT",
		1767225600000:      "Thu, 01 Jan 2026 00:00:00 GMT",
		951782400000:       "Tue, 29 Feb 2000 00:00:00 GMT",
		-1:                 "Wed, 31 Dec 1969 23:59:59 GMT",
		253402300799000:    "Fri, 31 Dec 9999 23:59:59 GMT",
		1700000000123 + 60: "Tue, 14 Nov 2023 22:13:20 GMT",
	}
	for ms, want := range cases {
		got := appendDate([]byte("x"), ms)
		if string(got) != "x"+want {
			t.Errorf("appendDate(%d) = %q, want %q", ms, got[1:], want)
		}
		if len(got)-1 != 29 {
			t.Errorf("appendDate(%d): length %d", ms, len(got)-1)
		}
	}
	buf := make([]byte, 0, 64)
	if a := testing.AllocsPerRun(100, func() { buf = appendDate(buf[:0], 1767225600000) }); a != 0 {
		t.Errorf("appendDate: %v allocs/op", a)
	}
}

// dateByTime is appendDate as it was written with package time: the
// reference the calendar arithmetic must match byte for byte, for every
// int64 (outside years 0..9999 appendDigits4 prints the year's last four
// digits, or worse for negative years; that stays as it was).
func dateByTime(dst []byte, unixMillis int64) []byte {
	t := time.Unix(unixSeconds(unixMillis), 0).UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	wd := int(t.Weekday())
	dst = append(dst, dayNames[wd*3:wd*3+3]...)
	dst = append(dst, ", "...)
	dst = appendDigits2(dst, day)
	dst = append(dst, ' ')
	m := int(month) - 1
	dst = append(dst, monthNames[m*3:m*3+3]...)
	dst = append(dst, ' ')
	dst = appendDigits4(dst, year)
	dst = append(dst, ' ')
	dst = appendDigits2(dst, hour)
	dst = append(dst, ':')
	dst = appendDigits2(dst, minute)
	dst = append(dst, ':')
	dst = appendDigits2(dst, second)
	return append(dst, " GMT"...)
}

// checkDate compares appendDate(ms) with package time: with
// http.TimeFormat when the year has four digits, and always with
// dateByTime.
func checkDate(t *testing.T, ms int64) {
	t.Helper()
	got := string(appendDate(nil, ms))
	if want := string(dateByTime(nil, ms)); got != want {
		t.Fatalf("appendDate(%d) = %q, want %q (the time-based formatter)", ms, got, want)
	}
	tm := time.UnixMilli(ms).UTC()
	if y := tm.Year(); y >= 0 && y <= 9999 {
		if want := tm.Format(http.TimeFormat); got != want {
			t.Fatalf("appendDate(%d) = %q, want %q (http.TimeFormat)", ms, got, want)
		}
	}
}

const (
	year0Start  = -62167219200 // 0000-01-01T00:00:00Z, in Unix seconds
	year10Kth   = 253402300800 // 10000-01-01T00:00:00Z
	secondsADay = 86400
)

// TestHeaderAppendDateYears formats one instant of every third day from
// year 0 to 9999 (3 and 7 are coprime, so every weekday comes up; a
// different second of the day each time), and the first and last second
// of every day of the years around the leap-year rules (1900, 2000, 2100),
// 1970, the 2038 rollover of 32-bit time and year 9999.
func TestHeaderAppendDateYears(t *testing.T) {
	step := int64(3)
	if testing.Short() {
		step = 97
	}
	for d := int64(0); d*secondsADay < year10Kth-year0Start; d += step {
		s := year0Start + d*secondsADay + d*7919%secondsADay
		checkDate(t, s*1000)
	}
	for _, year := range []int{1899, 1900, 1904, 1969, 1970, 1999, 2000, 2037, 2038, 2039, 2099, 2100, 9999} {
		start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		for d := int64(0); d < 366; d++ {
			s := start + d*secondsADay
			checkDate(t, s*1000)
			checkDate(t, s*1000-1)
			checkDate(t, (s+secondsADay-1)*1000+999)
		}
	}
}

func TestHeaderAppendDateEdges(t *testing.T) {
	for _, ms := range []int64{
		0, -1, 1, 999, -999, -1000, -1001,
		math.MaxInt32 * 1000, (math.MaxInt32 + 1) * 1000, // 2038-01-19
		math.MinInt32 * 1000,                   // 1901-12-13
		year0Start * 1000, year0Start*1000 - 1, // 0000-01-01, and the second before
		(year10Kth - 1) * 1000, year10Kth * 1000, // 9999-12-31 23:59:59, and year 10000
		math.MaxInt64, math.MinInt64, math.MaxInt64 - 999, math.MinInt64 + 1,
	} {
		checkDate(t, ms)
	}
}

// FuzzAppendDate checks appendDate against package time for any int64.
func FuzzAppendDate(f *testing.F) {
	for _, ms := range []int64{0, -1, 784111777000, 951782400000, 2147483648000, year0Start * 1000, (year10Kth - 1) * 1000, math.MaxInt64, math.MinInt64} {
		f.Add(ms)
	}
	f.Fuzz(func(t *testing.T, ms int64) {
		checkDate(t, ms)
	})
}
