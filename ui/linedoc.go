package ui

import (
	"slices"
	"sort"
	"strings"

	"github.com/extend-inspect/extend-inspect/ui/find"
	"github.com/extend-inspect/extend-inspect/ui/jsonview"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
	"github.com/extend-inspect/extend-inspect/ui/wrap"
)

// textLine is one line of a line document (a JSON payload's printed line, a
// header, a line of the raw body) as the pane shows it: its
// displayed text (untrusted bytes already escaped) and the inks of its runs,
// with where it wraps at the width it was produced for. Rows are painted
// from it when they are drawn, so folding, wrapping or not, scrolling
// sideways and marking matches need no new rendering of the document.
type textLine struct {
	text  string
	runs  []inkRun  // run i covers text[runs[i-1].end:runs[i].end]
	wrap  *lineWrap // where it wraps; nil when it fits
	cells int32     // its width
}

// lineWrap is where a line wider than the pane wraps. A line is broken
// wrapAhead rows at a time: a megabyte-long string's rows are worked out
// as they come on screen (wrapShown), since breaking all of them would
// take most of the time to its first screen. Once the producer has handed
// the line over it is changed only in Update; a command (searchMatches)
// reads a line's text, never its wrap.
type lineWrap struct {
	breaks []int32 // where its second and later rows start, as far as worked out
	hang   int32   // the indent of its continuation rows
	width  int32
	done   bool // breaks go to the line's end
}

// inkRun is a stretch of a line in one ink. The ink is shared and never
// changed, so a pointer (8 bytes) stands in for the two strings.
type inkRun struct {
	end int32
	ink *ink
}

// lineSink collects a line document's lines as textLines, wrapping each at
// width; the highlighter (or the Headers and Raw views' producers) writes
// into it.
type lineSink struct {
	width  int
	escape *ink
	lines  []textLine
	first  string // the current line's text while it is one long piece
	cur    strings.Builder
	runs   []inkRun
	slab   []inkRun // where finished lines' runs are kept (keepRuns)
	value  int      // where the current line's value starts (markValue); -1: valueStart finds it
	// whole is the length above which a line's first piece is kept as it
	// is rather than copied (keptWhole, or 0 for the Raw view's lines).
	whole int
}

// keptWhole is the length above which a line's first piece is kept as it
// is rather than copied: only a line too long for chroma, written plain,
// has pieces that long, and its text is a string of its own, so keeping it
// holds nothing else in memory. A 5 MB string is then never copied here.
const keptWhole = 4 << 10

func newLineSink(width int, escape ink) *lineSink {
	return &lineSink{width: max(1, width), escape: &escape, value: -1, whole: keptWhole}
}

// newRawSink is a lineSink for a body's bytes, written a chunk of the body
// at a time: a line in one piece (no escapes) is kept as a piece of its
// chunk, not copied, so the document holds the body once, as the chunks.
func newRawSink(width int, escape ink) *lineSink {
	s := newLineSink(width, escape)
	s.whole = 0
	return s
}

// markValue says the current line's value starts here: its continuation
// rows hang under it (a header's value, after its name).
func (s *lineSink) markValue() { s.value = len(s.first) + s.cur.Len() }

// writeLines writes untrusted text that may hold newlines in ink k, ending
// a line at each.
func (s *lineSink) writeLines(text string, k *ink) {
	s.lines = slices.Grow(s.lines, strings.Count(text, "\n")) // grown once, not doubled into place
	eachLine(text, k, s)
}

// pending says the current line has text not yet ended.
func (s *lineSink) pending() bool { return len(s.runs) > 0 }

// writeInk adds untrusted text in ink k to the current line, escapes in
// their own ink.
func (s *lineSink) writeInk(text string, k *ink) {
	sanitize.Each(text, false, func(part string, escaped bool) {
		if escaped {
			s.put(part, s.escape)
		} else {
			s.put(part, k)
		}
	})
}

func (s *lineSink) put(text string, k *ink) {
	switch {
	case s.first == "" && s.cur.Len() == 0 && len(text) > s.whole:
		s.first = text
	default:
		if s.first != "" {
			s.cur.Grow(len(s.first) + len(text)) // copied once, not doubled into place
			s.cur.WriteString(s.first)
			s.first = ""
		}
		s.cur.Grow(len(text))
		s.cur.WriteString(text)
	}
	end := int32(len(s.first) + s.cur.Len())
	if n := len(s.runs); n > 0 && s.runs[n-1].ink == k {
		s.runs[n-1].end = end
		return
	}
	s.runs = append(s.runs, inkRun{end: end, ink: k})
}

// text is the current line's text.
func (s *lineSink) text() string {
	if s.first != "" {
		return s.first
	}
	return s.cur.String()
}

// endLine finishes the current line and works out where its first rows
// wrap.
func (s *lineSink) endLine() {
	l := textLine{text: s.text(), runs: s.keepRuns()}
	l.cells = int32(width(l.text))
	if int(l.cells) > s.width {
		start := s.value
		if start < 0 {
			start = valueStart(l.text)
		}
		l.wrap = &lineWrap{hang: int32(hangFor(l.text, start, s.width)), width: int32(s.width)}
		l.wrapMore(wrapAhead)
	}
	s.lines = append(s.lines, l)
	s.cur.Reset()
	s.first = ""
	s.runs = s.runs[:0]
	s.value = -1
}

// keepRuns copies the current line's runs to where the finished lines'
// are kept: one array for many lines, rather than one for each (a line
// has one to a dozen runs, a document a hundred thousand lines). No line's
// runs are appended to once it is finished.
func (s *lineSink) keepRuns() []inkRun {
	if cap(s.slab)-len(s.slab) < len(s.runs) {
		s.slab = make([]inkRun, 0, max(1024, len(s.runs)))
	}
	from := len(s.slab)
	s.slab = append(s.slab, s.runs...)
	return s.slab[from:len(s.slab):len(s.slab)]
}

// hangFor is the indent of a long line's continuation rows: under where its
// value starts (byte and column start), or, when a word of the value (a
// URL, an id) would not fit there but fits on a row, as far left as lets it
// fit whole, down to the line's indent.
func hangFor(text string, start, w int) int {
	hang := wrap.Hang(start, w)
	longest := longestWord(text[start:], w+1)
	if longest > w-hang && longest <= w-indentOf(text) {
		hang = w - longest
	}
	return hang
}

// longestWord is the width of the widest space-separated word of s, counted
// up to limit: a word wider than a row is cut wherever it hangs.
func longestWord(s string, limit int) int {
	longest := 0
	for s != "" {
		s = strings.TrimLeft(s, " ")
		end := strings.IndexByte(s, ' ')
		if end < 0 {
			end = len(s)
		}
		longest = max(longest, min(limit, width(s[:min(end, 4*limit)])))
		s = s[end:]
	}
	return longest
}

// take returns the lines finished so far.
func (s *lineSink) take() []textLine {
	out := s.lines
	s.lines = nil
	return out
}

// valueStart is the column (and byte) where a printed line's value starts:
// after its key for an object member, after the indent otherwise.
func valueStart(text string) int {
	i := len(text) - len(strings.TrimLeft(text, " "))
	if end := memberKeyEnd(text, i); end > 0 {
		return end
	}
	return i
}

// memberKeyEnd returns the byte after `"key": ` when the line has a member
// key at i, else 0.
func memberKeyEnd(text string, i int) int {
	if i >= len(text) || text[i] != '"' {
		return 0
	}
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			j++
		case '"':
			if strings.HasPrefix(text[j+1:], ": ") {
				return j + 3
			}
			return 0
		}
	}
	return 0
}

// lineDoc is a document drawn from its lines rather than rendered rows: the
// Payload view (of a JSON body, or the bytes of one that is not JSON), the
// Headers and the Raw views. It holds the lines, the first row of each
// with and without wrapping, for jsonview.Layout, and, for printed JSON,
// their outline (jsonview.Index: folds, paths, copy-value). The rows a
// document has besides (document.rows) are shown above its lines.
type lineDoc struct {
	lines   []textLine
	json    bool           // the lines are printed JSON, index their outline
	index   jsonview.Index // empty unless json
	wrapped []int32        // wrapped[i] is line i's first row when wrapping; one more entry than lines
	flat    []int32        // the same without wrapping: i
	widest  int
	// recounted counts the times a long line's rows, worked out further,
	// came to another count than estimated: wrapped is then a new slice,
	// and the layout is built again.
	recounted int
}

func newLineDoc(json bool) *lineDoc {
	return &lineDoc{json: json, wrapped: []int32{0}, flat: []int32{0}}
}

// add takes the next lines. It runs in Update: the index is a few dozen
// bytes a line and the starts one addition, so a chunk of 2,000 lines costs
// well under a millisecond.
func (j *lineDoc) add(lines []textLine) {
	for _, l := range lines {
		if j.json {
			j.index.AddText(l.text)
		}
		j.wrapped = append(j.wrapped, j.wrapped[len(j.wrapped)-1]+int32(l.rows()))
		j.flat = append(j.flat, int32(len(j.flat)))
		j.widest = max(j.widest, int(l.cells))
	}
	j.lines = append(j.lines, lines...)
}

// wrapTo works out line i's rows as far as its row sub (see
// textLine.wrapTo), and reports whether its count of rows changed.
func (j *lineDoc) wrapTo(i, sub int) bool {
	return j.recount(i, func(l *textLine) { l.wrapTo(sub) })
}

// rowHolding is the row of line i that shows its byte at, and whether
// working it out changed the line's count of rows.
func (j *lineDoc) rowHolding(i, at int) (sub int, changed bool) {
	changed = j.recount(i, func(l *textLine) { sub = l.rowHolding(at) })
	return sub, changed
}

// recount applies work to line i and, when that changed the line's count
// of rows, puts the new count in the row starts. The starts are copied, not
// changed in place: the layout on screen goes on reading the ones it was
// built with until it is built again.
func (j *lineDoc) recount(i int, work func(*textLine)) bool {
	l := &j.lines[i]
	before := l.rows()
	work(l)
	diff := int32(l.rows() - before)
	if diff == 0 {
		return false
	}
	starts := slices.Clone(j.wrapped)
	for k := i + 1; k < len(starts); k++ {
		starts[k] += diff
	}
	j.wrapped = starts
	j.recounted++
	return true
}

// starts is the first row of each line, wrapped or not.
func (j *lineDoc) starts(wrapping bool) []int32 {
	if wrapping {
		return j.wrapped
	}
	return j.flat
}

// rows is how many rows l takes when wrapping. Those of a long line not yet
// broken are estimated from the cells left, as if each row were full: the
// count becomes exact as its rows are worked out.
func (l *textLine) rows() int {
	w := l.wrap
	if w == nil {
		return 1
	}
	n := len(w.breaks)
	if w.done {
		return n + 1
	}
	from, room := 0, int(w.width)
	if n > 0 {
		from, room = int(w.breaks[n-1]), int(w.width-w.hang)
	}
	left := int(int64(len(l.text)-from) * int64(l.cells) / int64(len(l.text)))
	if n == 0 { // the first row is the whole width, the others hang
		return 1 + ceilDiv(max(0, left-room), int(w.width-w.hang))
	}
	return n + max(1, ceilDiv(left, room))
}

func ceilDiv(a, b int) int { return (a + max(1, b) - 1) / max(1, b) }

// wrapMore works out where up to n more rows of l start.
func (l *textLine) wrapMore(n int) {
	w := l.wrap
	if w == nil || w.done {
		return
	}
	more, done := wrap.More(l.text, lastBreak(w), int(w.width), int(w.hang), n)
	for _, b := range more {
		w.breaks = append(w.breaks, int32(b))
	}
	w.done = done
}

// wrapTo works out l's rows as far as row sub and wrapAhead rows beyond.
func (l *textLine) wrapTo(sub int) {
	if w := l.wrap; w != nil && !w.done && len(w.breaks) < sub+1 {
		l.wrapMore(sub + 1 - len(w.breaks) + wrapAhead)
	}
}

// rowSpan is the bytes of line l that its row sub shows when wrapping: none
// for a row not worked out (wrapShown works out those on screen).
func (l *textLine) rowSpan(sub int) (from, to int) {
	if l.wrap == nil {
		return 0, len(l.text)
	}
	breaks := l.wrap.breaks
	switch {
	case sub > len(breaks) || (sub == len(breaks) && !l.wrap.done):
		return len(l.text), len(l.text)
	case sub > 0:
		from = int(breaks[sub-1])
	}
	to = len(l.text)
	if sub < len(breaks) {
		to = int(breaks[sub])
	}
	return from, to
}

// rowHolding is the wrapped row of l that shows byte at, working out its
// rows as far as that one.
func (l *textLine) rowHolding(at int) int {
	w := l.wrap
	if w == nil {
		return 0
	}
	for !w.done && (len(w.breaks) == 0 || int(w.breaks[len(w.breaks)-1]) <= at) {
		l.wrapMore(max(wrapAhead, ceilDiv(at-lastBreak(w), int(w.width-w.hang))))
	}
	return sort.Search(len(w.breaks), func(i int) bool { return int(w.breaks[i]) > at })
}

func lastBreak(w *lineWrap) int {
	if len(w.breaks) == 0 {
		return 0
	}
	return int(w.breaks[len(w.breaks)-1])
}

// folded is how the folded container opening on line open reads: its key,
// then "{…} 12 keys", and the comma that follows its closing line.
func (j *lineDoc) folded(open int, dim *ink) textLine {
	l := j.lines[open]
	prefix := strings.TrimRight(l.text, " ")
	prefix = prefix[:max(0, len(prefix)-1)] // the opening bracket
	summary := j.index.Summary(open)
	text := prefix + summary
	runs := make([]inkRun, 0, len(l.runs)+2)
	for _, r := range l.runs {
		if int(r.end) >= len(prefix) {
			runs = append(runs, inkRun{end: int32(len(prefix)), ink: r.ink})
			break
		}
		runs = append(runs, r)
	}
	runs = append(runs, inkRun{end: int32(len(text)), ink: dim})
	if c, ok := j.index.Close(open); ok && strings.HasSuffix(j.lines[c].text, ",") {
		text += ","
		runs = append(runs, inkRun{end: int32(len(text)), ink: l.runs[len(l.runs)-1].ink})
	}
	return textLine{text: text, runs: runs, cells: int32(width(text))}
}

// painting is how a row is drawn: in which inks, and where the matches are.
type painting struct {
	cursor *ink // every run in this ink (the cursor's line), or nil
	match  *ink
	query  string
}

// paint draws the bytes [from, to) of l after lead blank cells, as a row of
// exactly w cells: each run in its ink, matches of the query in the match
// ink.
func (pt painting) paint(l *textLine, from, to, lead, w int) string {
	var b strings.Builder
	lead = min(lead, w)
	pad := func(n int) {
		if n > 0 {
			b.WriteString(pt.ink(nil).paint(strings.Repeat(" ", n)))
		}
	}
	pad(lead)
	n, cells := prefixFitting(l.text[from:to], w-lead)
	to = from + n
	marks := pt.matches(l.text, from, to)
	i := sort.Search(len(l.runs), func(i int) bool { return int(l.runs[i].end) > from })
	for pos := from; pos < to && i < len(l.runs); {
		end, k := min(int(l.runs[i].end), to), pt.ink(l.runs[i].ink)
		for len(marks) > 0 && marks[0].End <= pos {
			marks = marks[1:]
		}
		switch {
		case len(marks) > 0 && marks[0].Start <= pos:
			end, k = min(end, marks[0].End), pt.match
		case len(marks) > 0 && marks[0].Start < end:
			end = marks[0].Start
		}
		b.WriteString(k.paint(l.text[pos:end]))
		pos = end
		if pos == int(l.runs[i].end) {
			i++
		}
	}
	pad(w - lead - cells)
	return b.String()
}

func (pt painting) ink(k *ink) *ink {
	switch {
	case pt.cursor != nil:
		return pt.cursor
	case k == nil:
		return &ink{}
	}
	return k
}

// matches are the query's matches that overlap the bytes [from, to) of
// text. Only that stretch (and the query's length around it) is searched,
// so a row of a megabyte-long line costs what a short line does.
func (pt painting) matches(text string, from, to int) []find.Span {
	if pt.query == "" || pt.match == nil {
		return nil
	}
	lo, hi := max(0, from-len(pt.query)+1), min(len(text), to+len(pt.query)-1)
	spans := find.All(text[lo:hi], pt.query)
	for i := range spans {
		spans[i].Start += lo
		spans[i].End += lo
	}
	return spans
}
