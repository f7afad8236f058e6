package ui

import (
	"sort"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/ui/find"
	"github.com/extend-inspect/extend-inspect/ui/jsonview"
)

// reading is the pane's state for reading a line document: the folds of each
// event, wrapping or scrolling sideways, the query whose matches are
// marked, and the layout of the document on screen under its folds.
type reading struct {
	folds   map[uint64]*foldSet // by event seq, kept while the screen runs
	noWrap  bool                // long lines run off the pane's edge (W)
	hscroll int                 // cells scrolled sideways, without wrapping
	query   string              // the text filter's query (set in Update)

	// onMatch says the cursor was put on match of the document's match
	// list by n/N; the footer counts it while the cursor stays there.
	onMatch bool
	match   int
	// seek is +1 (-1) while the cursor waits to go to the first (last)
	// match of a document still rendering: n past the last match selected
	// the next event, or, with seekOn, n found no match after the cursor in
	// what was rendered then.
	seek   int
	seekOn bool
	// searching is the document whose match list a command is bringing
	// up to date (searchMatches).
	searching docKey

	lay    jsonview.Layout
	laid   layoutKey
	starts []int32 // the row starts lay was built with
}

// layoutKey is what lay was built from; any change builds it again.
type layoutKey struct {
	doc       *lineDoc
	lines     int
	recounted int // lineDoc.recounted
	folds     int // foldSet.gen
	wrapping  bool
	width     int
}

// foldSet is an event's folded containers, by their opening lines. A fold
// whose container is still being printed hides everything after it until
// its end is printed, as it will once it is.
type foldSet struct {
	open map[int]bool
	gen  int
	// all is set by fold-all; scanned is how far it has looked for the
	// containers to fold, so lines printed later are folded the same way.
	all     bool
	scanned int
}

func (p *pane) wrapping() bool { return !p.noWrap }

func (p *pane) foldsOf(seq uint64) *foldSet {
	fs := p.folds[seq]
	if fs == nil {
		fs = &foldSet{open: map[int]bool{}}
		p.folds[seq] = fs
	}
	return fs
}

// lineDoc is the line document on screen, or nil.
func (p *pane) lineDoc() *lineDoc {
	if d := p.current(); d != nil {
		return d.text
	}
	return nil
}

// jsonDoc is the line document on screen when it is printed JSON (its
// outline folds, names paths, copies values), or nil.
func (p *pane) jsonDoc() *lineDoc {
	if j := p.lineDoc(); j != nil && j.json {
		return j
	}
	return nil
}

// laidAt is what row r of d, the document on screen, shows of its lines
// (see jsonview.Layout.At); line -1 for a row above them.
func (p *pane) laidAt(d *document, r int) (line, sub int, folded bool) {
	if r < d.lead() {
		return -1, 0, false
	}
	return p.lay.At(r-d.lead(), p.laidStarts())
}

// rowOf is the first row of line of the document on screen (or of what
// stands for it), and how many rows it takes.
func (p *pane) rowOf(line int) (row, rows int) {
	row, rows = p.lay.RowOf(line, p.laidStarts())
	return row + p.current().lead(), rows
}

// relayout lays the line document on screen out again when what it
// depends on changed, keeping the cursor on its line. It runs at the end of
// every Update; when nothing changed it is a comparison.
func (p *pane) relayout() {
	d := p.current()
	if d == nil || d.text == nil {
		return
	}
	// Read, not created: an event shown but never folded keeps no entry.
	j, fs := d.text, p.folds[p.shown.seq]
	if fs == nil || !j.json {
		fs = &foldSet{}
	}
	if fs.all {
		fs.foldBelow(&j.index, 2)
	}
	key := layoutKey{doc: j, lines: len(j.lines), recounted: j.recounted, folds: fs.gen, wrapping: p.wrapping(), width: p.width}
	if key == p.laid {
		return
	}
	line, sub, kept := 0, 0, p.laid.doc == j
	if kept {
		line, sub, _ = p.laidAt(d, p.cursor)
		kept = line >= 0 // a cursor above the lines stays where it is
	}
	folds := make([]jsonview.Fold, 0, len(fs.open))
	for open := range fs.open {
		end, ok := j.index.Close(open)
		if !ok {
			end = len(j.lines) - 1
		}
		folds = append(folds, jsonview.Fold{Open: open, Close: end})
	}
	p.starts = j.starts(p.wrapping())
	p.lay = jsonview.NewLayout(p.starts, folds)
	p.laid = key
	// The cursor stays on its line, and on the row of it it was on while
	// the line has that row: W from deep inside a long line goes to its
	// one row, not to a row past the end.
	row, rows := p.rowOf(line)
	if row += min(sub, max(0, rows-1)); kept && row != p.cursor {
		p.setCursor(row)
	}
	p.clampScroll()
}

// laidStarts is the row starts the current layout was built with: a long
// line's rows worked out further may have changed the document's since.
func (p *pane) laidStarts() []int32 {
	if p.starts == nil {
		return []int32{0}
	}
	return p.starts
}

// wrapShown works out where the long lines on screen wrap, as far as the
// rows shown, and lays the document out again while that changes a line's
// count of rows (an estimate made exact can move what the screen shows).
func (p *pane) wrapShown() {
	d := p.current()
	if d == nil || d.text == nil || p.noWrap {
		return
	}
	for p.wrapRows(d, p.scroll, min(p.total(), p.scroll+p.height)) {
		p.relayout()
	}
}

// cursorToEnd puts the cursor on the last row. A long line's rows are
// estimated until they are broken, and breaking the ones it lands on may
// add rows below, so it goes again until the count holds.
func (p *pane) cursorToEnd() {
	for {
		total := p.total()
		p.setCursor(total - 1)
		p.wrapShown()
		if p.total() == total {
			return
		}
	}
}

// wrapRows works out the rows [from, to) of line document d; true when a
// line's count of rows changed.
func (p *pane) wrapRows(d *document, from, to int) bool {
	j, changed := d.text, false
	for r := from; r < to; r++ {
		line, sub, folded := p.laidAt(d, r)
		if line >= 0 && !folded && j.lines[line].wrap != nil {
			changed = j.wrapTo(line, sub) || changed
		}
	}
	return changed
}

// foldBelow folds every container opening at depth, from where the last
// scan stopped: the containers above depth stay open.
func (fs *foldSet) foldBelow(x *jsonview.Index, depth int) {
	for i := fs.scanned; i < x.Len(); i++ {
		if !x.Opens(i) || x.Depth(i) != depth {
			continue
		}
		if !fs.open[i] {
			fs.open[i] = true
			fs.gen++
		}
		end, ok := x.Close(i)
		if !ok {
			fs.scanned = i // go on from here once it is printed
			return
		}
		i = end
	}
	fs.scanned = x.Len()
}

// textRow draws row r of line document d, one of its lines'.
func (p *pane) textRow(d *document, r int, k inks, onCursor bool) string {
	j := d.text
	line, sub, folded := p.laidAt(d, r)
	pt := painting{match: &k.Match, query: p.query}
	if onCursor {
		pt.cursor = &k.Cursor
	}
	l := &j.lines[line]
	if folded {
		f := j.folded(line, &k.Dim)
		l, sub = &f, 0
	}
	switch {
	case p.noWrap:
		from, _ := prefixFitting(l.text, p.hscroll)
		return pt.paint(l, from, len(l.text), 0, p.width)
	case folded:
		return pt.paint(l, 0, len(l.text), 0, p.width)
	}
	from, to := l.rowSpan(sub)
	lead := 0
	if sub > 0 {
		lead = int(l.wrap.hang)
	}
	return pt.paint(l, from, to, lead, p.width)
}

// cursorLine is the printed line the cursor is on in a JSON payload; false
// on a row above the lines.
func (p *pane) cursorLine() (int, bool) {
	if p.jsonDoc() == nil {
		return 0, false
	}
	at, ok := p.at()
	return int(at.line), ok && at.line >= 0
}

// toggleFold folds the container at the cursor's line (the one it opens or
// closes, else the one it is in), or unfolds it when it is folded. It
// returns what to report when there is nothing to fold.
func (p *pane) toggleFold() string {
	j := p.jsonDoc()
	line, ok := p.cursorLine()
	switch {
	case j == nil:
		return "folding works in the Payload view of a JSON payload"
	case !ok:
		return "nothing to fold here"
	}
	fs := p.foldsOf(p.shown.seq)
	open := line
	switch o, closing := j.index.Opening(line); {
	case closing:
		open = o
	case !j.index.Opens(line):
		open = j.index.Enclosing(line)
	}
	if open < 0 {
		return "nothing to fold here"
	}
	if fs.open[open] {
		delete(fs.open, open)
	} else {
		fs.open[open] = true
	}
	fs.gen++
	p.relayout()
	row, _ := p.rowOf(open)
	p.setCursor(row)
	return ""
}

// toggleFoldAll folds every container below the top two levels, or, when
// fold-all folded them, unfolds every container.
func (p *pane) toggleFoldAll() string {
	j := p.jsonDoc()
	if j == nil {
		return "folding works in the Payload view of a JSON payload"
	}
	fs := p.foldsOf(p.shown.seq)
	if fs.all {
		*fs = foldSet{open: map[int]bool{}, gen: fs.gen + 1}
	} else {
		fs.all, fs.scanned = true, 0
		fs.gen++
	}
	p.relayout()
	return ""
}

// unfoldAround unfolds the folds that hide line.
func (p *pane) unfoldAround(line int) {
	j, fs := p.jsonDoc(), p.foldsOf(p.shown.seq)
	for open := range fs.open {
		end, ok := j.index.Close(open)
		if open < line && (!ok || line <= end) {
			delete(fs.open, open)
			fs.gen++
		}
	}
	p.relayout()
}

// matchList is where a query matches a document, in order: by printed
// line for a JSON payload, by row otherwise. It grows with the document.
type matchList struct {
	query string
	lines int // the lines (rows) searched
	at    []matchAt
}

type matchAt struct{ line, start int32 }

// lineCount and lineText are the document's lines as the match list
// searches them.
func (d *document) lineCount() int {
	if d.text != nil {
		return len(d.text.lines)
	}
	return len(d.rows)
}

func (d *document) lineText(i int) string {
	if d.text != nil {
		return d.text.lines[i].text
	}
	return ansi.Strip(d.rows[i])
}

// matchSyncLines is how many lines Update searches to bring a match list
// up to date: what a chunk of a rendering document adds. More (a large
// payload complete before n was pressed) are searched in a command.
const matchSyncLines = 4096

// matches brings the document's match list up to date with query, when
// few lines are left to search; complete says every line is searched.
func (d *document) matches(query string) (at []matchAt, complete bool) {
	f := &d.found
	if f.query != query {
		*f = matchList{query: query}
	}
	n := d.lineCount()
	if n-f.lines <= matchSyncLines {
		f.at = appendMatches(f.at, d.lineText, f.lines, n, query)
		f.lines = n
	}
	return f.at, f.lines == n
}

// appendMatches adds the matches of query in lines from to to.
func appendMatches(at []matchAt, text func(int) string, from, to int, query string) []matchAt {
	for i := from; i < to; i++ {
		for _, s := range find.All(text(i), query) {
			at = append(at, matchAt{line: int32(i), start: int32(s.Start)})
		}
	}
	return at
}

// matchesMsg carries the matches of query a command found in lines from
// to to of document key.
type matchesMsg struct {
	key      docKey
	query    string
	from, to int
	at       []matchAt
}

// searchMatches starts the command that searches what is left of the
// complete document on screen for the query, unless one is under way; nil
// when there is nothing to search. A document's lines never change once
// added, so the command reads a snapshot of them while Update goes on.
func (p *pane) searchMatches() tea.Cmd {
	d := p.current()
	if d == nil || d.more != nil || p.query == "" || p.searching == p.shown {
		return nil
	}
	if _, complete := d.matches(p.query); complete {
		return nil
	}
	key, query, from, n := p.shown, p.query, d.found.lines, d.lineCount()
	text := d.snapshot(n)
	p.searching = key
	return func() tea.Msg {
		return matchesMsg{key: key, query: query, from: from, to: n, at: appendMatches(nil, text, from, n, query)}
	}
}

// matchesFound takes what searchMatches found, when the list it extends
// is still the document's.
func (p *pane) matchesFound(msg matchesMsg) {
	if p.searching == msg.key {
		p.searching = docKey{}
	}
	d := p.docs[msg.key]
	if d == nil || d.found.query != msg.query || d.found.lines != msg.from {
		return
	}
	d.found.at = append(d.found.at, msg.at...)
	d.found.lines = msg.to
}

// snapshot reads the first n lines as lineText does, without the document.
func (d *document) snapshot(n int) func(int) string {
	if d.text != nil {
		lines := d.text.lines[:n]
		return func(i int) string { return lines[i].text }
	}
	rows := d.rows[:n]
	return func(i int) string { return ansi.Strip(rows[i]) }
}

// stepMatch puts the cursor on the next match of query after it (dir 1) or
// the one before (dir -1); fromEdge starts at the top (the end). False means
// there is none that way.
func (p *pane) stepMatch(query string, dir int, fromEdge bool) bool {
	d := p.current()
	if d == nil || query == "" {
		return false
	}
	all, _ := d.matches(query)
	here := matchAt{line: -1, start: -1}
	if at, ok := p.at(); ok && !fromEdge {
		here.line = at.line
		if p.onMatch && p.match < len(all) && all[p.match].line == at.line {
			here.start = all[p.match].start
		}
	}
	if fromEdge && dir < 0 {
		here = matchAt{line: 1<<31 - 1}
	}
	after := func(i int) bool {
		a := all[i]
		return a.line > here.line || (a.line == here.line && a.start > here.start)
	}
	i := sort.Search(len(all), after)
	if dir < 0 {
		i = sort.Search(len(all), func(i int) bool { return !before(all[i], here) }) - 1
	}
	if i < 0 || i >= len(all) {
		return false
	}
	p.cursorToMatch(d, i)
	return true
}

func before(a, b matchAt) bool {
	return a.line < b.line || (a.line == b.line && a.start < b.start)
}

// cursorToMatch puts the cursor on the row showing match i, unfolding what
// hides it.
func (p *pane) cursorToMatch(d *document, i int) {
	m := d.found.at[i]
	p.onMatch, p.match = true, i
	row := int(m.line)
	if j := d.text; j != nil {
		if p.lay.Shown(row) != row {
			p.unfoldAround(row)
		}
		sub := 0
		if p.wrapping() {
			var recounted bool
			if sub, recounted = j.rowHolding(int(m.line), int(m.start)); recounted {
				p.relayout()
			}
		}
		row, _ = p.rowOf(row)
		row += sub
	}
	p.setCursor(row)
}

// matchCount is the footer's "match 3 of 17", or "" when the cursor is not
// on a match n or N put it on.
func (p *pane) matchCount() (int, int, bool) {
	d := p.current()
	at, ok := p.at()
	if d == nil || !ok || !p.onMatch || d.found.query != p.query || p.match >= len(d.found.at) || d.found.at[p.match].line != at.line {
		return 0, 0, false
	}
	return p.match + 1, len(d.found.at), true
}
