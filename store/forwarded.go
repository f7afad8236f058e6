package store

// Forward results arrive after an event is stored (the app answers later),
// so readers that keep what the screen shows, such as --record, follow them
// too: SetForward on a stored event bumps a count and wakes these
// subscribers, as Append wakes those of Subscribe.

// SubscribeForwards returns a channel that receives a value after a stored
// event's forward result, or the payload fetched from its link
// (SetFetched), is published, with a capacity of one like Subscribe's, and
// a function to stop.
func (s *Store) SubscribeForwards() (<-chan struct{}, func()) {
	return s.subscribe(s.forwardSubs, nil)
}

// ForwardCount is how many forward results have been published on stored
// events: a reader that finds it unchanged has no new result to look for.
func (s *Store) ForwardCount() uint64 { return s.forwards.Load() }

// forwarded is called by SetForward on an event of this store.
func (s *Store) forwarded() {
	s.forwards.Add(1)
	s.wake(s.forwardSubs)
}
