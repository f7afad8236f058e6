package ui

import (
	"runtime"
	"strconv"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
	"github.com/extend-inspect/extend-inspect/ui/search"
)

// item is one stored event as the screen sees it: the event, plus what the
// list shows and searches, computed once when the event arrives (off the
// update loop, in the feed's command) and never changed afterwards.
type item struct {
	ev       *store.Event
	seq      uint64
	category extend.Category
	outcome  extend.Outcome
	failure  bool // *.failed, workflow_run.rejected, workflow_run.cancelled
	verified bool

	// Display texts, made safe for the terminal.
	clock  string // time received, HH:MM:SS
	typ    string // eventType, or what stands in for it
	id     string // payload.id
	status string // payload.status, or the receiver's answer when refused

	text search.Text // what the text filter looks in

	// trail links the attempts of one eventId; set in Update (attempts.go).
	trail *attemptTrail
	// run is the run it belongs to; set in Update (runfilter.go).
	run *runTag
}

// itemMaker builds items; one per goroutine.
type itemMaker struct {
	loc   *time.Location
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
	*it = item{
		ev:       ev,
		seq:      ev.Seq,
		category: ev.Category,
		outcome:  extend.OutcomeOf(env.EventType),
		failure:  extend.IsFailure(env.EventType),
		verified: ev.Verification.Outcome == extend.Verified,
		clock:    ev.ReceivedAt.In(mk.loc).Format(time.TimeOnly),
		typ:      sanitize.Text(displayType(ev)),
		id:       sanitize.Text(env.ID),
		status:   sanitize.Text(env.Status),
	}
	if ev.Rejected != "" {
		it.status = strconv.Itoa(ev.Status)
	}
	it.text = mk.grams.Index((*searchSource)(ev))
}

// displayType is what the list shows in the type column.
func displayType(ev *store.Event) string {
	switch {
	case ev.Rejected != "":
		return "(refused: " + ev.Rejected + ")"
	case ev.Envelope.EventType != "":
		return ev.Envelope.EventType
	case ev.BodyLen() == 0:
		return "(empty body)"
	case ev.Envelope.Err != nil:
		return "(not a JSON object)"
	}
	return "(no eventType)"
}
