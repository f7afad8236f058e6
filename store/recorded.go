package store

import "cmp"

// AppendRecorded stores an event read back from a session file, keeping its
// recorded Seq, DuplicateOf and Attempt, so that a reopened session shows
// the numbers it was recorded with, gaps included (5, 9, 13), and later
// deliveries are numbered after them. An event that has no number after the
// newest stored one (0, or out of order, as in two files joined), or no
// recorded Attempt (a HAR of another tool), is numbered as Append numbers
// it. It returns the sequence number the event has.
func (s *Store) AppendRecorded(ev *Event) uint64 { return s.add(ev, true) }

// keepAttempt counts a recorded delivery among its eventId's attempts
// without renumbering it, so that a later delivery of the same eventId
// continues the count.
func (s *Store) keepAttempt(ev *Event) {
	id := ev.Envelope.EventID
	if id == "" || ev.ReplayOf() != 0 {
		return
	}
	d := s.ids[id]
	if d == nil {
		d = &delivery{first: cmp.Or(ev.DuplicateOf(), ev.Seq)}
		s.ids[id] = d
	}
	d.attempts = max(d.attempts, int(ev.Attempt))
	d.live++
}
