package scenarios

import (
	"strconv"
	"strings"
)

// Section is one numbered section of chapter 12, the book chapter the
// engine follows (seeds/004): its number and title as the book prints
// them, and the title in English.
type Section struct {
	Number  string // "12.6.1"
	Title   string // the book's title
	English string // the title in English; a citation's title may quote either
}

// Chapter lists the chapter's sections in the book's order. The book
// numbers two different sections 12.7.1 and two 12.8.1, so a citation of
// those names its title too: "§12.8.1 (poll_catch)" or "§12.8.1
// (try_keep_alive's four paths)" (CheckCitations).
var Chapter = []Section{
	{"12.1", "字节之上的编排", "orchestration above the bytes"},
	{"12.2", "Conn<I, B, T>:一条连接的所有状态", "Conn<I, B, T>: all the state of one connection"},
	{"12.2.1", "三套状态:Reading / Writing / KeepAlive", "three state enums: Reading / Writing / KeepAlive"},
	{"12.2.2", "Reading 状态意义", "what the Reading states mean"},
	{"12.2.3", "Writing 状态意义", "what the Writing states mean"},
	{"12.2.4", "KeepAlive 状态意义", "what the KeepAlive states mean"},
	{"12.3", "Reading × Writing × KA 的合法转移", "the legal transitions of Reading × Writing × KA"},
	{"12.4", "Dispatcher<D, Bs, I, T>:顶层驱动", "Dispatcher<D, Bs, I, T>: the top-level driver"},
	{"12.4.1", "Dispatch trait:Server/Client 的分界", "the Dispatch trait: where server and client part"},
	{"12.4.2", "Server 侧 poll_msg", "the server's poll_msg"},
	{"12.4.3", "Server 侧 recv_msg", "the server's recv_msg"},
	{"12.5", "poll_loop:一次 poll 做多少事", "poll_loop: how much one poll does"},
	{"12.5.1", "为什么是 16", "why 16"},
	{"12.5.2", "wants_read_again 的退出条件", "wants_read_again's exit condition"},
	{"12.6", "poll_read:身兼数职", "poll_read: many jobs in one"},
	{"12.6.1", "源码核对:poll_read 的”用户取消 body”主动检测", "source check: poll_read detects a body the user dropped"},
	{"12.6.2", "源码核对:poll_read_head 的 dispatch.poll_ready 三态分支", "source check: poll_read_head's three dispatch.poll_ready branches"},
	{"12.7", "poll_writebody_rx 的互动", "poll_write and body_rx"},
	{"12.7.1", "body_rx 的 Pin<Box<Option<Bs>>>", "body_rx's Pin<Box<Option<Bs>>>"},
	{"12.7.1", "源码核对:poll_write 的 body chunk 处理三分支 + 空 chunk 优化", "source check: poll_write's three chunk branches and the empty-chunk optimisation"},
	{"12.8", "错误、Upgrade、Shutdown 的正交处理", "errors, upgrade and shutdown, handled apart"},
	{"12.8.1", "错误:poll_catch", "errors: poll_catch"},
	{"12.8.2", "Upgrade:特殊分支", "upgrade: a special branch"},
	{"12.8.3", "Shutdown 的优雅顺序", "the graceful order of shutdown"},
	{"12.8.1", "源码核对:try_keep_alive 的 4 路状态转移 + Client 特殊路径", "source check: try_keep_alive's four paths and the client's special path"},
	{"12.9", "Role 的 maybe_notify 小玩法", "Role's little maybe_notify trick"},
	{"12.9.1", "源码核对:poll_read_keep_alive 的三态——区分”安全 idle”和”异常字节”", "source check: poll_read_keep_alive's three cases, a safe idle or unexpected bytes"},
	{"12.10", "一张连接生命周期图", "a connection's life in one picture"},
	{"12.10.1", "源码核对:poll_read_head 的 h1_header_read_timeout——slowloris 防御", "source check: poll_read_head's h1_header_read_timeout, the slowloris defence"},
	{"12.10.2", "源码核对:state.busy() + keep_alive &= msg.keep_alive 的并发安全状态推进", "source check: state.busy() and keep_alive &= msg.keep_alive"},
	{"12.11", "和其他章节的呼应", "links to the other chapters"},
	{"12.10.2.5", "源码核对:poll_drain_or_close_read 的优雅 drain 策略", "source check: poll_drain_or_close_read's drain strategy"},
	{"12.10.3", "hyper Connection 编排 vs 其他 HTTP server 实现", "hyper's connection against other HTTP servers"},
	{"12.10.2.5.2", "hyper Connection 的设计哲学三连问", "three questions on hyper's connection design"},
	{"12.10.2.5.3", "写一个最小 hyper-style Connection driver 的 50 行尝试", "a minimal hyper-style connection driver in 50 lines"},
	{"12.10.2.5.4", "conn.rs 1500 行的代码结构地图", "a map of conn.rs's 1500 lines"},
	{"12.10.2.5.5", "测试 hyper Connection 的几种实战手段", "ways to test a hyper connection"},
	{"12.10.2.6", "hyper 1.9 与 0.14 的 try_keep_alive 对比演化", "try_keep_alive in hyper 1.9 and 0.14"},
	{"12.10.2.7", "几个真实生产 bug 的 root cause", "the root causes of a few production bugs"},
	{"12.10.3.1", "hyper 1.x vs 0.14 在 connection 设计上的演进", "how the connection changed from hyper 0.14 to 1.x"},
	{"12.10.4", "几条 HTTP/1 connection 的”反直觉”事实", "counter-intuitive facts about HTTP/1 connections"},
	{"12.11.1", "本章源码定位索引", "where the chapter's code is"},
	{"12.11.2", "读完本章能回答的具体问题清单", "questions the chapter answers"},
	{"12.11.3", "给写自己的 connection-style codec 的 8 条工程启示", "eight lessons for writing a connection-style codec"},
	{"12.12", "落到你键盘上", "on your keyboard"},
}

// citation is one "§N.N…" in a text: the whole citation, the RFC it
// names before it ("RFC 9112 ", or empty), the section number, and the
// words in the parentheses that follow it (empty if none).
type citation struct{ whole, rfc, num, title string }

// citations finds every citation in text, left to right, none inside
// another's parentheses. It is hand-written rather than a regexp because
// package regexp links regexp/syntax, sort and reflectlite into the
// browser's wasm (about 80 KB brotli; wasm/cmd/buildsite's TestWasmDeps).
func citations(text string) []citation {
	var out []citation
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "§")
		if j < 0 {
			break
		}
		at := i + j
		end := at + len("§")
		num := sectionNumber(text[end:])
		if num == "" {
			i = end
			continue
		}
		start, rfc := at, rfcBefore(text[i:at])
		start -= len(rfc)
		end += len(num)
		title := ""
		if rest := text[end:]; strings.HasPrefix(rest, " (") {
			if k := strings.IndexAny(rest[2:], "()"); k >= 0 && rest[2+k] == ')' {
				title = rest[2 : 2+k]
				end += 2 + k + 1
			}
		}
		out = append(out, citation{text[start:end], rfc, num, title})
		i = end
	}
	return out
}

// sectionNumber is the "N(.N)*" at the start of s, or "".
func sectionNumber(s string) string {
	n := 0
	for {
		d := n
		for d < len(s) && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		if d == n {
			break // no digits: a lone "." is not part of the number
		}
		n = d
		if n+1 < len(s) && s[n] == '.' && s[n+1] >= '0' && s[n+1] <= '9' {
			n++
			continue
		}
		break
	}
	if n > 0 && s[n-1] == '.' {
		n--
	}
	return s[:n]
}

// rfcBefore is the "RFC N " that ends before, or "".
func rfcBefore(before string) string {
	if !strings.HasSuffix(before, " ") {
		return ""
	}
	k := len(before) - 1
	d := k
	for d > 0 && before[d-1] >= '0' && before[d-1] <= '9' {
		d--
	}
	if d == k || !strings.HasSuffix(before[:d], "RFC ") {
		return ""
	}
	return before[d-len("RFC "):]
}

// CheckCitations returns what is wrong with the section citations in
// text, one message each naming the citation: a chapter section the
// chapter does not have; a number the book gives two sections, cited
// without words of the one title it means; a section of another document
// (an RFC's) without that document's name before it.
func CheckCitations(text string) []string {
	var out []string
	for _, c := range citations(text) {
		if c.rfc != "" {
			continue // an RFC's section
		}
		whole, num, title := c.whole, c.num, c.title
		if num != "12" && !strings.HasPrefix(num, "12.") {
			out = append(out, whole+": not a section of chapter 12; a section of an RFC names it (RFC 9112 §"+num+")")
			continue
		}
		if num == "12" {
			continue // the chapter itself ("§12.x" in prose)
		}
		var cands []Section
		for _, s := range Chapter {
			if s.Number == num {
				cands = append(cands, s)
			}
		}
		switch {
		case len(cands) == 0:
			out = append(out, whole+": chapter 12 has no section "+num)
		case len(cands) > 1:
			var match []Section
			for _, s := range cands {
				if title != "" && (strings.Contains(strings.ToLower(s.English), strings.ToLower(title)) || strings.Contains(s.Title, title)) {
					match = append(match, s)
				}
			}
			if len(match) != 1 {
				var titles []string
				for _, s := range cands {
					titles = append(titles, "“"+s.English+"”")
				}
				out = append(out, whole+": the book numbers "+strconv.Itoa(len(cands))+" sections "+num+" ("+strings.Join(titles, ", ")+"): cite one with words of its title, §"+num+" (…)")
			}
		}
	}
	return out
}
