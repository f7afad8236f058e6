package ui

import (
	"hash/fnv"
	"io"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// runTag is a run as the list knows it: the id the store resolves its
// events to, and a count of the changes to its events the screen has seen
// (arrivals, evictions, joins), which is part of the Run view's document
// key (see liveOf), so that view is drawn again when the run grows. Items
// of one run share one tag, as the attempts of an eventId share a trail;
// the list's map finds it by id. A session may hold a tag for each of its
// events, so the counts are 32 bits (a change count that wraps is still
// unlike the one a document was drawn with), and the hue of its rows'
// marker is worked out when a row is drawn (runInk).
type runTag struct {
	id      string
	items   uint32 // items tagged with it; the tag is forgotten at 0
	changes uint32
}

// runNews is what a batch of arrivals tells of runs, read from the store in
// the feed's command: each new event's run id (as the store resolves it
// now, "" for none), and the older events whose run the batch's events
// joined to another.
type runNews struct {
	ids      []string
	rejoined []rejoin
}

// rejoin says that the events seqs belong to run id now.
type rejoin struct {
	id   string
	seqs []uint64
}

// readRuns reads the runs of a batch the store holds already. An event
// that names a run inside it, or the run it is inside of, may join runs
// (extend.Run's Contains and Within); only then are the older events of
// its run read again, once per run and batch.
func readRuns(src Source, events []*store.Event) runNews {
	news := runNews{ids: src.RunIDsOf(events)}
	if len(events) == 0 {
		return news
	}
	first, done := events[0].Seq, map[string]bool{}
	for i, ev := range events {
		r := ev.Envelope.Run
		if (r.Within == "" && len(r.Contains) == 0) || done[news.ids[i]] {
			continue
		}
		done[news.ids[i]] = true
		run := src.RunOf(ev)
		j := rejoin{id: run.ID}
		for _, old := range run.Events {
			if old.Seq < first {
				j.seqs = append(j.seqs, old.Seq)
			}
		}
		if len(j.seqs) > 0 {
			news.rejoined = append(news.rejoined, j)
		}
	}
	return news
}

// tagRuns links new arrivals to their runs' tags and moves the older items
// a batch joined to another run; it reports whether the run filter's run
// changed, which then follows its events into the run they joined.
func (l *eventList) tagRuns(news []*item, runs runNews) bool {
	for i, it := range news {
		if i < len(runs.ids) && runs.ids[i] != "" {
			l.tag(it, runs.ids[i])
		}
	}
	moved := false
	for _, j := range runs.rejoined {
		for _, seq := range j.seqs {
			it := l.find(seq)
			if it == nil || (it.run != nil && it.run.id == j.id) {
				continue
			}
			if it.run != nil && it.run.id == l.filt.run {
				l.filt.run, moved = j.id, true
			}
			l.tag(it, j.id)
		}
	}
	return moved
}

// tag puts it in run id, out of the run it was in.
func (l *eventList) tag(it *item, id string) {
	l.untag(it)
	if l.runs == nil {
		l.runs = map[string]*runTag{}
	}
	t := l.runs[id]
	if t == nil {
		t = &runTag{id: id}
		l.runs[id] = t
	}
	t.items++
	t.changes++
	it.run = t
}

func (l *eventList) untag(it *item) {
	t := it.run
	if t == nil {
		return
	}
	t.items--
	t.changes++
	if t.items == 0 {
		delete(l.runs, t.id)
	}
	it.run = nil
}

// untagBefore takes the items before seq first, about to be evicted, out of
// their runs: a run that lost its first events says so.
func (l *eventList) untagBefore(first uint64) {
	for _, it := range l.items[:len(l.items)-len(itemsAfter(l.items, first-1))] {
		l.untag(it)
	}
}

// runInk is the marker of a row's run: the rows of one run have their
// clock in the same colour of the theme, chosen by hashing the run's id, so
// one run's events stand out among the others'. A row that names no run
// keeps the plain time colour.
func runInk(k inks, it *item) ink {
	if it.run == nil {
		return k.Time
	}
	hues := [...]ink{k.Neutral, k.Heading, k.Success, k.Attention, k.Key, k.Escape}
	return hues[hueOf(it.run.id)%uint32(len(hues))]
}

// hueOf is the FNV-1a hash of a run's id, worked out for each row drawn.
func hueOf(id string) uint32 {
	h := fnv.New32a()
	io.WriteString(h, id)
	return h.Sum32()
}

// filterRun limits the list to the selected event's run, or, when it is
// limited already, shows every run again.
func (m *Model) filterRun() tea.Cmd {
	f := &m.list.filt
	if f.run != "" {
		f.run = ""
		return m.refilter()
	}
	it := m.list.sel
	switch {
	case it == nil:
		return nil
	case it.run == nil:
		m.report(noRunReason(it.ev), true)
		return nil
	}
	f.run = it.run.id
	return m.refilter()
}
