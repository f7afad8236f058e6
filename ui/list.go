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
	statusWidth = 12             // "NEEDS_REVIEW"
	markerWidth = 4              // " ×12"
	idMin       = 8
)

// listColumns shares a row's width out: the type first (it says what
// happened), then the status, then the object id takes what is left. When
// space is short the type gives up its longest names' tails to the status
// (most types fit in typeShort), and the id goes first.
func listColumns(w int) columns {
	avail := w - fixedWidth - markerWidth
	c := columns{marker: markerWidth, typ: max(1, min(typeMax, avail))}
	if avail >= typeShort+1+statusWidth {
		c.typ = min(typeMax, avail-1-statusWidth)
		c.status = statusWidth
	}
	rest := avail - c.typ - 1
	if c.status > 0 {
		rest -= statusWidth + 1
	}
	if rest >= idMin {
		c.id = rest
	}
	return c
}

// rowState says how a row is highlighted.
type rowState uint8

const (
	rowPlain    rowState = iota
	rowSelected          // the selection, while the list has focus
	rowIdle              // the selection, while the payload has focus
)

// renderRow draws an item's row, exactly w cells wide.
func renderRow(it *item, c columns, w int, k inks, state rowState) string {
	marker := rowMarker(it, c.marker-1)
	v := it.ev.Verification.Outcome
	cells := []struct {
		text string
		w    int
		ink  ink
	}{
		{it.clock, clockWidth, runInk(k, it)},
		{badge(v), 1, badgeInk(k, v)},
		{it.typ, c.typ, outcomeInk(k, it.outcome)},
		{it.id, c.id, k.Text},
		{it.status, c.status, k.Dim},
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
