package ui

import (
	"bytes"
	"math"
	"strings"
)

// The text filter looks in every stored event: in a short string of its
// fields (type, ids, status, path, verification) and in its body. With
// 100,000 events of a few kilobytes each that is hundreds of megabytes, far
// too much to scan per keystroke, so each event carries a small Bloom filter
// of the bigrams and trigrams of its body (lower-cased). A query's grams must
// all be present for the body to be scanned at all, which rules out almost
// every body that does not match. Bodies that pass are scanned in place,
// case-insensitively for ASCII, without a lower-cased copy: memory stays at
// the filter's size, about six bits per distinct gram.

// searchText is what the text filter looks in for one event.
type searchText struct {
	fields string   // lower-cased fields, joined by spaces
	body   []byte   // the body as received, shared with the event
	bloom  []uint64 // gram filter of the body; nil when the body is empty
	bits   uint32   // the filter's size in bits
	chars  [4]uint64
}

// textQuery is a query prepared once per keystroke.
type textQuery struct {
	text   string   // as typed
	lower  []byte   // ASCII lower-cased
	grams  []uint32 // the gram hashes every matching body has
	anchor int      // the position of the rarest byte, for the scan
}

func newTextQuery(text string) *textQuery {
	q := &textQuery{text: text, lower: lowerASCII([]byte(text))}
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

// gramIndexer builds search texts; its scratch set is reused between events
// (one indexer per goroutine).
type gramIndexer struct {
	scratch []uint64
}

const scratchBits = 1 << 16

func (g *gramIndexer) index(fields string, body []byte) searchText {
	st := searchText{fields: string(lowerASCII([]byte(fields))), body: body}
	if len(body) == 0 {
		return st
	}
	if g.scratch == nil {
		g.scratch = make([]uint64, scratchBits/64)
	}
	clear(g.scratch)
	distinct := 0
	eachGram(body, func(h uint32) {
		i := h % scratchBits
		if g.scratch[i/64]&(1<<(i%64)) == 0 {
			g.scratch[i/64] |= 1 << (i % 64)
			distinct++
		}
	})
	st.bits = uint32(max(64, (distinct*bloomBitsPerGram+63)/64*64))
	st.bloom = make([]uint64, st.bits/64)
	eachGram(body, func(h uint32) { st.set(h) })
	for _, c := range body {
		c = lowerByte(c)
		st.chars[c/64] |= 1 << (c % 64)
	}
	return st
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

// Two probes per gram: with six bits per gram a lone bigram passes a
// filter that lacks it about one time in twelve, a five-letter word (seven
// grams) almost never.
func (st *searchText) probes(h uint32) (uint32, uint32) {
	h2 := h*0x85ebca6b ^ h>>13
	return uint32(uint64(h) * uint64(st.bits) >> 32), uint32(uint64(h2) * uint64(st.bits) >> 32)
}

func (st *searchText) set(h uint32) {
	i, j := st.probes(h)
	st.bloom[i/64] |= 1 << (i % 64)
	st.bloom[j/64] |= 1 << (j % 64)
}

func (st *searchText) has(h uint32) bool {
	i, j := st.probes(h)
	return st.bloom[i/64]&(1<<(i%64)) != 0 && st.bloom[j/64]&(1<<(j%64)) != 0
}

// mayHold reports whether the body can contain q; false is certain.
func (st *searchText) mayHold(q *textQuery) bool {
	if st.bloom == nil || len(q.lower) > len(st.body) {
		return false
	}
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

// find returns the position of the first match of q at or after from, or
// -1. Positions count the fields first, then one separator, then the body.
// Because the first match of a longer query that starts with a shorter one
// cannot come before the shorter one's, a caller narrowing a query as the
// user types passes the previous match as from.
func (st *searchText) find(q *textQuery, from int) int {
	if len(q.lower) == 0 {
		return 0
	}
	f := len(st.fields)
	if from < f {
		if i := strings.Index(st.fields[from:], string(q.lower)); i >= 0 {
			return from + i
		}
	}
	if !st.mayHold(q) {
		return -1
	}
	start := max(0, from-f-1)
	if i := indexFold(st.body[start:], q.lower, q.anchor); i >= 0 {
		return f + 1 + start + i
	}
	return -1
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
