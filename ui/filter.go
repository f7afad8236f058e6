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
	run         string // only the events of this run (runfilter.go)
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
	case f.run != "" && (it.run == nil || it.run.id != f.run):
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
	if f.run != "" {
		out = append(out, "run "+sanitize.Text(f.run))
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
// A result streamed in by a search run in commands is partial until its
// last slice: only a whole one may be remembered, and narrowed by a
// longer query.
type textResult struct {
	query   *search.Query
	hits    []hit
	upto    uint64
	partial bool
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
	// inFile says some events' bodies are in a session file: a search then
	// always runs in commands, since reading them is I/O.
	inFile bool
	// catching is the command testing arrivals whose bodies are in a file
	// against the result shown (see admit); at most one runs at a time.
	catching *catchUp
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
	return min(99, 100*j.done/max(1, j.total)), true
}

// admit brings the result shown up to date with the events that arrived
// since it was, and returns the matches it found among them. It tests in
// Update the events whose bodies are in memory, up to the first whose body
// is in a session file; from that one on, a command tests them (catchUp),
// so that Update never reads a file, and the matches it finds come in its
// textCatchUpMsg. While that command runs, later arrivals wait for it.
func (tf *textFilter) admit(items []*item) ([]hit, tea.Cmd) {
	r := tf.cur
	if r == nil || tf.catching != nil {
		return nil, nil
	}
	n := len(r.hits)
	if tf.refresh(r, items) {
		return r.hits[n:], nil
	}
	return r.hits[n:], tf.catchUp(items)
}

// catchUp is a command testing arrivals against a result: the events
// after from, when the result was last brought up to date.
type catchUp struct {
	r       *textResult
	from    uint64
	stopped atomic.Bool // the result is no longer shown
}

// textCatchUpMsg carries what a catchUp found: the matches among the
// events up to seq upto.
type textCatchUpMsg struct {
	job  *catchUp
	hits []hit
	upto uint64
}

// catchUp starts the command that tests the arrivals after the shown
// result's upto, copied out of the list as searchJob.take does.
func (tf *textFilter) catchUp(items []*item) tea.Cmd {
	fresh := slices.Clone(itemsAfter(items, tf.cur.upto))
	if len(fresh) == 0 {
		return nil
	}
	job := &catchUp{r: tf.cur, from: tf.cur.upto}
	tf.catching = job
	q := job.r.query
	return func() tea.Msg {
		return textCatchUpMsg{job: job, hits: findAll(q, nil, fresh, false, &job.stopped), upto: fresh[len(fresh)-1].ev.Seq}
	}
}

// caughtUp takes what a catchUp found, and returns the new matches to
// show and the command testing the arrivals since, if any. Matches for a
// result no longer shown, or found by a stopped command (they may be
// partial), are dropped, and the result shown is brought up to date anew.
func (tf *textFilter) caughtUp(msg textCatchUpMsg, items []*item) ([]hit, tea.Cmd) {
	job := msg.job
	if job != tf.catching {
		return nil, nil
	}
	tf.catching = nil
	r := tf.cur
	if job.stopped.Load() || r != job.r || r.upto != job.from {
		return tf.admit(items)
	}
	n := len(r.hits)
	r.hits, r.upto = append(r.hits, msg.hits...), msg.upto
	if len(items) > 0 {
		// Events evicted while the command ran are no longer in the list.
		n -= trimResult(r, items[0].ev.Seq)
	}
	_, cmd := tf.admit(items)
	return r.hits[max(0, n):], cmd // msg.hits, then admit's
}

// show makes r the result shown, and stops the catchUp of the one before.
func (tf *textFilter) show(r *textResult) {
	if c := tf.catching; c != nil && c.r != r {
		c.stopped.Store(true)
	}
	tf.cur = r
}

// set changes the query, searching as little as it can. It returns a
// command when the search is too large to run in Update (pending is then
// set), or when arrivals since a known result must be tested (admit).
func (tf *textFilter) set(text string, items []*item) tea.Cmd {
	if text == tf.text() {
		return nil
	}
	tf.gen++
	tf.stop()
	if tf.cur != nil && !tf.cur.partial {
		tf.remember(tf.cur)
	}
	if text == "" {
		tf.show(nil)
		return nil
	}
	q := search.NewQuery(text)
	if r := tf.lookup(q.Key()); r != nil {
		tf.show(r)
		r.query = q
		_, cmd := tf.admit(items)
		return cmd
	}
	job := newSearchJob(q, tf.base(q), items)
	if job.total < asyncSearchMin && !tf.inFile {
		tf.show(&textResult{query: q, hits: job.take(items, job.total).find(), upto: job.upto})
		return nil
	}
	tf.pending = job
	return job.next(tf.gen, items)
}

// stop cancels the running search, if any.
func (tf *textFilter) stop() {
	if j := tf.pending; j != nil {
		j.stopped.Store(true)
		tf.pending = nil
	}
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
		tf.show(&textResult{query: j.q, upto: j.upto, partial: true})
	}
	// Slices come newest first: each one goes before what is shown, and
	// arrivals since the search began after it.
	tf.cur.hits = append(msg.hits, tf.cur.hits...)
	_, catch := tf.admit(items)
	j.done += msg.size
	if len(items) > 0 {
		trimResult(tf.cur, items[0].ev.Seq)
	}
	if msg.last {
		tf.pending = nil
		tf.cur.partial = false
		return catch, true
	}
	return tea.Batch(j.next(tf.gen, items), catch), true
}

// searchJob is a search run in commands, one slice of candidates at a time,
// newest first. The candidates are the hits of an earlier result (base) up
// to seq after, and then every event after it. Update owns the job: it
// copies each slice's candidates out of the list and the base (which it
// goes on changing) when it starts the command that searches them, so a
// keystroke copies a slice, not every event, and a command reads only its
// own copy and what never changes.
type searchJob struct {
	q       *search.Query
	base    *textResult // nil: every event is a candidate
	after   uint64      // the base covers the events up to after
	resume  bool        // the base's positions are lower bounds for q
	upto    uint64      // the newest event when the search began
	stopped atomic.Bool

	below uint64 // the candidates still to search are those before below
	total int    // candidates in all
	done  int    // candidates searched, their slices taken by Update
	slice int    // the size of the next slice
	shown bool   // its first slice is the result on screen
}

// textSearchMsg carries one slice of a search run in commands.
type textSearchMsg struct {
	gen  uint64
	job  *searchJob
	hits []hit // the slice's matches, in seq order
	size int   // the slice's candidates
	last bool  // no candidates are left
}

// searchSlice is one slice's copy of its candidates: base hits, then
// events, all in seq order.
type searchSlice struct {
	job   *searchJob
	hits  []hit
	items []*item
	last  bool
}

func newSearchJob(q *search.Query, base *textResult, items []*item) *searchJob {
	j := &searchJob{q: q, base: base, slice: firstSearchSlice}
	if base != nil {
		j.after = base.upto
		j.resume = q.Extends(base.query)
		j.total = len(base.hits)
	}
	j.total += len(itemsAfter(items, j.after))
	if len(items) > 0 {
		j.upto = items[len(items)-1].ev.Seq
	}
	j.below = j.upto + 1
	return j
}

// take copies the newest n candidates still to search.
func (j *searchJob) take(items []*item, n int) searchSlice {
	fresh := itemsAfter(items, j.after)
	fresh = fresh[:len(fresh)-len(itemsAfter(fresh, j.below-1))]
	sl := searchSlice{job: j, items: slices.Clone(fresh[max(0, len(fresh)-n):])}
	if j.base != nil && len(sl.items) < n {
		hits := j.base.hits
		end, _ := slices.BinarySearchFunc(hits, min(j.below, j.after+1), func(h hit, seq uint64) int { return cmpSeq(h.it.ev.Seq, seq) })
		sl.hits = slices.Clone(hits[max(0, end-(n-len(sl.items))):end])
	}
	taken := len(sl.hits) + len(sl.items)
	sl.last = taken < n
	switch {
	case len(sl.hits) > 0:
		j.below = sl.hits[0].it.ev.Seq
	case len(sl.items) > 0:
		j.below = sl.items[0].ev.Seq
	}
	return sl
}

// next starts the command that searches the next slice.
func (j *searchJob) next(gen uint64, items []*item) tea.Cmd {
	sl := j.take(items, j.slice)
	j.slice = min(maxSearchSlice, 4*j.slice)
	return func() tea.Msg {
		if j.stopped.Load() {
			return textSearchMsg{gen: gen}
		}
		return textSearchMsg{gen: gen, job: j, hits: sl.find(), size: len(sl.hits) + len(sl.items), last: sl.last}
	}
}

// find searches the slice's candidates.
func (sl searchSlice) find() []hit {
	j := sl.job
	hits := findAll(j.q, sl.hits, nil, j.resume, &j.stopped)
	return append(hits, findAll(j.q, nil, sl.items, false, &j.stopped)...)
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
	workers := min(runtime.NumCPU(), 4, 1+n/parallelSearchMin) // CPUs, not Ps: receiving runs with spare Ps
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

// refresh brings a result up to date with later arrivals whose bodies are
// in memory, and reports whether it got to the last: it stops at the first
// whose body is in a file, which only a command may read.
func (tf *textFilter) refresh(r *textResult, items []*item) bool {
	m := search.NewMatcher(r.query)
	for _, it := range itemsAfter(items, r.upto) {
		if it.ev.BodyInFile() {
			return false
		}
		if at := m.Find(&it.text, 0); at >= 0 {
			r.hits = append(r.hits, hit{it, at})
		}
		r.upto = it.ev.Seq
	}
	return true
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

// trimResult drops the hits before seq first, and returns how many.
func trimResult(r *textResult, first uint64) int {
	n, _ := slices.BinarySearchFunc(r.hits, first, func(h hit, seq uint64) int { return cmpSeq(h.it.ev.Seq, seq) })
	clear(r.hits[:n])
	r.hits = r.hits[n:]
	return n
}

// itemsAfter returns the items with a sequence number above seq.
func itemsAfter(items []*item, seq uint64) []*item {
	n, _ := slices.BinarySearchFunc(items, seq+1, func(it *item, s uint64) int { return cmpSeq(it.ev.Seq, s) })
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
