// Package search is the engine of the screen's text filter: a small gram
// index per event and a case-insensitive scan that uses it.
//
// The text filter looks in every stored event: in a short string of its
// fields (type, ids, status, path, verification) and in its body. With
// 100,000 events of a few kilobytes each that is hundreds of megabytes, far
// too much to scan per keystroke, so each event carries a small Bloom filter
// of the bigrams and trigrams of its body (lower-cased). A query's grams must
// all be present for the body to be scanned at all, which rules out almost
// every body that does not match. Bodies that pass are scanned in place,
// case-insensitively for ASCII, without a lower-cased copy: memory stays at
// the filter's size, about six bits per distinct gram.
package search

import (
	"bytes"
	"math"
	"strings"
)

// bloomBitsPerGram sizes an event's filter: with two probes per gram, six
// bits per gram let a lone bigram through a filter that lacks it about one
// time in twelve, a five-letter word (seven grams) almost never.
const bloomBitsPerGram = 6

// Text is what the text filter looks in for one event. It is immutable
// once built, so searches on several goroutines share it without locks.
type Text struct {
	fields []byte   // lower-cased fields, joined by spaces
	body   []byte   // the body as received, shared with the event
	bloom  []uint64 // gram filter of fields and body
	bits   uint32   // the filter's size in bits
	chars  [4]uint64
}

// Query is a query prepared once per keystroke.
type Query struct {
	text   string   // as typed
	lower  []byte   // ASCII lower-cased
	grams  []uint32 // the gram hashes every matching text has
	anchor int      // the position of the rarest byte, for the scan
}

// NewQuery prepares text for searching.
func NewQuery(text string) *Query {
	q := &Query{text: text, lower: lowerASCII([]byte(text))}
	switch len(q.lower) {
	case 0, 1:
	case 2:
		q.grams = append(q.grams, bigram(q.lower[0], q.lower[1]))
	default:
		for i := 0; i+3 <= len(q.lower); i++ {
			q.grams = append(q.grams, trigram(q.lower[i], q.lower[i+1], q.lower[i+2]))
		}
	}
	q.anchor = rarest(q.lower)
	return q
}

// Text is the query as typed.
func (q *Query) Text() string { return q.text }

// Key is the query as it is matched (ASCII letters folded): two queries with
// the same key find the same events.
func (q *Query) Key() string { return string(q.lower) }

// Narrows reports whether q holds p: every text q matches, p matches too,
// so a search for q need only look among p's matches.
func (q *Query) Narrows(p *Query) bool { return bytes.Contains(q.lower, p.lower) }

// Extends reports whether q starts with p: q then matches nowhere before
// p's first match in a text, which Find can resume from.
func (q *Query) Extends(p *Query) bool { return bytes.HasPrefix(q.lower, p.lower) }

// Indexer builds search texts; its scratch space is reused between events
// (one indexer per goroutine). The zero value is ready to use.
//
// The filters and field texts of consecutive events are cut from large
// shared blocks rather than allocated one by one: a search walks the events
// in arrival order, and finding their filters side by side in memory, in
// the same order, lets the processor stream them instead of waiting on a
// cache miss per event. A block is freed when the last event cut from it is
// evicted.
type Indexer struct {
	seen     []uint64 // a 64K-bit set of the grams met so far in this text
	distinct []uint32 // their hashes, each once
	words    []uint64 // what is left of the current block of filters
	text     []byte   // what is left of the current block of field texts
}

const (
	scratchBits = 1 << 16
	blockWords  = 1 << 17 // 1 MiB of filters
	blockBytes  = 1 << 18
)

// Index builds the search text of an event: fields (a short string of its
// type, ids and so on) and its body, which the text shares, not copies.
//
// It hashes the grams of fields and body once, keeping each distinct one
// (indented JSON repeats most of its grams: runs of spaces, keys), then
// sizes the filter for that many and sets their bits.
func (g *Indexer) Index(fields string, body []byte) Text {
	st := Text{fields: cut(&g.text, len(fields), blockBytes), body: body}
	copy(st.fields, fields)
	lowerASCII(st.fields)
	if g.seen == nil {
		g.seen = make([]uint64, scratchBits/64)
	}
	clear(g.seen)
	g.distinct = g.distinct[:0]
	keep := func(h uint32) {
		i := h % scratchBits
		if g.seen[i/64]&(1<<(i%64)) == 0 {
			g.seen[i/64] |= 1 << (i % 64)
			g.distinct = append(g.distinct, h)
		}
	}
	eachGram(st.fields, keep)
	eachGram(body, keep)
	st.bits = uint32(max(64, (len(g.distinct)*bloomBitsPerGram+63)/64*64))
	st.bloom = cut(&g.words, int(st.bits/64), blockWords)
	for _, h := range g.distinct {
		st.set(h)
	}
	for _, c := range st.fields {
		st.chars[c/64] |= 1 << (c % 64)
	}
	for _, c := range body {
		c = lowerByte(c)
		st.chars[c/64] |= 1 << (c % 64)
	}
	return st
}

// cut takes n elements off the front of *block, first starting a new block
// of size elements (or n, when more) if what is left is too short.
func cut[T any](block *[]T, n, size int) []T {
	if len(*block) < n {
		*block = make([]T, max(n, size))
	}
	out := (*block)[:n:n]
	*block = (*block)[n:]
	return out
}

// eachGram calls fn with the hash of every lower-cased bigram and trigram.
func eachGram(body []byte, fn func(uint32)) {
	var a, b byte
	for i, c := range body {
		c = lowerByte(c)
		if i >= 1 {
			fn(bigram(b, c))
		}
		if i >= 2 {
			fn(trigram(a, b, c))
		}
		a, b = b, c
	}
}

func bigram(a, b byte) uint32     { return mix(uint32(a)<<8 | uint32(b)) }
func trigram(a, b, c byte) uint32 { return mix(1<<24 | uint32(a)<<16 | uint32(b)<<8 | uint32(c)) }

// mix spreads a gram over 32 bits (a multiplicative hash).
func mix(x uint32) uint32 {
	x *= 0x9e3779b1
	return x ^ x>>15
}

// probes are the two bits of a gram (see bloomBitsPerGram).
func (st *Text) probes(h uint32) (uint32, uint32) {
	h2 := h*0x85ebca6b ^ h>>13
	return uint32(uint64(h) * uint64(st.bits) >> 32), uint32(uint64(h2) * uint64(st.bits) >> 32)
}

func (st *Text) set(h uint32) {
	i, j := st.probes(h)
	st.bloom[i/64] |= 1 << (i % 64)
	st.bloom[j/64] |= 1 << (j % 64)
}

func (st *Text) has(h uint32) bool {
	i, j := st.probes(h)
	return st.bloom[i/64]&(1<<(i%64)) != 0 && st.bloom[j/64]&(1<<(j%64)) != 0
}

// mayHold reports whether the fields or the body can contain q; false is
// certain.
func (st *Text) mayHold(q *Query) bool {
	for _, c := range q.lower {
		if st.chars[c/64]&(1<<(c%64)) == 0 {
			return false
		}
	}
	for _, h := range q.grams {
		if !st.has(h) {
			return false
		}
	}
	return true
}

// Find reports whether q occurs at or after from: it returns -1 when it
// does not, and otherwise a position no later than the first match.
// Positions count the fields first, then one separator, then the body.
// Because the first match of a longer query that starts with a shorter one
// cannot come before the shorter one's, a caller narrowing a query as the
// user types passes the previous position as from; most of the time the
// longer query matches right there, and one comparison settles it.
func (st *Text) Find(q *Query, from int) int {
	switch {
	case len(q.lower) == 0:
		return from
	case len(q.lower) == 1 && from == 0:
		// The set of bytes present is exact: no need to look for where.
		if c := q.lower[0]; st.chars[c/64]&(1<<(c%64)) != 0 {
			return 0
		}
		return -1
	}
	f := len(st.fields)
	if from > 0 && st.matchesAt(q, from) {
		return from
	}
	if len(st.bloom) == 0 || !st.mayHold(q) {
		return -1
	}
	if from < f {
		if i := bytes.Index(st.fields[from:], q.lower); i >= 0 {
			return from + i
		}
	}
	start := max(0, from-f-1)
	if i := indexFold(st.body[start:], q.lower, q.anchor); i >= 0 {
		return f + 1 + start + i
	}
	return -1
}

// matchesAt reports whether q matches at position at.
func (st *Text) matchesAt(q *Query, at int) bool {
	f, n := len(st.fields), len(q.lower)
	switch {
	case at+n <= f:
		return bytes.Equal(st.fields[at:at+n], q.lower)
	case at > f && at-f-1+n <= len(st.body):
		return equalFold(st.body[at-f-1:at-f-1+n], q.lower)
	}
	return false
}

// indexFold finds q (lower-cased) in hay, ignoring ASCII case. It looks for
// the query's rarest byte with bytes.IndexByte, which is vectorised, and
// compares the whole query only there.
func indexFold(hay, q []byte, anchor int) int {
	n := len(q)
	if n > len(hay) {
		return -1
	}
	lo := q[anchor]
	up := upperByte(lo)
	end := len(hay) - n + anchor + 1 // anchor positions to try: [anchor, end)
	nextLo, nextUp := -1, -1
	for i := anchor; i < end; {
		if nextLo < i {
			nextLo = indexByteFrom(hay[:end], lo, i)
		}
		if up == lo {
			nextUp = nextLo
		} else if nextUp < i {
			nextUp = indexByteFrom(hay[:end], up, i)
		}
		j := minFound(nextLo, nextUp)
		if j < 0 {
			return -1
		}
		if p := j - anchor; equalFold(hay[p:p+n], q) {
			return p
		}
		i = j + 1
	}
	return -1
}

func indexByteFrom(b []byte, c byte, from int) int {
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return math.MaxInt // none: never below a position still to try
}

func minFound(a, b int) int {
	if m := min(a, b); m != math.MaxInt {
		return m
	}
	return -1
}

func equalFold(a, lower []byte) bool {
	for i, c := range a {
		if lowerByte(c) != lower[i] {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperByte(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lowerASCII(b []byte) []byte {
	for i, c := range b {
		b[i] = lowerByte(c)
	}
	return b
}

// rarest picks the query byte least likely in JSON text, so the scan stops
// at few false candidates. Ranks are rough English and JSON frequencies.
func rarest(q []byte) int {
	best, bestRank := 0, 1<<30
	for i, c := range q {
		if r := byteRank(c); r < bestRank {
			best, bestRank = i, r
		}
	}
	return best
}

const commonBytes = ` "e:,tanoisr_ldc-0123456789pmuhgfbyvwk.{}[]xjqz`

func byteRank(c byte) int {
	if i := strings.IndexByte(commonBytes, c); i >= 0 {
		return len(commonBytes) - i
	}
	return 0
}
