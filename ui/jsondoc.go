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

// textLine is one printed line of a JSON payload as the pane shows it: its
// displayed text (untrusted bytes already escaped) and the inks of its runs,
// with where it wraps at the width it was produced for. Rows are painted
// from it when they are drawn, so folding, wrapping or not, scrolling
// sideways and marking matches need no new rendering of the document.
type textLine struct {
	text   string
	runs   []inkRun // run i covers text[runs[i-1].end:runs[i].end]
	breaks []int32  // where its second and later wrapped rows start; nil when it fits
	hang   int32    // the indent of its continuation rows
	cells  int32    // its width
}

// inkRun is a stretch of a line in one ink. The ink is shared and never
// changed, so a pointer (8 bytes) stands in for the two strings.
type inkRun struct {
	end int32
	ink *ink
}

// lineSink collects a payload's printed lines as textLines, wrapping each at
// width; the highlighter writes into it.
type lineSink struct {
	width  int
	escape *ink
	lines  []textLine
	cur    strings.Builder
	runs   []inkRun
}

func newLineSink(width int, escape ink) *lineSink {
	return &lineSink{width: max(1, width), escape: &escape}
}

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
	s.cur.Grow(len(text)) // a megabyte-long string is copied once, not doubled into place
	s.cur.WriteString(text)
	end := int32(s.cur.Len())
	if n := len(s.runs); n > 0 && s.runs[n-1].ink == k {
		s.runs[n-1].end = end
		return
	}
	s.runs = append(s.runs, inkRun{end: end, ink: k})
}

// endLine finishes the current line and works out where it wraps.
func (s *lineSink) endLine() {
	l := textLine{text: s.cur.String(), runs: slices.Clone(s.runs)}
	l.cells = int32(width(l.text))
	if int(l.cells) > s.width {
		hang := hangFor(l.text, s.width)
		l.hang = int32(hang)
		for _, b := range wrap.Breaks(l.text, s.width, hang) {
			l.breaks = append(l.breaks, int32(b))
		}
	}
	s.lines = append(s.lines, l)
	s.cur.Reset()
	s.runs = s.runs[:0]
}

// hangFor is the indent of a long line's continuation rows: under where its
// value starts, or, when a word of the value (a URL, an id) would not fit
// there but fits on a row, as far left as lets it fit whole, down to the
// line's indent.
func hangFor(text string, w int) int {
	start := valueStart(text)
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

// jsonDoc is the Payload view of a JSON body: its printed lines, their
// outline (jsonview.Index) and the first row of each line with and without
// wrapping, for jsonview.Layout.
type jsonDoc struct {
	lines   []textLine
	index   jsonview.Index
	wrapped []int32 // wrapped[i] is line i's first row when wrapping; one more entry than lines
	flat    []int32 // the same without wrapping: i
	widest  int
}

func newJSONDoc() *jsonDoc { return &jsonDoc{wrapped: []int32{0}, flat: []int32{0}} }

// add takes the next lines. It runs in Update: the index is a few dozen
// bytes a line and the starts one addition, so a chunk of 2,000 lines costs
// well under a millisecond.
func (j *jsonDoc) add(lines []textLine) {
	for _, l := range lines {
		j.index.AddText(l.text)
		j.wrapped = append(j.wrapped, j.wrapped[len(j.wrapped)-1]+int32(1+len(l.breaks)))
		j.flat = append(j.flat, int32(len(j.flat)))
		j.widest = max(j.widest, int(l.cells))
	}
	j.lines = append(j.lines, lines...)
}

// starts is the first row of each line, wrapped or not.
func (j *jsonDoc) starts(wrapping bool) []int32 {
	if wrapping {
		return j.wrapped
	}
	return j.flat
}

// rowSpan is the bytes of line l that its row sub shows when wrapping.
func (l *textLine) rowSpan(sub int) (from, to int) {
	if sub > 0 {
		from = int(l.breaks[sub-1])
	}
	to = len(l.text)
	if sub < len(l.breaks) {
		to = int(l.breaks[sub])
	}
	return from, to
}

// rowHolding is the wrapped row of l that shows byte at.
func (l *textLine) rowHolding(at int) int {
	return sort.Search(len(l.breaks), func(i int) bool { return int(l.breaks[i]) > at })
}

// folded is how the folded container opening on line open reads: its key,
// then "{…} 12 keys", and the comma that follows its closing line.
func (j *jsonDoc) folded(open int, dim *ink) textLine {
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
