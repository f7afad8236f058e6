package store

import (
	"context"
	"errors"
	"testing"
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
