package store

import "testing"

// A forward result published on a stored event wakes forward subscribers
// and counts; one on an event not (yet) stored does neither.
func TestSetForwardWakesForwardSubscribers(t *testing.T) {
	s := New(10, 0)
	ch, stop := s.SubscribeForwards()
	defer stop()
	early := newDelivery("a", "x.y")
	early.SetForward(&Forward{Status: 200}) // a replay's result, set before it is stored
	stored := newDelivery("b", "x.y")
	s.Append(early)
	s.Append(stored)
	select {
	case <-ch:
		t.Fatal("woken by appends or by a result set before the event was stored")
	default:
	}
	stored.SetForward(&Forward{Status: 500})
	stored.SetForward(&Forward{Status: 500})
	<-ch
	select {
	case <-ch:
		t.Fatal("two results left more than one wake-up")
	default:
	}
	if n := s.ForwardCount(); n != 2 {
		t.Errorf("ForwardCount = %d, want 2", n)
	}
}
