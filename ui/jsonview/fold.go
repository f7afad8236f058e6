package jsonview

import (
	"slices"
	"sort"
)

// Fold is a folded container: its opening and closing lines.
type Fold struct{ Open, Close int }

// Layout places a document's lines on visible rows with some containers
// folded: a folded container shows as one row standing for its lines from
// Open to Close. It is built from the folds alone, not from the lines, so
// folding a container of a 5 MB payload costs a few spans, however many
// lines it hides; finding the lines on screen is a binary search.
type Layout struct {
	spans []span
	lines int
}

// span is a run of lines shown as they are, or one folded container.
type span struct {
	line, end int // the lines [line, end)
	row       int // the visible row the span starts at
	rows      int
	folded    bool
}

// NewLayout lays out n lines, line i starting at row starts[i] (starts has
// n+1 entries, the last the total), with folds, which may nest or repeat: a
// fold inside another is hidden with it.
func NewLayout(starts []int32, folds []Fold) Layout {
	n := len(starts) - 1
	folds = slices.Clone(folds)
	slices.SortFunc(folds, func(a, b Fold) int { return a.Open - b.Open })
	l := Layout{lines: max(0, n)}
	line, row := 0, 0
	for _, f := range folds {
		if f.Open < line || f.Close >= n || f.Close <= f.Open {
			continue // inside a fold already placed, or not printed yet
		}
		if f.Open > line {
			rows := int(starts[f.Open] - starts[line])
			l.spans = append(l.spans, span{line: line, end: f.Open, row: row, rows: rows})
			row += rows
		}
		l.spans = append(l.spans, span{line: f.Open, end: f.Close + 1, row: row, rows: 1, folded: true})
		row++
		line = f.Close + 1
	}
	if line < n {
		l.spans = append(l.spans, span{line: line, end: n, row: row, rows: int(starts[n] - starts[line])})
	}
	return l
}

// Rows is the number of visible rows.
func (l Layout) Rows() int {
	if len(l.spans) == 0 {
		return 0
	}
	s := l.spans[len(l.spans)-1]
	return s.row + s.rows
}

// At returns what visible row r shows: a line, which of its rows, and
// whether the line is a folded container (shown in one row).
func (l Layout) At(r int, starts []int32) (line, sub int, folded bool) {
	i := sort.Search(len(l.spans), func(i int) bool { return l.spans[i].row+l.spans[i].rows > r })
	if i == len(l.spans) {
		return -1, 0, false
	}
	s := l.spans[i]
	if s.folded {
		return s.line, 0, true
	}
	target := int32(r-s.row) + starts[s.line]
	line = sort.Search(s.end-s.line, func(j int) bool { return starts[s.line+j+1] > target }) + s.line
	return line, int(target - starts[line]), false
}

// spanOf returns the span holding line.
func (l Layout) spanOf(line int) (span, bool) {
	i := sort.Search(len(l.spans), func(i int) bool { return l.spans[i].end > line })
	if i == len(l.spans) || l.spans[i].line > line {
		return span{}, false
	}
	return l.spans[i], true
}

// Shown returns the visible line that stands for line: itself, or the
// opening line of the folded container that hides it.
func (l Layout) Shown(line int) int {
	if s, ok := l.spanOf(line); ok && s.folded {
		return s.line
	}
	return line
}

// RowOf returns the first visible row of line (or of what stands for it),
// and how many rows it takes.
func (l Layout) RowOf(line int, starts []int32) (row, rows int) {
	s, ok := l.spanOf(line)
	switch {
	case !ok:
		return l.Rows(), 0
	case s.folded:
		return s.row, 1
	}
	return s.row + int(starts[line]-starts[s.line]), int(starts[line+1] - starts[line])
}

// Next returns the visible line after line, or line at the end.
func (l Layout) Next(line int) int {
	if s, ok := l.spanOf(line); ok && s.folded {
		line = s.end - 1
	}
	if line+1 >= l.lines {
		return l.Shown(line)
	}
	return l.Shown(line + 1)
}

// Prev returns the visible line before line, or line at the top.
func (l Layout) Prev(line int) int {
	line = l.Shown(line)
	if line == 0 {
		return 0
	}
	return l.Shown(line - 1)
}
