package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
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
	return safe(t)
}

// hit is an event the text filter matched, and where: a later, longer query
// that starts with this one cannot match earlier (see searchText.find).
type hit struct {
	it *item
	at int
}

// textResult is the outcome of one query over the events up to seq upto.
type textResult struct {
	query *textQuery
	hits  []hit
	upto  uint64
}

// textFilter is the live text filter. It keeps the results of recent
// queries, so typing a character narrows the previous result instead of
// scanning every event again, and backspace returns to a result already
// known; each result is brought up to date with the events that arrived
// since it was computed.
type textFilter struct {
	cur    *textResult // nil when there is no text filter
	recent []*textResult
}

func (tf *textFilter) active() bool { return tf.cur != nil }

func (tf *textFilter) text() string {
	if tf.cur == nil {
		return ""
	}
	return tf.cur.query.text
}

// admit tests an arriving event against the current query.
func (tf *textFilter) admit(it *item) bool {
	if tf.cur == nil {
		return true
	}
	tf.cur.upto = it.seq
	if at := it.search.find(tf.cur.query, 0); at >= 0 {
		tf.cur.hits = append(tf.cur.hits, hit{it, at})
		return true
	}
	return false
}

// set changes the query, searching as little as it can.
func (tf *textFilter) set(text string, items []*item) {
	if tf.cur != nil && tf.cur.query.text == text {
		return
	}
	if tf.cur != nil {
		tf.remember(tf.cur)
		tf.cur = nil
	}
	if text == "" {
		return
	}
	q := newTextQuery(text)
	if r := tf.lookup(string(q.lower)); r != nil {
		tf.cur = tf.refresh(r, items)
		tf.cur.query = q
		return
	}
	tf.cur = tf.search(q, tf.base(q), items)
}

// base finds the best earlier result to narrow: one whose query is part of
// q (its hits include every match of q), preferring the longest.
func (tf *textFilter) base(q *textQuery) *textResult {
	var best *textResult
	for _, r := range tf.recent {
		if bytesContains(q.lower, r.query.lower) && (best == nil || len(r.query.lower) > len(best.query.lower)) {
			best = r
		}
	}
	return best
}

func (tf *textFilter) search(q *textQuery, base *textResult, items []*item) *textResult {
	res := &textResult{query: q}
	var after uint64
	if base != nil {
		resume := strings.HasPrefix(string(q.lower), string(base.query.lower))
		for _, h := range base.hits {
			from := 0
			if resume {
				from = h.at
			}
			if at := h.it.search.find(q, from); at >= 0 {
				res.hits = append(res.hits, hit{h.it, at})
			}
		}
		after = base.upto
	}
	for _, it := range itemsAfter(items, after) {
		if at := it.search.find(q, 0); at >= 0 {
			res.hits = append(res.hits, hit{it, at})
		}
	}
	if len(items) > 0 {
		res.upto = items[len(items)-1].seq
	}
	return res
}

// refresh brings a remembered result up to date with later arrivals.
func (tf *textFilter) refresh(r *textResult, items []*item) *textResult {
	for _, it := range itemsAfter(items, r.upto) {
		if at := it.search.find(r.query, 0); at >= 0 {
			r.hits = append(r.hits, hit{it, at})
		}
		r.upto = it.seq
	}
	return r
}

func (tf *textFilter) lookup(lower string) *textResult {
	for i, r := range tf.recent {
		if string(r.query.lower) == lower {
			tf.recent = slices.Delete(tf.recent, i, i+1)
			return r
		}
	}
	return nil
}

func (tf *textFilter) remember(r *textResult) {
	tf.lookup(string(r.query.lower)) // drop an older copy
	tf.recent = append(tf.recent, r)
	if len(tf.recent) > textCacheSize {
		tf.recent = slices.Delete(tf.recent, 0, 1)
	}
}

// evict forgets the events before seq first in every result.
func (tf *textFilter) evict(first uint64) {
	trim := func(r *textResult) {
		n, _ := slices.BinarySearchFunc(r.hits, first, func(h hit, seq uint64) int { return cmpSeq(h.it.seq, seq) })
		clear(r.hits[:n])
		r.hits = r.hits[n:]
	}
	if tf.cur != nil {
		trim(tf.cur)
	}
	for _, r := range tf.recent {
		trim(r)
	}
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

func bytesContains(s, sub []byte) bool { return strings.Contains(string(s), string(sub)) }
