package ui

import (
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/themes"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
	"github.com/extend-inspect/extend-inspect/ui/wrap"
)

// ink is a style reduced to the escape sequences around its text. lipgloss
// Render costs microseconds a call, too much for every cell of every frame;
// an ink paints with two string concatenations. Inks are made once per
// theme from the theme's lipgloss styles, so themes/ still owns every
// colour.
type ink struct{ pre, post string }

const sentinel = "\ue000" // a private-use rune no style touches

func inkOf(s lipgloss.Style) ink {
	out := s.Render(sentinel)
	i := strings.Index(out, sentinel)
	if i < 0 {
		return ink{}
	}
	return ink{pre: out[:i], post: out[i+len(sentinel):]}
}

func (k ink) paint(s string) string {
	if k.pre == "" || s == "" {
		return s
	}
	return k.pre + s + k.post
}

// inks are the painted forms of the theme's styles, by the same roles.
type inks = themes.Roles[ink]

func newInks(st themes.Styles) inks { return themes.MapRoles(st.Roles, inkOf) }

// width is the number of cells a safe (escape-free) text takes.
func width(s string) int {
	if sanitize.PlainASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// fit pads or cuts a safe text to exactly w cells, marking a cut with "…".
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	switch {
	case sw == w:
		return s
	case sw < w:
		return s + strings.Repeat(" ", w-sw)
	case sanitize.PlainASCII(s):
		return s[:w-1] + "…"
	}
	cut := ansi.Truncate(s, w-1, "") + "…"
	return cut + strings.Repeat(" ", max(0, w-ansi.StringWidth(cut)))
}

// padLine pads a painted line to w cells, given the cells it already takes.
func padLine(line string, used, w int) string {
	if used >= w {
		return line
	}
	return line + strings.Repeat(" ", w-used)
}

// rowWriter lays painted text out in rows of exactly w cells, wrapping long
// lines. Text goes through sanitize.Each on the way in, with escapes painted in
// their own ink, so nothing untrusted reaches a row unescaped.
type rowWriter struct {
	w       int
	rows    []string
	anchors []anchor
	cur     strings.Builder
	used    int
	escape  ink
	at      anchor // what the rows being written stand for
}

func newRowWriter(w int, escape ink) *rowWriter {
	return &rowWriter{w: max(1, w), escape: escape}
}

// write adds untrusted text in ink k to the current line.
func (rw *rowWriter) write(text string, k ink) {
	sanitize.Each(text, false, func(run string, escaped bool) {
		if escaped {
			rw.put(run, rw.escape)
		} else {
			rw.put(run, k)
		}
	})
}

// writeInk is write for the highlighter (see inkWriter).
func (rw *rowWriter) writeInk(text string, k *ink) { rw.write(text, *k) }

// writeLines writes text that may hold newlines, ending a line at each.
func (rw *rowWriter) writeLines(text string, k ink) { eachLine(text, &k, rw) }

// lineEnder is what eachLine writes to: a rowWriter or a lineSink.
type lineEnder interface {
	writeInk(text string, k *ink)
	endLine()
}

// eachLine writes text that may hold newlines to w, ending a line at each.
func eachLine(text string, k *ink, w lineEnder) {
	for {
		line, rest, found := strings.Cut(text, "\n")
		w.writeInk(line, k)
		if !found {
			return
		}
		w.endLine()
		text = rest
	}
}

// put adds safe text, breaking rows where it does not fit.
func (rw *rowWriter) put(s string, k ink) {
	for s != "" {
		room := rw.w - rw.used
		if room == 0 {
			rw.flush()
			room = rw.w
		}
		n, cells := prefixFitting(s, room)
		if n == 0 { // a wide rune that does not fit in what is left of the row
			if rw.used > 0 {
				rw.flush()
				continue
			}
			_, n = utf8.DecodeRuneInString(s) // wider than a whole row: let it overflow
			cells = rw.w
		}
		rw.cur.WriteString(k.pre)
		rw.cur.WriteString(s[:n])
		rw.cur.WriteString(k.post)
		rw.used += cells
		s = s[n:]
	}
}

// prefixFitting returns how many bytes of s fit in room cells, and their
// width.
func prefixFitting(s string, room int) (int, int) {
	cells := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if cells+1 > room {
				return i, cells
			}
			cells++
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		rw := ansi.StringWidth(s[i : i+size])
		if cells+rw > room {
			return i, cells
		}
		cells += rw
		i += size
	}
	return len(s), cells
}

// endLine finishes the current line (an empty line makes an empty row).
func (rw *rowWriter) endLine() {
	rw.flush()
	rw.at.line++
}

// point says what the rows written from now on stand for: enter on them
// acts on that event or field (see anchor). The line count goes on.
func (rw *rowWriter) point(seq uint64, field int) {
	rw.at.seq, rw.at.field = seq, int32(field)
}

func (rw *rowWriter) flush() {
	rw.rows = append(rw.rows, padLine(rw.cur.String(), rw.used, rw.w))
	rw.anchors = append(rw.anchors, rw.at)
	rw.cur.Reset()
	rw.used = 0
}

// take returns the rows finished so far; final also finishes the current
// line, while otherwise a line cut between two chunks goes on in the next.
func (rw *rowWriter) take(final bool) chunk {
	if final && rw.used > 0 {
		rw.flush()
	}
	c := chunk{rows: rw.rows, anchors: rw.anchors}
	rw.rows, rw.anchors = nil, nil
	return c
}

// tokenWrap breaks safe text into rows of at most w cells the way the
// Payload view wraps (ui/wrap): at spaces, a URL or id that fits on a row
// moved whole to the next one, a longer word cut at a punctuation mark.
func tokenWrap(s string, w int) []string {
	var rows []string
	from := 0
	for _, b := range wrap.Breaks(s, w, 0) {
		rows = append(rows, strings.TrimRight(s[from:b], " "))
		from = b
	}
	return append(rows, s[from:])
}

// wordWrap breaks safe text into lines of at most w cells, at spaces where it
// can and inside words longer than a line.
func wordWrap(s string, w int) []string {
	if w <= 0 || width(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}
