package ui

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
	"github.com/extend-inspect/extend-inspect/ui/search"
)

// filters are the cheap predicates the list applies after the text filter.
// All of them combine: an event is shown when it passes every one.
type filters struct {
	types       map[string]bool // eventTypes to show; empty shows every type
	failures    bool            // only failed, rejected and cancelled events
	unverified  bool            // only events whose signature is not verified
	oneCategory bool            // only the events of category
	category    extend.Category
}

func (f filters) pass(it *item) bool {
	switch {
	case f.failures && !it.failure:
		return false
	case f.unverified && it.verified:
		return false
	case f.oneCategory && it.category != f.category:
		return false
	case len(f.types) > 0 && !f.types[it.ev.Envelope.EventType]:
		return false
	}
	return true
}

// labels describes the active filters for the header, in a fixed order.
func (f filters) labels() []string {
	var out []string
	if f.oneCategory {
		out = append(out, "category "+f.category.String())
	}
	switch n := len(f.types); {
	case n == 1:
		for t := range f.types {
			out = append(out, "type "+typeLabel(t))
		}
	case n > 1:
		names := make([]string, 0, n)
		for t := range f.types {
			names = append(names, typeLabel(t))
		}
		slices.Sort(names)
		out = append(out, fmt.Sprintf("%d types (%s)", n, strings.Join(names, ", ")))
	}
	if f.failures {
		out = append(out, "failures only")
	}
	if f.unverified {
		out = append(out, "unverified only")
	}
	return out
}

// typeLabel names an event type in the picker and the header; deliveries
// without one are filtered under the empty name.
func typeLabel(t string) string {
	if t == "" {
		return "(no eventType)"
	}
	return sanitize.Text(t)
}

// hit is an event the text filter matched, and where: a later, longer query
// that starts with this one cannot match earlier (see search.Matcher.Find).
type hit struct {
	it *item
	at int
}

// textResult is the outcome of one query over the events up to seq upto.
type textResult struct {
	query *search.Query
	hits  []hit
	upto  uint64
}

// textFilter is the live text filter. It keeps the results of recent
// queries, so typing a character narrows the previous result instead of
// scanning every event again, and backspace returns to a result already
// known; each result is brought up to date with the events that arrived
// since it was computed.
//
// A search over more than asyncSearchMin candidates runs in commands, one
// slice of candidates each, newest first: the first slice is small, so the
// newest matches (what a following list shows) are on screen a few
// milliseconds after the key, and the older ones stream in behind them
// with the count growing and the header showing how far the search has
// got. A new query stops the search it replaces at its next slice.
type textFilter struct {
	cur     *textResult // the result shown; nil when there is no text filter
	recent  []*textResult
	pending *searchJob // the search still running, if any
	gen     uint64     // counts queries; a result for an older one is dropped
}

func (tf *textFilter) active() bool { return tf.cur != nil }

// text is the query as typed, searched for or still being searched for.
func (tf *textFilter) text() string {
	switch {
	case tf.pending != nil:
		return tf.pending.q.Text()
	case tf.cur != nil:
		return tf.cur.query.Text()
	}
	return ""
}

// progress is how much of a running search is done, in percent; ok is
// false when none is running.
func (tf *textFilter) progress() (percent int, ok bool) {
	j := tf.pending
	if j == nil {
		return 0, false
	}
	return 100 * (j.size() - j.left) / max(1, j.size()), true
}

// admit tests an arriving event against the current query.
func (tf *textFilter) admit(it *item) bool {
	if tf.cur == nil {
		return true
	}
	tf.cur.upto = it.seq
	if at := it.text.Find(tf.cur.query, 0); at >= 0 {
		tf.cur.hits = append(tf.cur.hits, hit{it, at})
		return true
	}
	return false
}

// set changes the query, searching as little as it can. It returns a
// command when the search is too large to run in Update.
func (tf *textFilter) set(text string, items []*item) tea.Cmd {
	if text == tf.text() {
		return nil
	}
	tf.gen++
	partial := tf.stop()
	if tf.cur != nil && !partial {
		tf.remember(tf.cur)
	}
	if text == "" {
		tf.cur = nil
		return nil
	}
	q := search.NewQuery(text)
	if r := tf.lookup(q.Key()); r != nil {
		tf.cur = tf.refresh(r, items)
		tf.cur.query = q
		return nil
	}
	job := newSearchJob(q, tf.base(q), items)
	if job.size() < asyncSearchMin {
		tf.cur = &textResult{query: q, hits: job.find(0, job.size()), upto: job.upto}
		return nil
	}
	tf.pending = job
	return job.next(tf.gen, firstSearchSlice)
}

// stop cancels the running search, if any, and reports whether the result
// shown is that search's partial one.
func (tf *textFilter) stop() bool {
	j := tf.pending
	if j == nil {
		return false
	}
	j.stopped.Store(true)
	tf.pending = nil
	return j.shown
}

// finish takes one slice of a search run in commands, and returns the
// command that searches the next slice, if any. It reports false for a
// slice of a query no longer wanted.
func (tf *textFilter) finish(msg textSearchMsg, items []*item) (tea.Cmd, bool) {
	j := tf.pending
	if msg.gen != tf.gen || j == nil || msg.job != j {
		return nil, false
	}
	if !j.shown {
		j.shown = true
		tf.cur = &textResult{query: j.q, upto: j.upto}
	}
	// Slices come newest first: each one goes before what is shown, and
	// arrivals since the search began after it.
	tf.cur.hits = append(msg.hits, tf.cur.hits...)
	tf.cur = tf.refresh(tf.cur, items)
	if len(items) > 0 {
		trimResult(tf.cur, items[0].seq)
	}
	j.left = msg.from
	if j.left == 0 {
		tf.pending = nil
		return nil, true
	}
	j.slice = min(maxSearchSlice, 4*j.slice)
	return j.next(tf.gen, j.slice), true
}

// searchJob is a search with its own copies of what it reads, so it can run
// in commands while Update goes on changing the list. Update and the
// commands take turns with it: a command searches one slice, and Update,
// once it has taken the slice, starts the next. Only Update changes it;
// commands read only what never changes once it is made.
type searchJob struct {
	q       *search.Query
	base    []hit   // candidates narrowed from an earlier result, in seq order
	rest    []*item // the events after the base's, in seq order
	resume  bool    // the base's positions are lower bounds for q
	upto    uint64
	stopped atomic.Bool

	left  int  // the first left candidates (base, then rest) are still to search
	slice int  // the size of the slice in flight
	shown bool // its first slice is the result on screen
}

// textSearchMsg carries one slice of a search run in commands.
type textSearchMsg struct {
	gen  uint64
	job  *searchJob
	hits []hit // the matches among the candidates from from on, in seq order
	from int
}

// newSearchJob copies what the search reads: Update goes on appending to
// and clearing the list's slices while the commands run.
func newSearchJob(q *search.Query, base *textResult, items []*item) *searchJob {
	j := &searchJob{q: q, slice: firstSearchSlice}
	var after uint64
	if base != nil {
		j.base = slices.Clone(base.hits)
		j.resume = q.Extends(base.query)
		after = base.upto
	}
	j.rest = slices.Clone(itemsAfter(items, after))
	j.left = j.size()
	if len(items) > 0 {
		j.upto = items[len(items)-1].seq
	}
	return j
}

func (j *searchJob) size() int { return len(j.base) + len(j.rest) }

// next is the command that searches the newest n candidates still to
// search.
func (j *searchJob) next(gen uint64, n int) tea.Cmd {
	lo, hi := max(0, j.left-n), j.left
	return func() tea.Msg {
		if j.stopped.Load() {
			return textSearchMsg{gen: gen}
		}
		return textSearchMsg{gen: gen, job: j, hits: j.find(lo, hi), from: lo}
	}
}

// find searches the candidates [lo, hi): base ones, then the rest.
func (j *searchJob) find(lo, hi int) []hit {
	b := len(j.base)
	hits := findAll(j.q, j.base[min(lo, b):min(hi, b)], nil, j.resume, &j.stopped)
	return append(hits, findAll(j.q, nil, j.rest[max(lo, b)-b:max(hi, b)-b], false, &j.stopped)...)
}

// base finds the best earlier result to narrow: one whose query is part of
// q (its hits include every match of q), preferring the longest.
func (tf *textFilter) base(q *search.Query) *textResult {
	var best *textResult
	for _, r := range tf.recent {
		if q.Narrows(r.query) && (best == nil || len(r.query.Key()) > len(best.query.Key())) {
			best = r
		}
	}
	return best
}

// findAll returns the candidates q matches, in order: earlier hits to
// narrow or items never searched (one of the two is empty). Large searches
// are split across the processors: the search texts are immutable, so the
// workers share them without locks.
func findAll(q *search.Query, hits []hit, items []*item, resume bool, stopped *atomic.Bool) []hit {
	n := len(hits) + len(items)
	workers := min(runtime.GOMAXPROCS(0), 4, 1+n/parallelSearchMin)
	if workers <= 1 {
		return findSome(q, hits, items, resume, stopped)
	}
	parts := make([][]hit, workers)
	var wg sync.WaitGroup
	size := (n + workers - 1) / workers
	part := func(w, length int) (lo, hi int) { return min(length, w*size), min(length, (w+1)*size) }
	for w := range workers {
		hl, hh := part(w, len(hits))
		il, ih := part(w, len(items))
		wg.Go(func() { parts[w] = findSome(q, hits[hl:hh], items[il:ih], resume, stopped) })
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// findSome searches on one goroutine, giving up (with a result no one will
// read) once the search is stopped.
func findSome(q *search.Query, hits []hit, items []*item, resume bool, stopped *atomic.Bool) []hit {
	out := make([]hit, 0, (len(hits)+len(items))/4)
	m := search.NewMatcher(q)
	try := func(i int, it *item, from int) bool {
		if i%stopCheckEvery == 0 && stopped.Load() {
			return false
		}
		if at := m.Find(&it.text, from); at >= 0 {
			out = append(out, hit{it, at})
		}
		return true
	}
	for i, h := range hits {
		from := 0
		if resume {
			from = h.at
		}
		if !try(i, h.it, from) {
			return out
		}
	}
	for i, it := range items {
		if !try(i, it, 0) {
			return out
		}
	}
	return out
}

// refresh brings a remembered result up to date with later arrivals.
func (tf *textFilter) refresh(r *textResult, items []*item) *textResult {
	m := search.NewMatcher(r.query)
	for _, it := range itemsAfter(items, r.upto) {
		if at := m.Find(&it.text, 0); at >= 0 {
			r.hits = append(r.hits, hit{it, at})
		}
		r.upto = it.seq
	}
	return r
}

func (tf *textFilter) lookup(key string) *textResult {
	for i, r := range tf.recent {
		if r.query.Key() == key {
			tf.recent = slices.Delete(tf.recent, i, i+1)
			return r
		}
	}
	return nil
}

func (tf *textFilter) remember(r *textResult) {
	tf.lookup(r.query.Key()) // drop an older copy
	tf.recent = append(tf.recent, r)
	if len(tf.recent) > textCacheSize {
		tf.recent = slices.Delete(tf.recent, 0, 1)
	}
}

// evict forgets the events before seq first in every result.
func (tf *textFilter) evict(first uint64) {
	if tf.cur != nil {
		trimResult(tf.cur, first)
	}
	for _, r := range tf.recent {
		trimResult(r, first)
	}
}

func trimResult(r *textResult, first uint64) {
	n, _ := slices.BinarySearchFunc(r.hits, first, func(h hit, seq uint64) int { return cmpSeq(h.it.seq, seq) })
	clear(r.hits[:n])
	r.hits = r.hits[n:]
}

// itemsAfter returns the items with a sequence number above seq.
func itemsAfter(items []*item, seq uint64) []*item {
	n, _ := slices.BinarySearchFunc(items, seq+1, func(it *item, s uint64) int { return cmpSeq(it.seq, s) })
	return items[n:]
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
