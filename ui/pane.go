package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// document is a rendered view of one event, complete or still growing.
type document struct {
	rows     []string // each exactly the pane's content width
	anchors  []anchor // what each row stands for (anchors[i] is rows[i]'s)
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
	cursor int // the cursor's row, shown while the pane has focus
	// relocate is the logical line the cursor was on before the document
	// was rendered again at another width, to put it back on; -1 for none.
	relocate int32
	width    int // content width; rows are rendered at this width
	height   int // content rows, below the tab bar
	shown    docKey

	moved bool   // the user moved the cursor since the pane showed this event and view
	held  uint64 // the event of the line the user moved it to (runview.go)

	docs  map[docKey]*document
	order []docKey // least recently used first
	rows  int      // rows held by docs
}

func newPane() pane { return pane{docs: map[docKey]*document{}, relocate: -1} }

// key is the document the pane wants for item it.
func (p *pane) key(it *item, kit *renderKit) docKey {
	if it == nil {
		return docKey{}
	}
	return docKey{seq: it.seq, view: p.view, width: p.width, theme: kit.styles.Theme, live: liveOf(it, p.view, kit.now)}
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
		p.scroll, p.cursor, p.relocate, p.moved = 0, 0, -1, false
	case k != p.shown:
		if at, ok := p.at(); ok {
			p.relocate = at.line
		}
	}
	p.shown = k
	p.putBack()
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
	p.rows += len(msg.chunk.rows)
	d.more, d.progress, d.busy = msg.more, msg.progress, false
	if msg.key == p.shown {
		p.putBack()
	}
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
		p.rows -= len(p.docs[k].rows)
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
}

// total is the number of rows of the document on screen.
func (p *pane) total() int {
	if d := p.current(); d != nil {
		return len(d.rows)
	}
	return 0
}

func (p *pane) clampScroll() {
	p.scroll = max(0, min(p.scroll, p.total()-p.height))
}

// moveCursor moves the cursor n logical lines down (up when n < 0), to the
// first row of that line, and scrolls to keep it on screen.
func (p *pane) moveCursor(n int) {
	d := p.current()
	if d == nil || len(d.rows) == 0 {
		return
	}
	r := p.lineStart(min(p.cursor, len(d.rows)-1))
	for ; n > 0 && r < len(d.rows); n-- {
		next := r + 1
		for next < len(d.rows) && d.anchors[next].line == d.anchors[r].line {
			next++
		}
		if next == len(d.rows) {
			break
		}
		r = next
	}
	for ; n < 0 && r > 0; n++ {
		r = p.lineStart(r - 1)
	}
	p.setCursor(r)
}

// putBack puts the cursor on the line it was on before a re-render, once
// the document on screen has that line.
func (p *pane) putBack() {
	if p.relocate < 0 {
		return
	}
	line := p.relocate
	if p.cursorToFirst(func(a anchor) bool { return a.line == line }) {
		p.relocate = -1
	}
}

// lineStart is the first row of the logical line row r belongs to.
func (p *pane) lineStart(r int) int {
	d := p.current()
	for r > 0 && d.anchors[r-1].line == d.anchors[r].line {
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
	for r, a := range d.anchors {
		if match(a) {
			p.setCursor(r)
			return true
		}
	}
	return false
}

// at is what the cursor's row stands for; false when there is no row.
func (p *pane) at() (anchor, bool) {
	d := p.current()
	if d == nil || p.cursor >= len(d.anchors) {
		return anchor{}, false
	}
	return d.anchors[p.cursor], true
}

// lines renders the pane's content rows (not the tab bar); with cursor, the
// rows of the cursor's logical line are drawn in the cursor ink.
func (p *pane) lines(k inks, cursor bool) []string {
	out := make([]string, 0, p.height)
	d := p.current()
	blank := strings.Repeat(" ", p.width)
	if d != nil {
		end := min(len(d.rows), p.scroll+p.height)
		for r := p.scroll; r < end; r++ {
			out = append(out, p.row(d, r, k, cursor))
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

// row draws row r of d, in the cursor ink when it is on the cursor's line.
func (p *pane) row(d *document, r int, k inks, cursor bool) string {
	if !cursor || p.cursor >= len(d.anchors) || d.anchors[r].line != d.anchors[p.cursor].line {
		return d.rows[r]
	}
	return k.Cursor.paint(ansi.Strip(d.rows[r]))
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
	info := fmt.Sprintf("#%d · %s", it.seq, sizeText(it.ev.Size))
	if d := p.current(); d != nil && len(d.rows) > p.height {
		info = fmt.Sprintf("%d%% · %s", (p.scroll+p.height)*100/len(d.rows), info)
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
