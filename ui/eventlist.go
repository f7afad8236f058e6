package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
)

const numCategories = len(extend.Categories)

// eventList is the state of the event list: the live items, the filters,
// the shown items grouped by category, the selection and the scroll offset.
//
// It never renders every item. The shown items are kept per category in
// arrival order, maintained incrementally as events arrive and leave, so a
// row on screen is found by arithmetic over the four group lengths, and an
// item's row by a binary search in its group.
type eventList struct {
	items  []*item // every live event, in arrival (seq) order
	text   textFilter
	filt   filters
	groups [numCategories][]*item // the shown items, in seq order
	runs   map[string]*runTag     // the runs of the items, by id (runfilter.go)

	newestFirst bool
	sel         *item // the selected item; nil when nothing is shown
	top         int   // the first row on screen
	height      int   // rows on screen

	following bool // select each new delivery as it arrives
	unseen    int  // deliveries shown while not following

	// widest is the widest type, id and status of the shown items, and
	// whether any shows a marker (a replay, a repeated delivery), for the
	// columns; it may stay wider after evictions until the next refilter,
	// which only leaves a column some blank.
	widest columns
}

func newEventList() eventList { return eventList{following: true} }

// shownCount is how many events pass the filters.
func (l *eventList) shownCount() int {
	n := 0
	for _, g := range l.groups {
		n += len(g)
	}
	return n
}

// add takes new arrivals and returns how many of them are shown. Under a
// text filter, those it cannot test without reading a file are tested by
// the command it returns (see textFilter.admit), and shown by caughtUp.
func (l *eventList) add(news []*item) (int, tea.Cmd) {
	l.items = append(l.items, news...)
	for _, it := range news {
		l.text.inFile = l.text.inFile || it.ev.BodyInFile()
	}
	if !l.text.active() {
		return l.showPassing(news), nil
	}
	hits, cmd := l.text.admit(l.items)
	return l.showHits(hits), cmd
}

// caughtUp shows what a command testing arrivals against the text filter
// found, and returns the command testing those since, if any.
func (l *eventList) caughtUp(msg textCatchUpMsg) tea.Cmd {
	row := l.screenRow()
	hits, cmd := l.text.caughtUp(msg, l.items)
	l.arrived(l.showHits(hits), row)
	return cmd
}

// showPassing shows the new items that pass the other filters, and returns
// how many.
func (l *eventList) showPassing(news []*item) int {
	shown := 0
	for _, it := range news {
		if l.filt.pass(it) {
			l.show(it)
			shown++
		}
	}
	return shown
}

// showHits is showPassing for the items of a text search's hits.
func (l *eventList) showHits(hits []hit) int {
	items := make([]*item, len(hits))
	for i, h := range hits {
		items[i] = h.it
	}
	return l.showPassing(items)
}

// show adds a shown item to its group, after those shown already.
func (l *eventList) show(it *item) {
	l.groups[it.category] = append(l.groups[it.category], it)
	w := &l.widest
	w.typ, w.id, w.status = max(w.typ, int(it.typeCells)), max(w.id, int(it.idCells)), max(w.status, int(it.statusCells))
	if it.ev.ReplayOf() != 0 || it.ev.Attempt > 1 {
		w.marker = markerWidth
	}
	if showsLinkLeft(it.ev) {
		w.status = statusWidth // the link's expiry (withLinkLeft)
	}
}

// evict forgets every item before seq first, as the store has.
func (l *eventList) evict(first uint64) {
	cut := func(s []*item) []*item {
		n, _ := slices.BinarySearchFunc(s, first, func(it *item, seq uint64) int { return cmpSeq(it.ev.Seq, seq) })
		clear(s[:n]) // let the evicted events go before the array is reallocated
		return s[n:]
	}
	if len(l.items) == 0 || l.items[0].ev.Seq >= first {
		return
	}
	l.untagBefore(first)
	l.items = cut(l.items)
	for c := range l.groups {
		l.groups[c] = cut(l.groups[c])
	}
	l.text.evict(first)
	if l.sel != nil && l.sel.ev.Seq < first {
		l.reselect()
	}
}

// refilter recomputes the shown items after a filter changed.
func (l *eventList) refilter() {
	for c := range l.groups {
		l.groups[c] = l.groups[c][:0]
	}
	l.widest = columns{}
	keep := func(it *item) {
		if l.filt.pass(it) {
			l.show(it)
		}
	}
	if l.text.active() {
		for _, h := range l.text.cur.hits {
			keep(h.it)
		}
	} else {
		for _, it := range l.items {
			keep(it)
		}
	}
	l.reselect()
}

// setQuery changes the text filter; a large search comes back as a command
// whose result finishQuery takes.
func (l *eventList) setQuery(text string) tea.Cmd {
	if text == l.text.text() {
		return nil
	}
	cmd := l.text.set(text, l.items)
	if l.text.pending == nil {
		l.refilter()
	}
	return cmd
}

// finishQuery takes a slice of a search run in commands and returns the
// command that searches the next.
func (l *eventList) finishQuery(msg textSearchMsg) tea.Cmd {
	next, ok := l.text.finish(msg, l.items)
	if ok {
		l.refilter()
	}
	return next
}

// reselect keeps the selection on a shown item: the same one if it is still
// shown, else the newest when following, else the nearest in its group.
func (l *eventList) reselect() {
	switch {
	case l.following || l.sel == nil:
		l.sel = l.newest()
	case l.rowOf(l.sel) < 0:
		l.sel = l.nearest(l.sel)
	}
	l.ensureVisible()
}

func (l *eventList) nearest(old *item) *item {
	g := l.groups[old.category]
	if len(g) == 0 {
		return l.newest()
	}
	i, _ := slices.BinarySearchFunc(g, old.ev.Seq, func(it *item, seq uint64) int { return cmpSeq(it.ev.Seq, seq) })
	return g[min(i, len(g)-1)]
}

// newest is the shown item that arrived last.
func (l *eventList) newest() *item {
	var best *item
	for _, g := range l.groups {
		if n := len(g); n > 0 && (best == nil || g[n-1].ev.Seq > best.ev.Seq) {
			best = g[n-1]
		}
	}
	return best
}

// Rows: each category with shown items contributes a heading row and then
// its items, oldest or newest first.

func (l *eventList) rowCount() int {
	n := 0
	for _, g := range l.groups {
		if len(g) > 0 {
			n += 1 + len(g)
		}
	}
	return n
}

// rowAt returns what row r shows: a category heading (it == nil) or an item.
func (l *eventList) rowAt(r int) (extend.Category, *item) {
	for c, g := range l.groups {
		if len(g) == 0 {
			continue
		}
		if r == 0 {
			return extend.Category(c), nil
		}
		if r <= len(g) {
			i := r - 1
			if l.newestFirst {
				i = len(g) - r
			}
			return extend.Category(c), g[i]
		}
		r -= 1 + len(g)
	}
	return extend.CategoryUnknown, nil
}

// rowOf returns the row of a shown item, or -1.
func (l *eventList) rowOf(it *item) int {
	if it == nil {
		return -1
	}
	r := 0
	for c, g := range l.groups {
		if len(g) == 0 {
			continue
		}
		if extend.Category(c) == it.category {
			i, found := slices.BinarySearchFunc(g, it.ev.Seq, func(x *item, seq uint64) int { return cmpSeq(x.ev.Seq, seq) })
			if !found {
				return -1
			}
			if l.newestFirst {
				i = len(g) - 1 - i
			}
			return r + 1 + i
		}
		r += 1 + len(g)
	}
	return -1
}

// moveBy moves the selection by delta item rows, skipping headings; it is a
// user's move, so it pauses or resumes following.
func (l *eventList) moveBy(delta int) {
	if l.sel == nil {
		return
	}
	l.selectRow(l.rowOf(l.sel)+delta, delta)
}

// selectRow selects the item at row r; on a heading it steps on in the
// direction dir (or forward when dir is 0).
func (l *eventList) selectRow(r, dir int) {
	rows := l.rowCount()
	if rows == 0 {
		return
	}
	r = max(0, min(r, rows-1))
	if _, it := l.rowAt(r); it == nil {
		if dir < 0 && r > 0 {
			r--
		} else if r+1 < rows {
			r++
		} else {
			r--
		}
	}
	if _, it := l.rowAt(r); it != nil {
		l.sel = it
	}
	l.userMoved()
}

// selectSeq selects the event seq when the filters show it; it is a user's
// move, like moveBy.
func (l *eventList) selectSeq(seq uint64) bool {
	i, found := slices.BinarySearchFunc(l.items, seq, func(it *item, seq uint64) int { return cmpSeq(it.ev.Seq, seq) })
	if !found || l.rowOf(l.items[i]) < 0 {
		return false
	}
	l.sel = l.items[i]
	l.userMoved()
	return true
}

// userMoved applies the follow rule: following continues only while the
// newest delivery is the one selected.
func (l *eventList) userMoved() {
	l.following = l.sel != nil && l.sel == l.newest()
	if l.following {
		l.unseen = 0
	}
	l.ensureVisible()
}

// follow resumes following.
func (l *eventList) follow() {
	l.following = true
	l.unseen = 0
	l.sel = l.newest()
	l.ensureVisible()
}

// arrived adjusts the selection after shown new arrivals: following selects
// the newest; otherwise the selected row stays where it is on screen and
// the arrivals are counted as unseen.
func (l *eventList) arrived(shown, screenRow int) {
	if shown == 0 {
		return
	}
	if l.following || l.sel == nil {
		l.sel = l.newest()
		l.ensureVisible()
		return
	}
	l.unseen += shown
	l.top = l.rowOf(l.sel) - screenRow
	l.ensureVisible()
}

// screenRow is the selected row's position on screen, or 0.
func (l *eventList) screenRow() int {
	if r := l.rowOf(l.sel); r >= 0 {
		return r - l.top
	}
	return 0
}

func (l *eventList) toggleOrder() {
	l.newestFirst = !l.newestFirst
	l.ensureVisible()
}

func (l *eventList) setHeight(h int) {
	l.height = max(1, h)
	l.ensureVisible()
}

// ensureVisible scrolls so the selected row is on screen, with its
// category's heading when it is the first item under it.
func (l *eventList) ensureVisible() {
	rows := l.rowCount()
	r := l.rowOf(l.sel)
	if r >= 0 {
		if r < l.top {
			l.top = r
		}
		if r-1 < l.top {
			if _, it := l.rowAt(r - 1); it == nil && r > 0 {
				l.top = r - 1
			}
		}
		if r >= l.top+l.height {
			l.top = r - l.height + 1
		}
	}
	l.top = max(0, min(l.top, rows-l.height))
}
