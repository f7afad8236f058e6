package ui

import (
	"strconv"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
)

// columns are the widths of a list row's variable columns. A row reads
// "15:04:05 ✓ type  object-id  STATUS 2/2"; time and badge are fixed.
type columns struct {
	typ, id, status, marker int
	forward                 int // the app's answer, when forwarding (see rowColumns)
}

const (
	clockWidth  = 8
	fixedWidth  = clockWidth + 3 // clock, space, badge, space
	typeMax     = 31             // "workflow_run.step_run.processed"
	typeShort   = 25             // "workflow_run.needs_review"
	statusWidth = 13             // "NEEDS_REVIEW", a signed link's "expired 15:03"
	markerWidth = 4              // " ×12"
	idMin       = 8
	statusMin   = 6 // "FAILED"
)

// listColumns shares a row's width out given the widest type, id and
// status shown, and the marker and forward columns when rows need them. Each column is as wide as its widest text (the type at
// most typeMax, the status statusWidth) when they all fit, and what is
// left stays blank at the end. When space is short the id gives way first
// (its distinctive tail is kept, see idCell), down to idMin, then the type
// down to typeShort (most types fit), then the id goes, then the status;
// the type then takes back what they left.
func listColumns(w int, widest columns) columns {
	avail := w - fixedWidth - widest.marker - gap(widest.forward)
	c := columns{marker: widest.marker, forward: widest.forward,
		typ:    min(typeMax, max(widest.typ, 1)),
		id:     widest.id,
		status: min(statusWidth, widest.status)}
	need := func() int { return c.typ + gap(c.id) + gap(c.status) }
	if over := need() - avail; over > 0 && c.id > idMin {
		c.id = max(idMin, c.id-over)
	}
	if over := need() - avail; over > 0 && c.typ > typeShort {
		c.typ = max(typeShort, c.typ-over)
	}
	if need() > avail {
		c.id = 0
	}
	if need() > avail {
		c.status = 0
	}
	// what the id or status gave up goes back to the type
	c.typ = max(1, min(typeMax, max(widest.typ, 1), avail-gap(c.id)-gap(c.status)))
	// and what the type does not take, to the status and then the id, cut
	// short rather than left out while the row has room for them
	left := avail - c.typ - gap(c.id) - gap(c.status)
	if c.status == 0 && widest.status > 0 && left > statusMin {
		c.status = min(statusWidth, widest.status, left-1)
		left -= gap(c.status)
	}
	if c.id == 0 && widest.id > 0 && left > idMin {
		c.id = min(widest.id, left-1)
	}
	return c
}

// gap is the width a column takes with the space before it; none when the
// column is not shown.
func gap(w int) int {
	if w == 0 {
		return 0
	}
	return w + 1
}

// idCell shows an id in w cells: whole when it fits, else by its
// distinctive tail ("…9lbRNHdl"), not by the prefix every id of its type
// shares.
func idCell(id string, w int) string {
	if width(id) <= w || w < 2 {
		return fit(id, w)
	}
	r := []rune(id)
	for len(r) > 0 && width(string(r))+1 > w {
		r = r[1:]
	}
	return fit("…"+string(r), w)
}

// rowState says how a row is highlighted.
type rowState uint8

const (
	rowPlain    rowState = iota
	rowSelected          // the selection, while the list has focus
	rowIdle              // the selection, while the payload has focus
)

// renderRow draws an item's row showing shown, exactly w cells wide.
func renderRow(it *item, shown rowText, c columns, w int, k inks, state rowState) string {
	marker := rowMarker(it, c.marker-1)
	v := it.ev.Verification.Outcome
	cells := []struct {
		text string
		w    int
		ink  ink
	}{
		{shown.clock, clockWidth, runInk(k, it)},
		{badge(v), 1, badgeInk(k, v)},
		{shown.typ, c.typ, outcomeInk(k, it.outcome)},
		{idCell(shown.id, c.id), c.id, k.Text},
		{shown.status, c.status, k.Dim},
		{forwardCell(it.ev), c.forward, forwardInk(k, it.ev.Forward())},
	}
	var b strings.Builder
	b.Grow(w + 64)
	used := 0
	for _, cell := range cells {
		if cell.w == 0 {
			continue
		}
		if used > 0 {
			b.WriteByte(' ')
			used++
		}
		b.WriteString(paintCell(fit(cell.text, cell.w), cell.ink, state))
		used += cell.w
	}
	if c.marker > 0 {
		b.WriteByte(' ')
		b.WriteString(paintCell(fit(marker, c.marker-1), k.Repeat, state))
		used += c.marker
	}
	line := padLine(b.String(), used, w)
	switch state {
	case rowSelected:
		return k.Selected.paint(line)
	case rowIdle:
		return k.SelectedIdle.paint(line)
	}
	return line
}

// paintCell paints a cell's text but not the spaces that pad it, which
// would show as a line under an underlined style.
func paintCell(cell string, k ink, state rowState) string {
	if state != rowPlain {
		return cell
	}
	text := strings.TrimRight(cell, " ")
	return k.paint(text) + cell[len(text):]
}

// renderHeading draws a category heading with its count of shown events.
func renderHeading(c extend.Category, n, w int, k inks) string {
	title := c.Title()
	count := strconv.Itoa(n)
	used := len(title) + 1 + len(count)
	if used > w {
		return fit(title, w)
	}
	return padLine(k.Heading.paint(title)+" "+k.HeadingCount.paint(count), used, w)
}

// badge is the one-cell mark of a verification outcome.
func badge(v extend.Verification) string {
	switch v {
	case extend.Verified:
		return "✓"
	case extend.Invalid:
		return "✗"
	case extend.Stale:
		return "~"
	case extend.Malformed:
		return "!"
	case extend.Missing:
		return "?"
	default:
		return "-"
	}
}

func badgeInk(k inks, v extend.Verification) ink {
	switch v {
	case extend.Verified:
		return k.Verified
	case extend.Invalid:
		return k.Invalid
	case extend.Stale:
		return k.Stale
	case extend.Malformed:
		return k.Malformed
	case extend.Missing:
		return k.Missing
	default:
		return k.Unchecked
	}
}

func outcomeInk(k inks, o extend.Outcome) ink {
	switch o {
	case extend.OutcomeSuccess:
		return k.Success
	case extend.OutcomeFailure:
		return k.Failure
	case extend.OutcomeAttention:
		return k.Attention
	default:
		return k.Neutral
	}
}
