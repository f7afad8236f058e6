package ui

// rect is an area of the screen, in cells.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layout is where everything goes; the root computes it once per resize.
type layout struct {
	header     rect // three lines: address and state, counts, filters
	body       rect // list and pane together, where overlays are drawn
	list       rect
	tabs       rect // the payload pane's tab bar
	pane       rect // the payload pane's content
	footer     rect // the hint bar, or the filter input
	sideBySide bool // list left of the pane; otherwise above it
	zoomed     bool // no list: the pane has the whole body
}

const headerLines = 3

// computeLayout places everything on a w×h screen; zoomed gives the pane
// the whole body.
func computeLayout(w, h int, zoomed bool) layout {
	w, h = max(w, 20), max(h, headerLines+4)
	l := layout{
		header: rect{0, 0, w, headerLines},
		footer: rect{0, h - 1, w, 1},
	}
	l.body = rect{0, headerLines, w, h - headerLines - 1}
	b := l.body
	if zoomed {
		l.zoomed = true
		l.tabs = rect{0, b.y, w, 1}
		l.pane = rect{1, b.y + 1, w - 1, b.h - 1}
		return l
	}
	if w >= sideBySideWidth {
		l.sideBySide = true
		lw := w * listSharePercent / 100
		l.list = rect{0, b.y, lw, b.h}
		// one column of rule between the panes, one of margin in the pane
		l.tabs = rect{lw + 1, b.y, w - lw - 1, 1}
		l.pane = rect{lw + 2, b.y + 1, w - lw - 2, b.h - 1}
		return l
	}
	lh := max(2, b.h*listSharePercent/100)
	l.list = rect{0, b.y, w, lh}
	l.tabs = rect{0, b.y + lh, w, 1}
	l.pane = rect{1, b.y + lh + 1, w - 1, b.h - lh - 1}
	return l
}
