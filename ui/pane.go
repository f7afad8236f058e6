package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// document is a rendered view of one event, complete or still growing.
type document struct {
	rows     []string // each exactly the pane's content width
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
	width  int // content width; rows are rendered at this width
	height int // content rows, below the tab bar
	shown  docKey

	docs  map[docKey]*document
	order []docKey // least recently used first
	rows  int      // rows held by docs
}

func newPane() pane { return pane{docs: map[docKey]*document{}} }

// key is the document the pane wants for item it.
func (p *pane) key(it *item, theme string) docKey {
	if it == nil {
		return docKey{}
	}
	return docKey{seq: it.seq, view: p.view, width: p.width, theme: theme, live: liveOf(it)}
}

// show makes the pane show it, and returns the command that renders the
// document when it is not there yet.
func (p *pane) show(it *item, kit *renderKit) tea.Cmd {
	k := p.key(it, kit.styles.Theme)
	if k.seq != p.shown.seq || k.view != p.shown.view {
		p.scroll = 0
	}
	p.shown = k
	if it == nil || p.width <= 0 {
		return nil
	}
	d := p.docs[k]
	switch {
	case d == nil:
		d = &document{more: newProducer(it.ev, k.view, k.width, kit.with(it)), busy: true}
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
	d.rows = append(d.rows, msg.rows...)
	p.rows += len(msg.rows)
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

func (p *pane) clampScroll() {
	total := 0
	if d := p.current(); d != nil {
		total = len(d.rows)
	}
	p.scroll = max(0, min(p.scroll, total-p.height))
}

// lines renders the pane's content rows (not the tab bar).
func (p *pane) lines(k inks) []string {
	out := make([]string, 0, p.height)
	d := p.current()
	blank := strings.Repeat(" ", p.width)
	if d != nil {
		end := min(len(d.rows), p.scroll+p.height)
		if p.scroll < end {
			out = append(out, d.rows[p.scroll:end]...)
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

// tabName is view v's tab in a bar w wide: the full titles when they all
// fit, otherwise their first three letters.
func tabName(v view, w int) string {
	full := 0
	for u := range numViews {
		full += len(u.String()) + 2
	}
	if full <= w {
		return " " + v.String() + " "
	}
	return " " + v.String()[:3] + " "
}
