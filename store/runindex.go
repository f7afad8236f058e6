package store

import (
	"slices"
	"sort"
)

// RunID is the run the event names in its own payload (see extend.Run), or
// "" when it names none. The store's index may have joined that run to a
// larger one since: Store.RunOf gives the run as it stands.
func (e *Event) RunID() string { return e.Envelope.Run.ID }

// RunKind is the kind of the run the event names: workflow_run, extract_run,
// …, or "".
func (e *Event) RunKind() string { return e.Envelope.Run.Kind }

// RunEvents is one run's stored events in arrival order, and how many of its
// events the store has evicted (always its first ones: the store evicts
// oldest first).
type RunEvents struct {
	ID      string
	Kind    string
	Events  []*Event
	Evicted int
}

// RunIndex maps a run id to the events of that run, with an alias map that
// joins one run into another when an event reveals that they are one: a
// step run naming the processor run it contains, a processor run naming its
// workflow run, an older workflow run listing its step runs. An alias may
// arrive after the events it joins, so joining moves those events over.
//
// Finding a run's events costs their number, not the store's size. A
// RunIndex is not safe for concurrent use; the Store guards its own.
type RunIndex struct {
	runs  map[string]*runEntry
	alias map[string]string // a joined run's id -> the run it joined (maybe joined in turn)
	// joined lists the ids that joined a run, forgotten with it. Few runs
	// have any, so they are kept apart from runEntry, of which a session
	// may hold one for each of its events.
	joined map[string][]string
}

type runEntry struct {
	kind    string
	events  []*Event // arrival order
	evicted int
}

// NewRunIndex returns an empty index.
func NewRunIndex() *RunIndex {
	return &RunIndex{runs: map[string]*runEntry{}, alias: map[string]string{}, joined: map[string][]string{}}
}

// Add indexes ev, which must be newer than every event added before, and
// applies the joins its payload reveals.
func (x *RunIndex) Add(ev *Event) {
	r := ev.Envelope.Run
	if r.ID == "" {
		return
	}
	id := x.resolve(r.ID)
	e := x.entry(id, r.Kind)
	e.events = append(e.events, ev)
	if r.Within != "" {
		x.Join(r.ID, r.Within)
	}
	for _, c := range r.Contains {
		x.Join(c, id)
	}
}

// Evict forgets ev, the oldest event of the index.
func (x *RunIndex) Evict(ev *Event) {
	if ev.Envelope.Run.ID == "" {
		return
	}
	id := x.resolve(ev.Envelope.Run.ID)
	e := x.runs[id]
	if e == nil {
		return
	}
	if i := slices.Index(e.events, ev); i >= 0 {
		e.events = slices.Delete(e.events, i, i+1) // i is 0 but for a run joined out of order
		e.evicted++
	}
	if len(e.events) == 0 {
		for _, a := range x.joined[id] {
			delete(x.alias, a)
		}
		delete(x.joined, id)
		delete(x.runs, id)
	}
}

// Join records that run from belongs to run to, moving the events indexed
// under from. The first join of an id wins: a run belongs to one run.
func (x *RunIndex) Join(from, to string) {
	to = x.resolve(to)
	if from == "" || from == to || x.alias[from] != "" || x.resolve(to) == from {
		return
	}
	x.alias[from] = to
	target := x.entry(to, "workflow_run") // only a workflow run contains other runs
	x.joined[to] = append(x.joined[to], from)
	moved := x.runs[from]
	if moved == nil {
		return
	}
	delete(x.runs, from)
	target.events = mergeBySeq(target.events, moved.events)
	target.evicted += moved.evicted
	x.joined[to] = append(x.joined[to], x.joined[from]...)
	for _, a := range x.joined[from] {
		x.alias[a] = to
	}
	delete(x.joined, from)
}

// Run returns the events of the run id belongs to, id being the run's own
// id or any id that joined it. The slice is the caller's.
func (x *RunIndex) Run(id string) RunEvents {
	id = x.resolve(id)
	e := x.runs[id]
	if e == nil {
		return RunEvents{ID: id}
	}
	return RunEvents{ID: id, Kind: e.kind, Events: slices.Clone(e.events), Evicted: e.evicted}
}

// Runs returns every run, ordered by the arrival of their oldest stored
// event.
func (x *RunIndex) Runs() []RunEvents {
	out := make([]RunEvents, 0, len(x.runs))
	for id := range x.runs {
		out = append(out, x.Run(id))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Events[0].Seq < out[j].Events[0].Seq })
	return out
}

// resolve follows joins to the run that stands; the loop bound guards
// against a cycle that Join's checks should already prevent.
func (x *RunIndex) resolve(id string) string {
	for range 16 {
		to, ok := x.alias[id]
		if !ok {
			return id
		}
		id = to
	}
	return id
}

func (x *RunIndex) entry(id, kind string) *runEntry {
	e := x.runs[id]
	if e == nil {
		e = &runEntry{kind: kind}
		x.runs[id] = e
	}
	if e.kind != "workflow_run" && kind == "workflow_run" {
		e.kind = kind // a workflow run that an earlier step run stood for
	}
	return e
}

func mergeBySeq(a, b []*Event) []*Event {
	out := make([]*Event, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Seq < b[0].Seq {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// Run returns the stored events of the run id belongs to (its own id or any
// id that joined it), in arrival order.
func (s *Store) Run(id string) RunEvents {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.runs.Run(id)
}

// RunOf returns the stored events of ev's run as the store's index stands:
// a processor run that a step run contains, say, is part of that workflow
// run. An event that names no run gets an empty RunEvents.
func (s *Store) RunOf(ev *Event) RunEvents {
	if ev.RunID() == "" {
		return RunEvents{}
	}
	return s.Run(ev.RunID())
}

// JoinRun records that run from belongs to run to, as when a signed link's
// payload, fetched later, reveals its run.
func (s *Store) JoinRun(from, to string) {
	s.mu.Lock()
	s.runs.Join(from, to)
	s.mu.Unlock()
}

// RunIDsOf returns the id of each event's run as the index stands (what
// RunOf would name), under one lock and without copying any run's events:
// what the screen tags its rows with as a batch arrives. An event that
// names no run gets "".
func (s *Store) RunIDsOf(events []*Event) []string {
	ids := make([]string, len(events))
	s.mu.RLock()
	defer s.mu.RUnlock()
	for i, ev := range events {
		if id := ev.RunID(); id != "" {
			ids[i] = s.runs.resolve(id)
		}
	}
	return ids
}
