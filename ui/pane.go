package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/ui/find"
)

// document is a rendered view of one event, complete or still growing.
type document struct {
	rows     []string // each exactly the pane's content width
	anchors  []anchor // what each row stands for (anchors[i] is rows[i]'s)
	targets  bool     // some row stands for an event or a field: the cursor steps over the others
	text     *lineDoc // a line document's lines, drawn below rows (the Payload, Headers and Raw views)
	found    matchList
	more     producer // the rest, or nil when complete
	busy     bool     // a command is producing the next chunk
	progress float64
}

// pane is the payload pane: which view it shows, how far it is scrolled, and
// the documents rendered recently. Rendering happens in commands; the pane
// only asks for documents and shows what has arrived.
type pane struct {
	view   view
	scroll int
	cursor int  // the cursor's row, shown while the pane has focus
	keep   keep // what the cursor is to be put back on, once the document has it
	width  int  // content width; rows are rendered at this width
	height int  // content rows, below the tab bar
	shown  docKey

	docs  map[docKey]*document
	order []docKey // least recently used first
	rows  int      // rows (or JSON lines) held by docs

	reading
}

func newPane() pane {
	return pane{docs: map[docKey]*document{}, keep: keepNothing, reading: reading{folds: map[uint64]*foldSet{}}}
}

// keep is what the cursor stands for while the document under it is made
// again, at another width or as its run grows: a logical line, or the line
// of an event (the Run view's lines), which a growing run may push down.
type keep struct {
	line int32  // -1 for none
	seq  uint64 // when not 0, the line of this event, wherever it is now
}

var keepNothing = keep{line: -1}

// keepAt is what the cursor on a stands for.
func keepAt(a anchor) keep { return keep{line: a.line, seq: a.seq} }

func (k keep) pending() bool { return k.line >= 0 || k.seq != 0 }

func (k keep) matches(a anchor) bool {
	if k.seq != 0 {
		return a.seq == k.seq
	}
	return a.line == k.line
}

// key is the document the pane wants for item it.
func (p *pane) key(it *item, kit *renderKit) docKey {
	if it == nil {
		return docKey{}
	}
	return docKey{seq: it.ev.Seq, view: p.view, width: p.width, theme: kit.styles.Theme, live: liveOf(it, p.view, kit.now)}
}

// show makes the pane show it, and returns the command that renders the
// document when it is not there yet.
func (p *pane) show(it *item, kit *renderKit) tea.Cmd {
	k := p.key(it, kit)
	return p.showDoc(k, it != nil, func() producer { return newProducer(it.ev, k.view, k.width, kit.with(it)) })
}

// showDoc makes the pane show document k (none when !ok), and returns the
// command that renders it with the producer made by newDoc when it is not
// there yet.
func (p *pane) showDoc(k docKey, ok bool, newDoc func() producer) tea.Cmd {
	switch {
	case k.seq != p.shown.seq || k.view != p.shown.view || k.versus != p.shown.versus:
		p.scroll, p.cursor, p.keep = 0, 0, keepNothing
		p.hscroll, p.onMatch = 0, false
		if k.view == viewRun {
			p.keep = keep{line: -1, seq: k.seq} // a run's view opens on the selected event's line
		}
	case k != p.shown:
		if at, ok := p.at(); ok && !p.keep.pending() {
			p.keep = keepAt(at)
		}
	}
	p.shown = k
	if !ok || p.width <= 0 {
		return nil
	}
	d := p.docs[k]
	switch {
	case d == nil:
		d = &document{more: newDoc(), busy: true}
		p.store(k, d)
		return produceCmd(k, d.more, true)
	case d.more != nil && !d.busy:
		d.busy = true
		p.touch(k)
		return produceCmd(k, d.more, false)
	}
	p.touch(k)
	return nil
}

// apply takes a chunk; the document on screen goes on to its next chunk,
// others wait until they are shown again.
func (p *pane) apply(msg docMsg) tea.Cmd {
	d := p.docs[msg.key]
	if d == nil {
		return nil // evicted from the cache meanwhile
	}
	d.rows = append(d.rows, msg.chunk.rows...)
	d.anchors = append(d.anchors, msg.chunk.anchors...)
	for _, a := range msg.chunk.anchors {
		d.targets = d.targets || a.targets()
	}
	if len(msg.chunk.lines) > 0 {
		if d.text == nil {
			d.text = newLineDoc(msg.chunk.json)
		}
		d.text.add(msg.chunk.lines)
	}
	p.rows += len(msg.chunk.rows) + len(msg.chunk.lines)
	d.more, d.progress, d.busy = msg.more, msg.progress, false
	if d.more != nil && msg.key == p.shown {
		d.busy = true
		return produceCmd(msg.key, d.more, false)
	}
	p.trim()
	return nil
}

func (p *pane) store(k docKey, d *document) {
	p.docs[k] = d
	p.order = append(p.order, k)
	p.trim()
}

func (p *pane) touch(k docKey) {
	if i := slices.Index(p.order, k); i >= 0 {
		p.order = append(slices.Delete(p.order, i, i+1), k)
	}
}

// trim drops the least recently used documents beyond the cache's bounds,
// never the one on screen.
func (p *pane) trim() {
	for len(p.order) > 1 && (len(p.order) > docCacheSize || p.rows > docCacheRows) {
		i := 0
		if p.order[0] == p.shown {
			i = 1
		}
		k := p.order[i]
		p.rows -= p.docs[k].size()
		delete(p.docs, k)
		p.order = slices.Delete(p.order, i, i+1)
	}
}

// resize changes the content size; documents of another width stay cached
// until they age out.
func (p *pane) resize(w, h int) {
	p.width, p.height = max(0, w), max(0, h)
	p.clampScroll()
}

func (p *pane) current() *document { return p.docs[p.shown] }

func (p *pane) scrollBy(n int) {
	p.scroll += n
	p.clampScroll()
	p.keepCursorInView()
}

// keepCursorInView brings the cursor onto the screen when scrolling left it
// behind, so the next cursor key goes on from what is shown.
func (p *pane) keepCursorInView() {
	if last := min(p.total(), p.scroll+p.height) - 1; last >= 0 {
		p.cursor = max(p.scroll, min(p.cursor, last))
	}
}

// size is what d counts for in the cache's bound.
func (d *document) size() int {
	if d.text != nil {
		return len(d.rows) + len(d.text.lines)
	}
	return len(d.rows)
}

// total is the number of rows of the document on screen.
func (p *pane) total() int {
	d := p.current()
	switch {
	case d == nil:
		return 0
	case d.text != nil:
		return len(d.rows) + p.lay.Rows()
	}
	return len(d.rows)
}

// lead is how many rows a line document shows above its lines: all of its
// rows (none for a document without lines).
func (d *document) lead() int {
	if d == nil || d.text == nil {
		return 0
	}
	return len(d.rows)
}

// anchorAt is what row r of d stands for; a line document's row stands
// for its line (a folded container for its opening line), a row above its
// lines for a line counted back from -1, which no line has.
func (p *pane) anchorAt(d *document, r int) anchor {
	switch {
	case d.text == nil:
		return d.anchors[r]
	case r < len(d.rows):
		a := d.anchors[r]
		a.line -= d.anchors[len(d.anchors)-1].line + 1
		return a
	}
	line, _, _ := p.laidAt(d, r)
	return anchor{line: int32(line)}
}

func (p *pane) clampScroll() {
	p.scroll = max(0, min(p.scroll, p.total()-p.height))
}

// moveCursor moves the cursor n logical lines down (up when n < 0), to the
// first row of that line, and scrolls to keep it on screen.
func (p *pane) moveCursor(n int) {
	d, total := p.current(), p.total()
	if d == nil || total == 0 {
		return
	}
	r := p.lineStart(min(p.cursor, total-1))
	for ; n > 0; n-- {
		next, ok := p.nextLine(d, r)
		if !ok {
			break
		}
		r = next
	}
	for ; n < 0; n++ {
		prev, ok := p.prevLine(d, r)
		if !ok {
			break
		}
		r = prev
	}
	p.setCursor(r)
}

// nextLine is the first row of the line after row r's; in a document
// whose rows stand for events or fields, the next such line.
func (p *pane) nextLine(d *document, r int) (int, bool) {
	total := p.total()
	for next := r + 1; next < total; next++ {
		if p.anchorAt(d, next).line != p.anchorAt(d, next-1).line && (!d.targets || p.anchorAt(d, next).targets()) {
			return next, true
		}
	}
	return r, false
}

// prevLine is the first row of the line before row r's, as nextLine.
func (p *pane) prevLine(d *document, r int) (int, bool) {
	for prev := r; prev > 0; {
		prev = p.lineStart(prev - 1)
		if !d.targets || p.anchorAt(d, prev).targets() {
			return prev, true
		}
	}
	return r, false
}

// putBack puts the cursor back on what it stood for before a re-render
// (keep), once the document on screen has that line; a whole document
// without it ends the wait. It runs after the layout of the document on
// screen is brought up to date (afterUpdate).
func (p *pane) putBack() {
	if !p.keep.pending() {
		return
	}
	d := p.current()
	if p.cursorToKept(d) || d != nil && d.more == nil {
		p.keep = keepNothing
	}
}

// cursorToKept puts the cursor on the row keep stands for, if d has it. A
// line document's line is found by its layout, without scanning its rows:
// putBack runs on every Update while it waits.
func (p *pane) cursorToKept(d *document) bool {
	if d != nil && d.text != nil && p.keep.seq == 0 {
		if int(p.keep.line) >= len(d.text.lines) {
			return false // not printed yet
		}
		row, _ := p.rowOf(int(p.keep.line))
		p.setCursor(row)
		return true
	}
	return p.cursorToFirst(p.keep.matches)
}

// lineStart is the first row of the logical line row r belongs to.
func (p *pane) lineStart(r int) int {
	d := p.current()
	for r > 0 && p.anchorAt(d, r-1).line == p.anchorAt(d, r).line {
		r--
	}
	return r
}

// setCursor puts the cursor on row r and scrolls the least that shows it.
func (p *pane) setCursor(r int) {
	p.cursor = max(0, min(r, p.total()-1))
	switch {
	case p.cursor < p.scroll:
		p.scroll = p.cursor
	case p.cursor >= p.scroll+p.height:
		p.scroll = p.cursor - p.height + 1
	}
	p.clampScroll()
}

// cursorToFirst puts the cursor on the first row whose anchor matches, if
// the document has one.
func (p *pane) cursorToFirst(match func(anchor) bool) bool {
	d := p.current()
	if d == nil {
		return false
	}
	for r := range p.total() {
		if match(p.anchorAt(d, r)) {
			p.setCursor(r)
			return true
		}
	}
	return false
}

// at is what the cursor's row stands for; false when there is no row.
func (p *pane) at() (anchor, bool) {
	d := p.current()
	if d == nil || p.cursor >= p.total() {
		return anchor{}, false
	}
	return p.anchorAt(d, p.cursor), true
}

// lines renders the pane's content rows (not the tab bar); with cursor, the
// rows of the cursor's logical line are drawn in the cursor ink. Matches of
// the text filter's query are marked in the match ink.
func (p *pane) lines(k inks, cursor bool) []string {
	out := make([]string, 0, p.height)
	d := p.current()
	blank := strings.Repeat(" ", p.width)
	if d != nil {
		end := min(p.total(), p.scroll+p.height)
		at, onLine := p.at()
		onLine = onLine && cursor
		for r := p.scroll; r < end; r++ {
			onCursor := onLine && p.anchorAt(d, r).line == at.line
			if d.text != nil && r >= d.lead() {
				out = append(out, p.textRow(d, r, k, onCursor))
			} else {
				out = append(out, p.row(d.rows[r], k, onCursor))
			}
		}
	}
	if len(out) < p.height && (d == nil || d.more != nil) {
		out = append(out, k.Dim.paint(fit(p.pending(d), p.width)))
	}
	for len(out) < p.height {
		out = append(out, blank)
	}
	return out
}

// row draws a rendered row, in the cursor ink when it is on the cursor's
// line, with the query's matches in the match ink.
func (p *pane) row(row string, k inks, onCursor bool) string {
	var plain string
	var spans []find.Span
	if p.query != "" || onCursor {
		plain = ansi.Strip(row)
		spans = find.All(plain, p.query)
	}
	if !onCursor && len(spans) == 0 {
		return row
	}
	var b strings.Builder
	pos := 0
	piece := func(to int) {
		if onCursor {
			b.WriteString(k.Cursor.paint(plain[pos:to]))
		} else {
			b.WriteString(ansi.Cut(row, width(plain[:pos]), width(plain[:to])))
		}
	}
	for _, s := range spans {
		piece(s.Start)
		b.WriteString(k.Match.paint(plain[s.Start:s.End]))
		pos = s.End
	}
	piece(len(plain))
	return b.String()
}

func (p *pane) pending(d *document) string {
	if d == nil || d.progress == 0 {
		return "rendering…"
	}
	return fmt.Sprintf("rendering… %d%%", int(d.progress*100))
}

// tabBar draws the view names, the current one marked, and on the right
// where the view is scrolled.
func (p *pane) tabBar(it *item, focused bool, k inks, w int) string {
	var b strings.Builder
	used := 0
	for v := range numViews {
		name := tabName(v, w)
		switch {
		case v == p.view && focused:
			b.WriteString(k.TabActive.paint(name))
		case v == p.view:
			b.WriteString(k.TabCurrent.paint(name))
		default:
			b.WriteString(k.Tab.paint(name))
		}
		used += len(name)
	}
	if it == nil {
		return padLine(b.String(), used, w)
	}
	info := fmt.Sprintf("#%d · %s", it.ev.Seq, sizeText(it.ev.Size()))
	if total := p.total(); total > p.height {
		info = fmt.Sprintf("%d%% · %s", (p.scroll+p.height)*100/total, info)
	}
	if iw := width(info); used+iw+1 <= w {
		b.WriteString(strings.Repeat(" ", w-used-iw))
		b.WriteString(k.Dim.paint(info))
		used = w
	}
	return padLine(b.String(), used, w)
}

// tabAt returns the view whose tab covers column x of a tab bar w wide.
func tabAt(x, w int) (view, bool) {
	pos := 0
	for v := range numViews {
		n := width(tabName(v, w))
		if x >= pos && x < pos+n {
			return v, true
		}
		pos += n
	}
	return 0, false
}

// tabName is view v's tab in a bar w wide: the full titles padded when
// they all fit, then the full titles one space apart, otherwise their first
// three letters (a bar of 40 cells: it fits any pane of a 60-column screen).
func tabName(v view, w int) string {
	full := 0
	for u := range numViews {
		full += len(u.String()) + 2
	}
	switch {
	case full <= w:
		return " " + v.String() + " "
	case full-int(numViews) <= w:
		return " " + v.String()
	}
	return " " + v.String()[:3] + " "
}
