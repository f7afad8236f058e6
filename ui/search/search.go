// Package search is the engine of the screen's text filter: a bit-sliced
// gram index over blocks of events and a case-insensitive scan that it
// narrows.
//
// The text filter looks in every stored event: in a short string of its
// fields (type, ids, status, path, verification) and in its body. With
// 100,000 events of a few kilobytes each that is hundreds of megabytes, far
// too much to scan per keystroke. So events are indexed in blocks of 64:
// a block has one 64-bit row per byte value (bit i set when event i of the
// block holds that byte, lower-cased) and one per gram hash (bit i set when
// event i holds a bigram or trigram hashing there). A query's rows ANDed
// together give, in a handful of loads, the events of a block that may hold
// it; the byte rows are exact, so a one-character query needs nothing more,
// and the others scan only the bodies the rows let through, in place and
// case-insensitively for ASCII.
//
// Reading the index is by the block, not by the event: a search over
// 100,000 events loads a few words for each of 1,563 blocks instead of a
// filter per event, which is what kept per-event Bloom filters memory-bound.
// Building it sets three bits per byte of body, in a block of rows that
// stays in the first-level cache.
//
// Every gram sets its row: nothing is de-duplicated on the way, so no gram
// can be lost, and a row that says "absent" is certain. The index only
// ever lets too many events through, and the scan removes those.
package search

import (
	"bytes"
	"math"
	"strings"
	"sync/atomic"
)

const (
	// blockEvents is the number of events a block indexes: one bit each in
	// a row word.
	blockEvents = 64
	// gramRowsLog sizes a block's gram rows: 2,048 rows, 256 bytes an event.
	// A distinct 2.5 KB JSON body holds about 1,300 distinct grams, which
	// set about half its rows: a trigram it lacks passes one time in two,
	// two trigrams one time in four, a 12-character query almost never.
	gramRowsLog = 11
	gramRows    = 1 << gramRowsLog
	byteRows    = 256
)

// rows are a block's index: byteRows exact rows, then the gram rows.
type rows [byteRows + gramRows]uint64

// block is the index of up to blockEvents consecutive events. Its rows are
// published by Indexer.Seal as an immutable copy, so searches on other
// goroutines read them without locks while the indexer goes on writing
// its own.
type block struct {
	published atomic.Pointer[rows]
}

// Text is what the text filter looks in for one event. It is immutable
// once its indexer is sealed, so searches on several goroutines share it
// without locks.
type Text struct {
	fields []byte // lower-cased fields, joined by spaces
	body   Body   // the body as received, read again by each scan
	block  *block
	slot   uint8 // the event's bit in its block's rows
}

// Body is what a text's body is read from. The screen's events are one: a
// body loaded from a session stays in its file and is read again (by
// several goroutines at once) each time a scan needs it, into *buf, the
// scanning goroutine's buffer, which it reuses for the next body; a body
// in memory is returned as it is, and *buf left alone. A body that cannot
// be read is indexed as empty and matches nothing.
type Body interface {
	BodyUsing(buf *[]byte) ([]byte, error)
}

// Bytes is a Body held in memory.
type Bytes []byte

// BodyUsing returns b.
func (b Bytes) BodyUsing(*[]byte) ([]byte, error) { return b, nil }

// reader reads bodies on one goroutine into one buffer: a body it returns
// is good until it reads the next.
type reader struct {
	buf []byte
}

// read is what body holds, or nothing when it cannot be read.
func (r *reader) read(body Body) []byte {
	b, err := body.BodyUsing(&r.buf)
	if cap(r.buf) > maxKeptBuffer {
		r.buf = nil // a rare body of megabytes: its buffer goes with it
	}
	if err != nil {
		return nil
	}
	return b
}

// maxKeptBuffer bounds the buffer a reader keeps.
const maxKeptBuffer = 1 << 20

// Query is a query prepared once per keystroke.
type Query struct {
	text   string   // as typed
	lower  []byte   // ASCII lower-cased
	rows   []uint16 // the rows every matching text has set
	exact  bool     // the rows alone decide (one byte)
	anchor int      // the position of the rarest byte, for the scan
}

// NewQuery prepares text for searching.
func NewQuery(text string) *Query {
	q := &Query{text: text, lower: lowerASCII([]byte(text))}
	add := func(r uint16) {
		if !slicesContains(q.rows, r) {
			q.rows = append(q.rows, r)
		}
	}
	for _, c := range q.lower {
		add(uint16(c))
	}
	switch len(q.lower) {
	case 1:
		q.exact = true
	case 2:
		add(bigramRow(q.lower[0], q.lower[1]))
	default:
		for i := 0; i+3 <= len(q.lower); i++ {
			add(trigramRow(q.lower[i], q.lower[i+1], q.lower[i+2]))
		}
	}
	q.anchor = rarest(q.lower)
	return q
}

func slicesContains(s []uint16, v uint16) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
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

// candidates returns the slots of the block whose rows are r that may
// hold q (all of them when the block is not sealed yet).
func (q *Query) candidates(r *rows) uint64 {
	m := ^uint64(0)
	if r == nil {
		return m
	}
	for _, i := range q.rows {
		m &= r[i]
	}
	return m
}

// Indexer builds search texts, block by block; it is used by one goroutine
// at a time. The zero value is ready to use.
//
// The texts Index returns become searchable when Seal publishes them: call
// it once a batch is indexed, before handing the texts to other
// goroutines. The field texts of consecutive events are cut from large
// shared blocks rather than allocated one by one, so a search walking
// events in arrival order finds them side by side in memory.
type Indexer struct {
	bodies reader
	cur    *block
	work   *rows // cur's rows as written so far
	used   int   // slots of cur taken
	dirty  bool  // work has changed since it was last published
	text   []byte
}

const blockBytes = 1 << 18

// Index builds the search text of an event: fields (a short string of its
// type, ids and so on) and its body, which the text reads again to scan
// and does not copy.
func (g *Indexer) Index(fields string, body Body) Text {
	if g.cur == nil || g.used == blockEvents {
		g.startBlock()
	}
	st := Text{fields: g.cutText(len(fields)), body: body, block: g.cur, slot: uint8(g.used)}
	g.used++
	copy(st.fields, fields)
	lowerASCII(st.fields)
	bit := uint64(1) << st.slot
	g.work.addGrams(st.fields, bit)
	g.work.addGrams(g.bodies.read(body), bit)
	g.dirty = true
	return st
}

// Seal publishes the rows of the texts indexed since the last Seal.
func (g *Indexer) Seal() {
	if !g.dirty {
		return
	}
	published := new(rows)
	*published = *g.work
	g.cur.published.Store(published)
	g.dirty = false
}

func (g *Indexer) startBlock() {
	g.Seal()
	g.cur, g.used = new(block), 0
	if g.work == nil {
		g.work = new(rows)
	}
	clear(g.work[:])
}

// addGrams sets bit in the rows of every byte, bigram and trigram of b,
// lower-cased. It is the index's whole cost: three loads and stores per
// byte, in rows that stay in the first-level cache.
func (r *rows) addGrams(b []byte, bit uint64) {
	var k uint32 // the two bytes before, lower-cased
	for i, c := range b {
		c = lowerTable[c]
		r[c] |= bit
		if i >= 2 {
			r[trigramRow(byte(k>>8), byte(k), c)] |= bit
		}
		if i >= 1 {
			r[bigramRow(byte(k), c)] |= bit
		}
		k = k<<8 | uint32(c)
	}
}

func (g *Indexer) cutText(n int) []byte {
	if len(g.text) < n {
		g.text = make([]byte, max(n, blockBytes))
	}
	out := g.text[:n:n]
	g.text = g.text[n:]
	return out
}

func bigramRow(a, b byte) uint16 { return gramRow(1<<24 | uint32(a)<<8 | uint32(b)) }
func trigramRow(a, b, c byte) uint16 {
	return gramRow(uint32(a)<<16 | uint32(b)<<8 | uint32(c))
}

// gramRow spreads a gram over the gram rows (a multiplicative hash).
func gramRow(x uint32) uint16 { return byteRows + uint16((x*0x9e3779b1)>>(32-gramRowsLog)) }

// Matcher finds one query in texts, computing the candidates of each block
// once for all its events: searches walk texts in arrival order, so
// consecutive texts share a block. One matcher per goroutine.
type Matcher struct {
	q      *Query
	last   *rows // the rows slots was computed from
	slots  uint64
	bodies reader
}

// NewMatcher returns a matcher of q.
func NewMatcher(q *Query) *Matcher { return &Matcher{q: q} }

// Find reports whether the query occurs in st at or after from: it returns
// -1 when it does not, and otherwise a position no later than the first
// match. Positions count the fields first, then one separator, then the
// body. Because the first match of a longer query that starts with a
// shorter one cannot come before the shorter one's, a caller narrowing a
// query as the user types passes the previous position as from; most of
// the time the longer query matches right there, and one comparison
// settles it. A body in a file is read at most once a call.
func (m *Matcher) Find(st *Text, from int) int {
	q := m.q
	if len(q.lower) == 0 {
		return from
	}
	body := lazyBody{r: &m.bodies, src: st.body}
	if from > 0 && st.matchesAt(q, from, &body) {
		return from
	}
	// The cache is keyed by the published rows, not the block: a block
	// sealed again with more events has new rows, and new candidates.
	if r := st.rows(); r != m.last || r == nil {
		m.last, m.slots = r, q.candidates(r)
	}
	if m.slots&(1<<st.slot) == 0 {
		return -1
	}
	if q.exact && from == 0 {
		return 0
	}
	return st.scan(q, from, &body)
}

// lazyBody is a text's body, read the first time it is needed.
type lazyBody struct {
	r    *reader
	src  Body
	b    []byte
	read bool
}

func (l *lazyBody) get() []byte {
	if !l.read {
		l.b, l.read = l.r.read(l.src), true
	}
	return l.b
}

// rows are the published rows of the text's block; nil before it is sealed.
func (st *Text) rows() *rows {
	if st.block == nil {
		return nil
	}
	return st.block.published.Load()
}

// Find is Matcher.Find for a single text.
func (st *Text) Find(q *Query, from int) int { return NewMatcher(q).Find(st, from) }

// scan finds q at or after from in the fields, then in the body.
func (st *Text) scan(q *Query, from int, lazy *lazyBody) int {
	f := len(st.fields)
	if from < f {
		if i := bytes.Index(st.fields[from:], q.lower); i >= 0 {
			return from + i
		}
	}
	body := lazy.get()
	start := max(0, from-f-1)
	if start > len(body) {
		return -1
	}
	if i := indexFold(body[start:], q.lower, q.anchor); i >= 0 {
		return f + 1 + start + i
	}
	return -1
}

// matchesAt reports whether q matches at position at.
func (st *Text) matchesAt(q *Query, at int, lazy *lazyBody) bool {
	f, n := len(st.fields), len(q.lower)
	if at+n <= f {
		return bytes.Equal(st.fields[at:at+n], q.lower)
	}
	if at <= f {
		return false
	}
	body := lazy.get()
	return at-f-1+n <= len(body) && equalFold(body[at-f-1:at-f-1+n], q.lower)
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

// lowerTable is lowerByte as a table, for the index's inner loop.
var lowerTable = func() (t [256]byte) {
	for c := range t {
		t[c] = lowerByte(byte(c))
	}
	return t
}()

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
