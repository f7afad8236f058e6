package watch

import (
	"context"
	"fmt"
	"io"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// Wait says which delivery ends a wait: `wait --type GLOB [--id ID]`.
type Wait struct {
	Match     Match             // --type; nil matches any type
	ID        string            // the payload's id or the eventId; "" matches any
	Verifying bool              // a secret is set, so only verified deliveries count
	Fields    map[string]string // --match PATH=VALUE: every path must hold its value
	Run       string            // --run ID: only the event that ends this run
	Warn      io.Writer
}

// First follows st from its oldest event and returns the first delivery
// that counts, or ctx's error when ctx ends first.
func (w Wait) First(ctx context.Context, st *store.Store) (*store.Event, error) {
	f := st.Follow(0)
	defer f.Close()
	for {
		if ev := w.pick(st, f.Take()); ev != nil {
			return ev, nil
		}
		if err := f.Wait(ctx); err != nil {
			return nil, err
		}
	}
}

// pick returns the first delivery of b that counts. A matching one that
// fails verification is reported and passed over.
func (w Wait) pick(st *store.Store, b store.Batch) *store.Event {
	warnMissed(w.Warn, b.Missed, "wait could read them")
	for _, ev := range b.Events {
		if !w.Matches(ev) || !w.endsRun(st, ev) {
			continue
		}
		if v := ev.Verification; w.Verifying && v.Outcome != extend.Verified {
			fmt.Fprintf(w.Warn, "extend-inspect: ignored %s %s: signature %s (%s)\n", printable(ev.EventType()), printable(ev.Envelope.EventID), v.Outcome, v.Reason)
			continue
		}
		return ev
	}
	return nil
}

// Matches applies the type and the id. A delivery whose body was refused
// or names no type never matches, whatever the pattern.
func (w Wait) Matches(ev *store.Event) bool {
	if ev.Rejected() != "" || ev.EventType() == "" || !w.Match.wants(ev.EventType()) {
		return false
	}
	if w.ID != "" && ev.Envelope.ID != w.ID && ev.Envelope.EventID != w.ID {
		return false
	}
	if len(w.Fields) == 0 {
		return true
	}
	body, err := ev.Body() // wait reads live deliveries, held in memory: no error
	if err != nil {
		return false
	}
	for path, want := range w.Fields {
		if got, ok := extend.PathValue(body, path); !ok || got != want {
			return false
		}
	}
	return true
}

// endsRun reports whether ev ends the run --run names, or no run is named.
// The run is looked up again for each event: an alias that arrives later
// (a step run naming the processor run it contains) may join ev's run to it.
func (w Wait) endsRun(st *store.Store, ev *store.Event) bool {
	if w.Run == "" {
		return true
	}
	r, want := st.RunOf(ev), st.Run(w.Run)
	return want.ID != "" && r.ID == want.ID && extend.EndsRun(r.Kind, ev.EventType())
}
