package store

import (
	"maps"
	"math"
	"sync"
	"sync/atomic"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Defaults for the two bounds.
const (
	DefaultCapacity  = 10_000
	DefaultMaxMemory = 512 << 20
)

// Store is a bounded ring buffer of events, safe for concurrent use. Appends
// never block on readers: they take the lock only to link the event in, and
// wake subscribers without waiting for them.
type Store struct {
	mu       sync.RWMutex
	ring     []*Event // ring[pos % len(ring)] for the live positions; see grow
	capacity int      // the count bound, which the ring grows to
	first    uint64   // oldest live position; first > last when empty
	last     uint64   // newest position: how many events were ever appended
	lastSeq  uint64   // newest sequence number assigned
	seqs     seqIndex // sequence number -> position
	bytes    int64
	maxBytes int64
	stats    Stats
	ids      map[string]*delivery
	runs     *RunIndex
	subs     map[chan struct{}]struct{}

	forwardSubs map[chan struct{}]struct{} // see forwarded.go
	forwards    atomic.Uint64
	fetches     atomic.Uint64 // see fetched.go
}

// delivery tracks the deliveries of one eventId that are still stored.
type delivery struct {
	first    uint64 // seq of the first delivery
	attempts int    // deliveries seen
	live     int    // deliveries still in the store
}

// Stats are the counters a store keeps as events come and go. The per-kind
// counts describe the events stored now; the totals count every delivery
// ever received.
type Stats struct {
	Received       uint64 // every delivery appended, rejected ones included
	Evicted        uint64 // pushed out by a bound
	Rejected       uint64 // refused with a status, e.g. 413
	Stored         int    // events in the store now
	Bytes          int64  // their estimated footprint
	ByCategory     [len(extend.Categories)]int
	ByVerification [len(extend.Verifications)]int
	ByType         map[string]int
}

// New returns a store bounded by count and by bytes; a bound of zero or less
// takes the default.
func New(capacity int, maxBytes int64) *Store {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxMemory
	}
	return &Store{
		ring:     make([]*Event, min(capacity, firstRing)),
		capacity: capacity,
		first:    1,
		maxBytes: maxBytes,
		stats:    Stats{ByType: map[string]int{}},
		ids:      map[string]*delivery{},
		runs:     NewRunIndex(),
		subs:     map[chan struct{}]struct{}{},

		forwardSubs: map[chan struct{}]struct{}{},
	}
}

// Capacity is the count bound.
func (s *Store) Capacity() int { return s.capacity }

// firstRing is the ring a store starts with. It doubles as events come, up
// to the capacity: `open`'s bound of a million would otherwise cost 8 MB
// for a session of a thousand events.
const firstRing = 1024

// Append stores ev, assigning its Seq, DuplicateOf and Attempt, evicting the
// oldest events as the bounds require, and wakes every subscriber. It
// returns the assigned sequence number.
func (s *Store) Append(ev *Event) uint64 { return s.add(ev, false) }

// add stores ev as Append does, or, when recorded, as AppendRecorded does.
func (s *Store) add(ev *Event, recorded bool) uint64 {
	s.mu.Lock()
	if recorded && ev.Seq > s.lastSeq && ev.Attempt > 0 {
		s.keepAttempt(ev)
	} else {
		ev.Seq = s.lastSeq + 1
		s.markAttempt(ev)
	}
	s.link(ev)
	s.mu.Unlock()
	s.notify()
	return ev.Seq
}

// link stores ev, numbered after every stored event, at the next position.
func (s *Store) link(ev *Event) {
	ev.store.Store(s)
	s.last++
	s.seqs.add(s.last, ev.Seq, s.lastSeq)
	s.lastSeq = ev.Seq
	s.makeRoom(ev.footprint())
	if s.last-s.first >= uint64(len(s.ring)) {
		s.grow()
	}
	s.ring[s.last%uint64(len(s.ring))] = ev
	s.runs.Add(ev)
	s.joinFetched(ev) // one restored from a session file
	s.count(ev, +1)
	s.stats.Received++
	if ev.Rejected() != "" {
		s.stats.Rejected++
	}
}

func (s *Store) markAttempt(ev *Event) {
	id := ev.Envelope.EventID
	ev.Attempt = 1
	ev.SetDuplicateOf(0)
	if id == "" || ev.ReplayOf() != 0 { // a replay is ours, not another attempt of Extend's
		return
	}
	d := s.ids[id]
	if d == nil {
		s.ids[id] = &delivery{first: ev.Seq, attempts: 1, live: 1}
		return
	}
	d.attempts++
	d.live++
	ev.Attempt = int32(d.attempts)
	ev.SetDuplicateOf(d.first)
}

// makeRoom evicts the oldest events until one of size more fits both bounds.
func (s *Store) makeRoom(size int64) {
	for s.first < s.last && (s.last-s.first >= uint64(s.capacity) || s.bytes+size > s.maxBytes) {
		s.evictOldest()
	}
	s.bytes += size
}

// grow doubles the ring (up to the capacity) for one more live event,
// moving the live ones to their places in it.
func (s *Store) grow() {
	ring := make([]*Event, min(2*len(s.ring), s.capacity))
	for q := s.first; q < s.last; q++ {
		ring[q%uint64(len(ring))] = s.ring[q%uint64(len(s.ring))]
	}
	s.ring = ring
}

func (s *Store) evictOldest() {
	i := s.first % uint64(len(s.ring))
	ev := s.ring[i]
	s.ring[i] = nil
	s.first++
	s.bytes -= ev.footprint()
	s.runs.Evict(ev)
	s.count(ev, -1)
	s.stats.Evicted++
	if d := s.ids[ev.Envelope.EventID]; d != nil {
		if d.live--; d.live == 0 {
			delete(s.ids, ev.Envelope.EventID)
		}
	}
}

func (s *Store) count(ev *Event, delta int) {
	s.stats.Stored += delta
	s.stats.ByCategory[ev.Category] += delta
	s.stats.ByVerification[verificationIndex(ev.Verification.Outcome)] += delta
	t := ev.Envelope.EventType
	if s.stats.ByType[t] += delta; s.stats.ByType[t] == 0 {
		delete(s.stats.ByType, t)
	}
}

func verificationIndex(v extend.Verification) int {
	for i, w := range extend.Verifications {
		if w == v {
			return i
		}
	}
	return 0
}

// CountVerification reads the count of one outcome from s.ByVerification.
func (st Stats) CountVerification(v extend.Verification) int {
	return st.ByVerification[verificationIndex(v)]
}

// Stats returns a copy of the counters.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.stats
	st.Bytes = s.bytes
	st.ByType = maps.Clone(s.stats.ByType)
	return st
}

// Since returns the stored events with a sequence number after seq, oldest
// first, and how many of those were evicted before this call could read
// them.
func (s *Store) Since(seq uint64) (events []*Event, missed uint64) {
	return s.since(seq, math.MaxInt)
}

// since is Since for at most limit events, the oldest.
func (s *Store) since(seq uint64, limit int) (events []*Event, missed uint64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	next := s.seqs.upTo(seq, s.last) + 1 // the position of the first event after seq
	from := max(next, s.first)
	missed = from - next
	if from > s.last || limit <= 0 {
		return nil, missed
	}
	to := min(s.last, from+uint64(limit)-1)
	events = make([]*Event, 0, to-from+1)
	for q := from; q <= to; q++ {
		events = append(events, s.ring[q%uint64(len(s.ring))])
	}
	return events, missed
}

// All returns every stored event, oldest first.
func (s *Store) All() []*Event {
	events, _ := s.Since(0)
	return events
}

// Get returns the event with sequence number seq, if it is still stored.
func (s *Store) Get(seq uint64) (*Event, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.get(seq)
}

// get is Get for a caller that holds s.mu.
func (s *Store) get(seq uint64) (*Event, bool) {
	pos := s.seqs.upTo(seq, s.last)
	if pos < s.first || pos == 0 {
		return nil, false
	}
	ev := s.ring[pos%uint64(len(s.ring))]
	if ev.Seq != seq { // a number in a gap of a reopened session
		return nil, false
	}
	return ev, true
}

// Attempts returns how many deliveries of eventID the store has seen while
// at least one of them was still stored.
func (s *Store) Attempts(eventID string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if d := s.ids[eventID]; d != nil {
		return d.attempts
	}
	return 0
}

// Last returns the newest sequence number assigned, 0 before any append.
func (s *Store) Last() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastSeq
}

// Subscribe returns a channel that receives a value after appends. It has a
// capacity of one, so a burst of appends leaves a single wake-up waiting: the
// reader wakes once and takes everything new with Since. Call the returned
// function to stop.
func (s *Store) Subscribe() (<-chan struct{}, func()) {
	return s.subscribe(s.subs, nil)
}

// subscribe adds a wake-up channel to subs. pending, when given, is asked
// under the lock whether the subscriber has something to read already; if
// so the channel starts signalled, so nothing appended before it subscribed
// waits for the next append to be seen.
func (s *Store) subscribe(subs map[chan struct{}]struct{}, pending func() bool) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	subs[ch] = struct{}{}
	if pending != nil && pending() {
		ch <- struct{}{}
	}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(subs, ch)
		s.mu.Unlock()
	}
}

func (s *Store) notify() { s.wake(s.subs) }

// wake signals every channel of subs without waiting.
func (s *Store) wake(subs map[chan struct{}]struct{}) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for ch := range subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
