package store

import (
	"fmt"
	"testing"
)

// recorded is a delivery as a session file holds it: numbered already.
func recorded(seq uint64, id string, attempt int32, duplicateOf uint64) *Event {
	ev := newDelivery(id, "workflow_run.completed")
	ev.Seq, ev.Attempt = seq, attempt
	ev.SetDuplicateOf(duplicateOf)
	return ev
}

func seqsOf(events []*Event) []uint64 {
	seqs := make([]uint64, len(events))
	for i, ev := range events {
		seqs[i] = ev.Seq
	}
	return seqs
}

// A reopened session keeps its numbers, gaps and all; the store reads them
// back by number and numbers new deliveries after them.
func TestAppendRecordedKeepsTheNumbers(t *testing.T) {
	s := New(10, 0)
	for _, ev := range []*Event{recorded(5, "evt_1", 1, 0), recorded(9, "evt_1", 2, 5), recorded(13, "evt_1", 3, 5)} {
		if got := s.AppendRecorded(ev); got != ev.Seq {
			t.Fatalf("AppendRecorded renumbered #%d as %d", ev.Seq, got)
		}
	}
	events, missed := s.Since(0)
	if fmt.Sprint(seqsOf(events)) != "[5 9 13]" || missed != 0 {
		t.Fatalf("Since(0) = %v, missed %d", seqsOf(events), missed)
	}
	if last := events[2]; last.Attempt != 3 || last.DuplicateOf() != 5 {
		t.Errorf("#13: attempt %d, duplicate of %d; want 3 and 5", last.Attempt, last.DuplicateOf())
	}
	for seq, want := range map[uint64]bool{5: true, 6: false, 9: true, 12: false, 13: true, 14: false} {
		if ev, ok := s.Get(seq); ok != want || ok && ev.Seq != seq {
			t.Errorf("Get(%d) = %v, %v", seq, ev, ok)
		}
	}
	if events, missed := s.Since(6); fmt.Sprint(seqsOf(events)) != "[9 13]" || missed != 0 {
		t.Errorf("Since(6) = %v, missed %d", seqsOf(events), missed)
	}
	next := newDelivery("evt_1", "workflow_run.completed")
	if seq := s.Append(next); seq != 14 || next.Attempt != 4 || next.DuplicateOf() != 5 || s.Last() != 14 {
		t.Errorf("the next delivery: seq %d, attempt %d, duplicate of %d", seq, next.Attempt, next.DuplicateOf())
	}
}

// Eviction counts events, not numbers: a gap is not a missed delivery.
func TestAppendRecordedGapsAreNotMissed(t *testing.T) {
	s := New(2, 0)
	for _, seq := range []uint64{5, 9, 13} {
		s.AppendRecorded(recorded(seq, fmt.Sprint("e", seq), 1, 0))
	}
	if events, missed := s.Since(0); fmt.Sprint(seqsOf(events)) != "[9 13]" || missed != 1 {
		t.Errorf("Since(0) = %v, missed %d; want [9 13], 1", seqsOf(events), missed)
	}
	if events, missed := s.Since(5); len(events) != 2 || missed != 0 {
		t.Errorf("Since(5) = %v, missed %d", seqsOf(events), missed)
	}
	if st := s.Stats(); st.Stored != 2 || st.Evicted != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// A number that is not after the newest (files joined, or none recorded)
// is given the next one, with its attempts counted afresh.
func TestAppendRecordedRenumbersWhatGoesBack(t *testing.T) {
	s := New(10, 0)
	s.AppendRecorded(recorded(7, "evt_1", 1, 0))
	back := recorded(3, "evt_1", 1, 0)
	none := recorded(0, "evt_2", 0, 0)
	s.AppendRecorded(back)
	s.AppendRecorded(none)
	if back.Seq != 8 || back.Attempt != 2 || back.DuplicateOf() != 7 || none.Seq != 9 || none.Attempt != 1 {
		t.Errorf("renumbered: #%d attempt %d dup %d, #%d attempt %d", back.Seq, back.Attempt, back.DuplicateOf(), none.Seq, none.Attempt)
	}
}
