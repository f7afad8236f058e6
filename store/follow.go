package store

import (
	"context"
	"math"
	"sync"
)

// Batch is what a follower takes in one go: the events stored since the
// last batch, oldest first, and how many were evicted before it could read
// them. Every reader must surface Missed: an event is never lost silently.
type Batch struct {
	Events []*Event
	Missed uint64
}

// Last is the sequence number of the newest event in the batch, or 0.
func (b Batch) Last() uint64 {
	if len(b.Events) == 0 {
		return 0
	}
	return b.Events[len(b.Events)-1].Seq
}

// Follower reads a store's events in sequence order from where it left off.
// It is the one way to follow a store: the screen, tail, wait, the recorder
// and the forwarder all use it. A follower is used by one goroutine at a
// time; Close may be called from any.
type Follower struct {
	store   *Store
	changed <-chan struct{}
	stop    func()
	once    sync.Once
	after   uint64 // the newest seq taken
	limit   int    // the most events Run hands over at once; 0: no limit
}

// Follow returns a follower that starts after seq (0: from the oldest event
// stored). It is woken by the store's change signal, so a burst of appends
// costs one wake-up.
func (s *Store) Follow(after uint64) *Follower {
	changed, stop := s.subscribe(s.subs, func() bool { return s.lastSeq > after })
	return &Follower{store: s, changed: changed, stop: stop, after: after}
}

// After is the sequence number of the newest event taken.
func (f *Follower) After() uint64 { return f.after }

// Changed is signalled after appends; a reader that selects on other
// channels too waits on it, then calls Take.
func (f *Follower) Changed() <-chan struct{} { return f.changed }

// Take returns everything stored since the last Take, without waiting.
func (f *Follower) Take() Batch { return f.TakeUpTo(math.MaxInt) }

// TakeUpTo is Take for at most n events, the oldest. It is for a reader
// that hands events on at its own pace, such as the forwarder: what it has
// not reached yet stays in the store, which bounds it and evicts it when
// it must (counted in a later batch's Missed), rather than in a batch the
// reader holds.
func (f *Follower) TakeUpTo(n int) Batch {
	events, missed := f.store.since(f.after, n)
	if n := len(events); n > 0 {
		f.after = events[n-1].Seq
	} else {
		f.after += missed
	}
	return Batch{Events: events, Missed: missed}
}

// Wait blocks until the store has changed since the last wake-up or ctx is
// done, and returns ctx.Err() in that case.
func (f *Follower) Wait(ctx context.Context) error {
	select {
	case <-f.changed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run calls handle with each batch until ctx is done, then once more with
// what was stored before it returned, so a reader stopped after the receiver
// has shut down sees every delivery. wake, when not nil, also wakes it (tail
// uses it for forward results). The first error from handle ends the run.
func (f *Follower) Run(ctx context.Context, wake <-chan struct{}, handle func(Batch) error) error {
	for {
		select {
		case <-f.changed:
		case <-wake:
		case <-ctx.Done():
			return f.handOver(handle)
		}
		if err := f.handOver(handle); err != nil {
			return err
		}
	}
}

// LimitBatches makes Run hand over at most n events at a time. A reader
// that holds on to a batch while it works through it (tail writing lines)
// then keeps at most n events alive that the store may already have let
// go, so the process stays within --max-memory.
func (f *Follower) LimitBatches(n int) { f.limit = n }

// handOver calls handle with what is stored, in batches of at most limit
// events, and at least once.
func (f *Follower) handOver(handle func(Batch) error) error {
	if f.limit <= 0 {
		return handle(f.Take())
	}
	for {
		b := f.TakeUpTo(f.limit)
		if err := handle(b); err != nil || len(b.Events) < f.limit {
			return err
		}
	}
}

// Close stops the follower's wake-ups.
func (f *Follower) Close() { f.once.Do(f.stop) }
