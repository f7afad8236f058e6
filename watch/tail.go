package watch

import (
	"context"
	"fmt"
	"io"

	"github.com/extend-inspect/extend-inspect/store"
)

// Forwards is what the tailer reads of the forwarder (deliver.Forwarder):
// a wake-up when forward results come in, and how many deliveries were
// evicted from the store before their forward.
type Forwards interface {
	Forwarded() <-chan struct{}
	Missed() uint64
}

// Tail configures a Tailer.
type Tail struct {
	Match Match     // which deliveries to print; nil prints all
	Out   io.Writer // the JSON lines
	Warn  io.Writer // what was missed

	// Forwards, when set, holds each line back until its delivery's
	// forward has a result, so the line carries it; lines still come out
	// in arrival order. nil prints each line at once.
	Forwards Forwards
}

// Tailer prints a store's deliveries as JSON lines (NDJSON), in sequence
// order, from the oldest stored on.
type Tailer struct {
	cfg      Tail
	store    *store.Store
	follower *store.Follower
	held     []*store.Event // taken and wanted, not printed yet
	shown    uint64         // the forwarder's Missed, as last reported
}

// NewTailer starts following st. Call Close when done.
func NewTailer(st *store.Store, cfg Tail) *Tailer {
	f := st.Follow(0)
	f.LimitBatches(tailBatch)
	return &Tailer{cfg: cfg, store: st, follower: f}
}

// tailBatch bounds the deliveries tail takes at once: after a burst, a
// whole store's worth held by one batch would stay alive after the store
// evicted it, and push the process past --max-memory.
const tailBatch = 64

// Run prints deliveries as they are stored until ctx ends, then returns
// nil, or until a line cannot be written. Call Flush after the receiver
// and the forwarder have stopped, to print the rest.
func (t *Tailer) Run(ctx context.Context) error {
	var wake <-chan struct{}
	if t.cfg.Forwards != nil {
		wake = t.cfg.Forwards.Forwarded()
	}
	return t.follower.Run(ctx, wake, t.drain)
}

// drain takes in a batch and prints what is ready.
func (t *Tailer) drain(b store.Batch) error {
	t.take(b)
	return t.print(false)
}

// Flush prints every delivery not printed yet, forward result or not: once
// the forwarder has stopped, none will come.
func (t *Tailer) Flush() error {
	t.take(t.follower.Take())
	return t.print(true)
}

// Close stops following the store.
func (t *Tailer) Close() { t.follower.Close() }

func (t *Tailer) take(b store.Batch) {
	warnMissed(t.cfg.Warn, b.Missed, "tail could print them")
	for _, ev := range b.Events {
		if t.cfg.Match.wants(ev.EventType()) {
			t.held = append(t.held, ev)
		}
	}
	if t.cfg.Forwards != nil {
		if missed := t.cfg.Forwards.Missed(); missed > t.shown {
			fmt.Fprintf(t.cfg.Warn, "extend-inspect: %s evicted from memory before their forward, and not sent to the app; raise --capacity or --max-memory\n", deliveries(missed-t.shown, "was", "were"))
			t.shown = missed
		}
	}
}

// print writes the held lines in order, up to the first that still waits
// for its forward (all of them when final).
func (t *Tailer) print(final bool) error {
	for len(t.held) > 0 {
		ev := t.held[0]
		if !final && t.awaitsForward(ev) {
			return nil
		}
		t.held[0] = nil // the store, not this slice, decides how long an event lives
		t.held = t.held[1:]
		line, err := ev.MarshalLine()
		if err != nil {
			return err
		}
		if _, err := t.cfg.Out.Write(line); err != nil {
			return fmt.Errorf("write delivery %d: %w", ev.Seq, err)
		}
	}
	return nil
}

// awaitsForward reports whether ev's line waits for its forward result:
// deliveries are forwarded, ev has no result yet, and the store still
// holds it, so its turn may come. One evicted first never gets a result
// (the forwarder counts it as missed) and is printed without one.
func (t *Tailer) awaitsForward(ev *store.Event) bool {
	if t.cfg.Forwards == nil || ev.Forward() != nil {
		return false
	}
	_, stored := t.store.Get(ev.Seq)
	return stored
}
