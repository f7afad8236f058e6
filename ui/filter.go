package ui

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

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
// that starts with this one cannot match earlier (see search.Text.Find).
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
// A search over more than asyncSearchMin events runs in a command, so a
// keystroke never holds up a frame; until its result arrives the previous
// one stays on screen and the header says the filter is being applied.
type textFilter struct {
	cur     *textResult // the result shown; nil when there is no text filter
	recent  []*textResult
	pending *search.Query // the query a command is searching for
	gen     uint64        // counts queries; a result for an older one is dropped
}

// textSearchMsg carries the result of a search run in a command.
type textSearchMsg struct {
	gen uint64
	res *textResult
}

func (tf *textFilter) active() bool { return tf.cur != nil }

// text is the query as typed, searched for or still being searched for.
func (tf *textFilter) text() string {
	switch {
	case tf.pending != nil:
		return tf.pending.Text()
	case tf.cur != nil:
		return tf.cur.query.Text()
	}
	return ""
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
	tf.pending = nil
	if tf.cur != nil {
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
		tf.cur = job.run()
		return nil
	}
	tf.pending = q
	gen := tf.gen
	return func() tea.Msg { return textSearchMsg{gen: gen, res: job.run()} }
}

// finish installs the result of a search run in a command, brought up to
// date with what arrived and left meanwhile. It reports false for the
// result of a query no longer wanted.
func (tf *textFilter) finish(msg textSearchMsg, items []*item) bool {
	if msg.gen != tf.gen || tf.pending == nil {
		return false
	}
	tf.pending = nil
	if len(items) > 0 {
		trimResult(msg.res, items[0].seq)
	}
	tf.cur = tf.refresh(msg.res, items)
	return true
}

// searchJob is a search with its own copies of what it reads, so it can run
// in a command while Update goes on changing the list.
type searchJob struct {
	q      *search.Query
	base   []hit // candidates narrowed from an earlier result
	resume bool  // base's positions are lower bounds for q
	rest   []hit // events the earlier result has not seen
	upto   uint64
}

func newSearchJob(q *search.Query, base *textResult, items []*item) searchJob {
	j := searchJob{q: q}
	var after uint64
	if base != nil {
		j.base = slices.Clone(base.hits)
		j.resume = q.Extends(base.query)
		after = base.upto
	}
	rest := itemsAfter(items, after)
	j.rest = make([]hit, len(rest))
	for i, it := range rest {
		j.rest[i] = hit{it, 0}
	}
	if len(items) > 0 {
		j.upto = items[len(items)-1].seq
	}
	return j
}

func (j searchJob) size() int { return len(j.base) + len(j.rest) }

func (j searchJob) run() *textResult {
	hits := findAll(j.q, j.base, j.resume)
	hits = append(hits, findAll(j.q, j.rest, false)...)
	return &textResult{query: j.q, hits: hits, upto: j.upto}
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

// findAll returns the candidates q matches, in order. Large searches are
// split across the processors: the search texts are immutable, so the
// workers share them without locks.
func findAll(q *search.Query, candidates []hit, resume bool) []hit {
	workers := min(runtime.GOMAXPROCS(0), 4, 1+len(candidates)/parallelSearchMin)
	if workers <= 1 {
		return findSome(q, candidates, resume)
	}
	parts := make([][]hit, workers)
	var wg sync.WaitGroup
	size := (len(candidates) + workers - 1) / workers
	for w := range workers {
		chunk := candidates[min(len(candidates), w*size):min(len(candidates), (w+1)*size)]
		wg.Go(func() { parts[w] = findSome(q, chunk, resume) })
	}
	wg.Wait()
	return slices.Concat(parts...)
}

func findSome(q *search.Query, candidates []hit, resume bool) []hit {
	out := make([]hit, 0, len(candidates)/4)
	for _, h := range candidates {
		from := 0
		if resume {
			from = h.at
		}
		if at := h.it.text.Find(q, from); at >= 0 {
			out = append(out, hit{h.it, at})
		}
	}
	return out
}

// refresh brings a remembered result up to date with later arrivals.
func (tf *textFilter) refresh(r *textResult, items []*item) *textResult {
	for _, it := range itemsAfter(items, r.upto) {
		if at := it.text.Find(r.query, 0); at >= 0 {
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
