package ui

import (
	"math"
	"runtime"
	"strconv"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
	"github.com/extend-inspect/extend-inspect/ui/search"
)

// item is one stored event as the screen sees it: the event, plus what the
// list filters and searches on, computed once when the event arrives (off
// the update loop, in the feed's command) and never changed afterwards.
// What a row shows (rowText) is made again when the row is drawn: only the
// rows on screen need it, and an item kept for each of a session's events
// is worth keeping small. Only the widths of its cells are kept, which the
// list's columns are sized by.
type item struct {
	ev       *store.Event
	category extend.Category
	outcome  extend.Outcome
	failure  bool // *.failed, workflow_run.rejected, workflow_run.cancelled
	verified bool

	// The widths of the row's type, status and id cells: the type's and the
	// status's saturate at 255, which is wider than their columns can be
	// (typeMax, statusWidth).
	typeCells, statusCells uint8
	idCells                uint16

	text search.Text // what the text filter looks in

	// trail links the attempts of one eventId; set in Update (attempts.go).
	trail *attemptTrail
	// run is the run it belongs to; set in Update (runfilter.go).
	run *runTag
}

// rowText is what a row shows of an event, made safe for the terminal.
type rowText struct {
	clock  string // time received, HH:MM:SS
	typ    string // eventType, or what stands in for it
	id     string // payload.id
	status string // payload.status, or the receiver's answer when refused
}

func rowTextOf(ev *store.Event, loc *time.Location) rowText {
	t := cellTextOf(ev)
	t.clock = ev.ReceivedAt.In(loc).Format(time.TimeOnly)
	return t
}

// cellTextOf is rowTextOf but for the clock, which is as wide in every row.
func cellTextOf(ev *store.Event) rowText {
	return rowText{
		typ:    sanitize.Text(displayType(ev)),
		id:     sanitize.Text(ev.Envelope.ID),
		status: sanitize.Text(displayStatus(ev)),
	}
}

// displayStatus is what the list shows in the status column.
func displayStatus(ev *store.Event) string {
	if ev.Rejected() != "" {
		return strconv.Itoa(int(ev.Status))
	}
	return ev.Envelope.Status
}

// itemMaker builds items; one per goroutine.
type itemMaker struct {
	grams search.Indexer
}

func (mk *itemMaker) make(ev *store.Event) *item {
	it := new(item)
	mk.fill(it, ev)
	mk.grams.Seal()
	return it
}

// makeAll builds the items of a batch side by side in one allocation: the
// list and the text filter walk them in order, and finding them adjacent in
// memory spares a cache miss per event. Every yieldBytes of bodies indexed
// it lets the goroutines waiting for a processor go first, so a burst's
// indexing never holds one for long while deliveries wait.
func (mk *itemMaker) makeAll(events []*store.Event) []*item {
	backing := make([]item, len(events))
	items := make([]*item, len(events))
	indexed := 0
	for i, ev := range events {
		mk.fill(&backing[i], ev)
		items[i] = &backing[i]
		if indexed += ev.BodyLen(); indexed >= yieldBytes {
			indexed = 0
			runtime.Gosched()
		}
	}
	mk.grams.Seal() // before the items leave this goroutine
	return items
}

func (mk *itemMaker) fill(it *item, ev *store.Event) {
	env := ev.Envelope
	shown := cellTextOf(ev)
	*it = item{
		ev:          ev,
		category:    ev.Category,
		outcome:     extend.OutcomeOf(env.EventType),
		failure:     extend.IsFailure(env.EventType),
		verified:    ev.Verification.Outcome == extend.Verified,
		typeCells:   uint8(min(width(shown.typ), math.MaxUint8)),
		statusCells: uint8(min(width(shown.status), math.MaxUint8)),
		idCells:     uint16(min(width(shown.id), math.MaxUint16)),
	}
	it.text = mk.grams.Index((*searchSource)(ev))
}

// displayType is what the list shows in the type column.
func displayType(ev *store.Event) string {
	switch {
	case ev.Rejected() != "":
		return "(refused: " + ev.Rejected() + ")"
	case ev.Envelope.EventType != "":
		return ev.Envelope.EventType
	case ev.BodyLen() == 0:
		return "(empty body)"
	case ev.Envelope.Err() != nil:
		return "(not a JSON object)"
	}
	return "(no eventType)"
}
