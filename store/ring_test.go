package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
)

func newDelivery(id, typ string) *Event {
	ev := &Event{Method: "POST", Path: "/", Status: 200}
	ev.SetBody(fmt.Appendf(nil, `{"eventId":%q,"eventType":%q,"payload":{"object":"x","id":"y"}}`, id, typ))
	ev.Classify()
	return ev
}

func TestAppendAssignsSequenceAndCounts(t *testing.T) {
	s := New(10, 0)
	for i := range 3 {
		s.Append(newDelivery(fmt.Sprint("e", i), "workflow_run.completed"))
	}
	s.Append(newDelivery("e9", "extract_run.failed"))
	st := s.Stats()
	if st.Stored != 4 || st.Received != 4 || st.Evicted != 0 {
		t.Fatalf("stats = %+v", st)
	}
	if st.ByCategory[extend.CategoryWorkflow] != 3 || st.ByCategory[extend.CategoryProcessorRun] != 1 {
		t.Errorf("by category = %v", st.ByCategory)
	}
	if st.ByType["workflow_run.completed"] != 3 || st.CountVerification(extend.Unchecked) != 4 {
		t.Errorf("by type = %v, by verification = %v", st.ByType, st.ByVerification)
	}
	if ev, ok := s.Get(4); !ok || ev.EventType() != "extract_run.failed" {
		t.Errorf("Get(4) = %v, %v", ev, ok)
	}
}

func TestEvictionByCount(t *testing.T) {
	s := New(3, 0)
	for i := range 5 {
		s.Append(newDelivery(fmt.Sprint("e", i), "workflow.created"))
	}
	events, missed := s.Since(0)
	if len(events) != 3 || events[0].Seq != 3 || missed != 2 {
		t.Fatalf("Since(0) = %d events from %d, missed %d", len(events), events[0].Seq, missed)
	}
	if st := s.Stats(); st.Evicted != 2 || st.Stored != 3 || st.ByType["workflow.created"] != 3 {
		t.Errorf("stats = %+v", st)
	}
	if _, ok := s.Get(2); ok {
		t.Error("evicted event still readable")
	}
	if events, missed := s.Since(4); len(events) != 1 || missed != 0 {
		t.Errorf("Since(4) = %d, %d", len(events), missed)
	}
}

// The ring grows as events come, and holds them as a ring made at the
// capacity would: through its doublings, and once it wraps at the bound,
// after evictions by bytes made room in it first.
func TestTheRingGrowsToTheCapacity(t *testing.T) {
	for _, c := range []struct{ capacity, n, maxBytes int }{
		{firstRing + 1, 3 * firstRing, 0},
		{5 * firstRing, 3*firstRing + 7, 0},
		{3 * firstRing, 11 * firstRing, 0},
		{8 * firstRing, 9 * firstRing, 0},
		{4 * firstRing, 6 * firstRing, 1500 * 400},
	} {
		s := New(c.capacity, int64(c.maxBytes))
		for i := range c.n {
			s.Append(newDelivery(fmt.Sprint("e", i), "workflow.created"))
			if len(s.ring) > c.capacity {
				t.Fatalf("%+v: the ring grew to %d", c, len(s.ring))
			}
		}
		events, missed := s.Since(0)
		if int(missed)+len(events) != c.n || (c.maxBytes == 0 && len(events) != min(c.n, c.capacity)) {
			t.Fatalf("%+v: %d events and %d missed of %d", c, len(events), missed, c.n)
		}
		for i, ev := range events {
			if want := missed + uint64(i) + 1; ev.Seq != want {
				t.Fatalf("%+v: event %d is #%d, want #%d", c, i, ev.Seq, want)
			}
			if got, ok := s.Get(ev.Seq); !ok || got != ev {
				t.Fatalf("%+v: Get(%d) = %v, %v", c, ev.Seq, got, ok)
			}
		}
		if s.Capacity() != c.capacity {
			t.Errorf("Capacity() = %d, want %d", s.Capacity(), c.capacity)
		}
	}
}

func TestEvictionByBytes(t *testing.T) {
	ev := newDelivery("a0", "x.y")
	s := New(100, 3*ev.footprint())
	for i := range 10 {
		s.Append(newDelivery(fmt.Sprint("a", i), "x.y"))
	}
	st := s.Stats()
	if st.Stored != 3 || st.Evicted != 7 || st.Bytes > 3*ev.footprint() {
		t.Errorf("stats = %+v", st)
	}
}

func TestOversizeEventStillStored(t *testing.T) {
	s := New(10, 100)
	s.Append(newDelivery("a", "x.y"))
	s.Append(newDelivery("b", "x.y"))
	if st := s.Stats(); st.Stored != 1 || st.Evicted != 1 {
		t.Errorf("an event larger than the byte bound must replace the others: %+v", st)
	}
}

func TestDuplicatesAndAttempts(t *testing.T) {
	s := New(10, 0)
	s.Append(newDelivery("evt_1", "workflow_run.completed"))
	s.Append(newDelivery("evt_2", "workflow_run.completed"))
	s.Append(newDelivery("evt_1", "workflow_run.completed"))
	third := newDelivery("evt_1", "workflow_run.completed")
	s.Append(third)
	if third.DuplicateOf() != 1 || third.Attempt != 3 {
		t.Errorf("third delivery: DuplicateOf %d, Attempt %d", third.DuplicateOf(), third.Attempt)
	}
	if first, _ := s.Get(1); first.DuplicateOf() != 0 || first.Attempt != 1 {
		t.Errorf("first delivery marked: %+v", first)
	}
	if n := s.Attempts("evt_1"); n != 3 {
		t.Errorf("Attempts = %d", n)
	}
	noID := newDelivery("", "x.y")
	s.Append(noID)
	s.Append(newDelivery("", "x.y"))
	if noID.DuplicateOf() != 0 {
		t.Error("events without an eventId are not duplicates of each other")
	}
}

func TestSubscribeCoalesces(t *testing.T) {
	s := New(10, 0)
	ch, stop := s.Subscribe()
	defer stop()
	for range 5 {
		s.Append(newDelivery("a", "x.y"))
	}
	<-ch
	select {
	case <-ch:
		t.Fatal("five appends left more than one wake-up")
	default:
	}
	stop()
	s.Append(newDelivery("b", "x.y"))
	select {
	case <-ch:
		t.Fatal("woken after unsubscribing")
	default:
	}
}

// Every acknowledged delivery is either stored or counted as evicted, exactly,
// with appends and readers racing.
func TestConcurrentAppendsAccountForEveryDelivery(t *testing.T) {
	const senders, each = 8, 2000
	s := New(1000, 0)
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() { // a reader racing the writers
		var seen uint64
		for {
			select {
			case <-done:
				return
			default:
				events, _ := s.Since(seen)
				if len(events) > 0 {
					seen = events[len(events)-1].Seq
				}
				s.Stats()
			}
		}
	}()
	acked := make([][]uint64, senders)
	for w := range senders {
		wg.Go(func() {
			for i := range each {
				acked[w] = append(acked[w], s.Append(newDelivery(fmt.Sprintf("w%d-%d", w, i), "extract_run.processed")))
			}
		})
	}
	wg.Wait()
	close(done)
	st := s.Stats()
	if st.Received != senders*each || uint64(st.Stored)+st.Evicted != senders*each || st.Stored != 1000 {
		t.Fatalf("stats = %+v", st)
	}
	stored := map[uint64]bool{}
	for _, ev := range s.All() {
		stored[ev.Seq] = true
	}
	evicted := 0
	for _, seqs := range acked {
		for _, seq := range seqs {
			if !stored[seq] {
				evicted++
			}
		}
	}
	if uint64(evicted) != st.Evicted {
		t.Errorf("%d acknowledged deliveries missing, %d counted as evicted", evicted, st.Evicted)
	}
}

func TestReplaysAreNotAttempts(t *testing.T) {
	s := New(10, 0)
	s.Append(newDelivery("evt_1", "x.y"))
	replay := newDelivery("evt_1", "x.y")
	replay.SetReplayOf(1)
	s.Append(replay)
	if replay.DuplicateOf() != 0 || replay.Attempt != 1 || s.Attempts("evt_1") != 1 {
		t.Errorf("replay counted as a retry: DuplicateOf %d, Attempt %d", replay.DuplicateOf(), replay.Attempt)
	}
}
