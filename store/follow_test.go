package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestFollowerTakesInOrderAndCountsMissed(t *testing.T) {
	st := New(3, 0)
	f := st.Follow(0)
	defer f.Close()
	for range 5 {
		st.Append(&Event{})
	}
	b := f.Take()
	if b.Missed != 2 || len(b.Events) != 3 || b.Events[0].Seq != 3 || b.Last() != 5 {
		t.Fatalf("got missed %d, %d events from %v", b.Missed, len(b.Events), b.Events)
	}
	if b := f.Take(); b.Missed != 0 || len(b.Events) != 0 {
		t.Fatalf("second take: %+v", b)
	}
	for range 4 {
		st.Append(&Event{})
	}
	if b := f.Take(); b.Missed != 1 || b.Events[0].Seq != 7 {
		t.Fatalf("after wrap: missed %d first %d", b.Missed, b.Events[0].Seq)
	}
}

func TestFollowerRunDrainsOnStop(t *testing.T) {
	st := New(10, 0)
	f := st.Follow(0)
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	seen := 0
	done := make(chan error)
	go func() {
		done <- f.Run(ctx, nil, func(b Batch) error { seen += len(b.Events); return nil })
	}()
	for range 4 {
		st.Append(&Event{})
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if seen != 4 {
		t.Fatalf("saw %d of 4", seen)
	}
}

func TestFollowerRunStopsOnError(t *testing.T) {
	st := New(10, 0)
	f := st.Follow(0)
	defer f.Close()
	boom := errors.New("boom")
	st.Append(&Event{})
	err := f.Run(context.Background(), nil, func(Batch) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
}

func TestFollowerWaitHonoursContext(t *testing.T) {
	st := New(10, 0)
	f := st.Follow(st.Last())
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	st.Append(&Event{})
	if err := f.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestFollowerTakeUpToLeavesTheRestInTheStore(t *testing.T) {
	st := New(4, 0)
	f := st.Follow(0)
	defer f.Close()
	for range 3 {
		st.Append(&Event{})
	}
	if b := f.TakeUpTo(2); len(b.Events) != 2 || b.Last() != 2 || b.Missed != 0 {
		t.Fatalf("first take: %d events up to %d, missed %d", len(b.Events), b.Last(), b.Missed)
	}
	for range 4 {
		st.Append(&Event{}) // seq 4..7; 3 is evicted before it was taken
	}
	if b := f.TakeUpTo(1); b.Missed != 1 || b.Last() != 4 {
		t.Fatalf("after eviction: missed %d, took up to %d", b.Missed, b.Last())
	}
	if b := f.TakeUpTo(0); len(b.Events) != 0 || b.Missed != 0 || f.After() != 4 {
		t.Fatalf("take of none: %+v, after %d", b, f.After())
	}
	if b := f.Take(); len(b.Events) != 3 || b.Last() != 7 {
		t.Fatalf("the rest: %d events up to %d", len(b.Events), b.Last())
	}
}

func TestFollowerRunLimitsBatches(t *testing.T) {
	st := New(100, 0)
	f := st.Follow(0)
	defer f.Close()
	f.LimitBatches(4)
	for range 10 {
		st.Append(&Event{})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var sizes []int
	keep := func(b Batch) error {
		if len(b.Events) > 0 { // a wake-up already handled leaves an empty batch
			sizes = append(sizes, len(b.Events))
		}
		return nil
	}
	if err := f.Run(ctx, nil, keep); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[4 4 2]" {
		t.Fatalf("batches of %v, want [4 4 2]", sizes)
	}
}

// A follower that starts after events were stored is woken for them: tail
// starts following after its readiness line, and a delivery that arrives
// in between must still be printed without waiting for the next one.
func TestFollowerSeesWhatWasStoredBeforeIt(t *testing.T) {
	st := New(10, 0)
	st.Append(&Event{})
	f := st.Follow(0)
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.Wait(ctx); err != nil {
		t.Fatalf("not woken for the event stored before it: %v", err)
	}
	if b := f.Take(); len(b.Events) != 1 {
		t.Fatalf("took %d events, want 1", len(b.Events))
	}
	if g := st.Follow(st.Last()); len(g.Changed()) != 0 {
		t.Fatal("a follower with nothing to read starts woken")
	}
}
