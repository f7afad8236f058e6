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
// and the others scan only the events the rows let through, in place and
// case-insensitively for ASCII.
//
// Reading the index is by the block, not by the event: a search over
// 100,000 events loads a few words for each of 1,563 blocks instead of a
// filter per event, which is what kept per-event Bloom filters memory-bound.
// Building it sets three bits per byte of body, in a block of rows that
// stays in the first-level cache.
//
// The index is most of what the filter costs an event, so it is sized to
// what a block holds: a block of small bodies sets few of its 2,048 gram
// rows, and is published with its rows folded into 1,024, 512 or 256
// (adjacent pairs ORed together) as long as they stay no fuller than those
// of 2.5 KB bodies unfolded. And a text keeps neither the fields nor the
// body: it refers to its Source, which makes them again for each scan
// that needs them, into the scanning goroutine's buffers.
//
// Every gram sets its row: nothing is de-duplicated on the way, and
// folding ORs rows together, so no gram can be lost, and a row that says
// "absent" is certain. The index only ever lets too many events through,
// and the scan removes those.
package search

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
)

const (
	// blockEvents is the number of events a block indexes: one bit each in
	// a row word.
	blockEvents = 64
	// gramRowsLog sizes the gram rows an indexer writes: 2,048 rows, 256
	// bytes an event. A distinct 2.5 KB JSON body holds about 1,300
	// distinct grams, which set about half its rows: a trigram it lacks
	// passes one time in two, two trigrams one time in four, a 12-character
	// query almost never.
	gramRowsLog = 11
	gramRows    = 1 << gramRowsLog
	byteRows    = 256
	// maxFold is how many times a block's gram rows may be halved when it
	// is published: down to 256 rows, 32 bytes an event.
	maxFold = 3
	// maxFill is the share of a block's gram bits a fold may leave set: a
	// block is folded while it stays no fuller than one of distinct 2.5 KB
	// bodies is unfolded (0.54), so its events pass a gram they lack about
	// as rarely, in fewer rows. Extend's own 500-byte and 1 KB deliveries
	// fill 2,048 rows to about 0.26 and 0.31, 1,024 to 0.46 and 0.52, and
	// 512 to 0.71 and 0.79; 2.5 KB ones fill 1,024 to 0.6.
	maxFill = 0.55
	// A block of small texts may be fuller, up to smallMaxFill: what a
	// search pays for an event the rows let through is the scan of its
	// text, so a block whose events pass a gram they lack more often, but
	// cost a quarter of the bytes to scan, lets through no more bytes than
	// one of 2.5 KB bodies (passBytes: 0.55 of 2,560). 500-byte deliveries
	// are folded twice, 1 KB ones once, 2.5 KB ones not at all.
	smallMaxFill = 0.75
	passBytes    = maxFill * 2560
)

// fillLimit is the fill a fold may leave in a block whose texts average
// mean bytes.
func fillLimit(mean int) float64 {
	return max(maxFill, min(smallMaxFill, passBytes/float64(max(mean, 1))))
}

// rows are the rows an indexer writes for its current block, full size.
type rows struct {
	bytes [byteRows]uint64 // exact: bit i set when event i holds the byte
	grams [gramRows]uint64 // bit i set when event i holds a gram hashing there
}

// published are a block's rows as searches read them: the byte rows, then
// the gram rows folded fold times. Folding ORs adjacent pairs of rows, and
// a gram's row is the top bits of its hash, so the row of gram row g is
// g>>fold: every bit of it is still there, and a row that says "absent"
// is still certain.
type published struct {
	fold uint8
	rows []uint64
}

// gramRow is the row of full-size gram row g.
func (p *published) gramRow(g uint16) uint64 { return p.rows[byteRows+int(g>>p.fold)] }

// block is the index of up to blockEvents consecutive events. Its rows are
// published by Indexer.Seal as an immutable copy, so searches on other
// goroutines read them without locks while the indexer goes on writing
// its own.
type block struct {
	published atomic.Pointer[published]
}

// Text is what the text filter looks in for one event. It is immutable
// once its indexer is sealed, so searches on several goroutines share it
// without locks. It keeps neither the fields nor the body: a scan has its
// source make them again.
type Text struct {
	src    Source
	block  *block
	fields uint32 // the length of the fields, which positions in the body count
	slot   uint8  // the event's bit in its block's rows
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

// Source is what a text is made from: a body, and a short string of
// fields (type, ids, status and so on) that AppendFields appends to dst,
// in any letter case. The text does not keep the fields: each scan that needs
// them has them appended again, to the scanning goroutine's buffer, so
// they must be the same bytes every time.
type Source interface {
	Body
	AppendFields(dst []byte) []byte
}

// Bytes is a Body held in memory.
type Bytes []byte

// BodyUsing returns b.
func (b Bytes) BodyUsing(*[]byte) ([]byte, error) { return b, nil }

// reader reads sources on one goroutine into its buffers: what it returns
// is good until it reads the next.
type reader struct {
	body, fields []byte
}

// read is what body holds, or nothing when it cannot be read.
func (r *reader) read(body Body) []byte {
	b, err := body.BodyUsing(&r.body)
	if cap(r.body) > maxKeptBuffer {
		r.body = nil // a rare body of megabytes: its buffer goes with it
	}
	if err != nil {
		return nil
	}
	return b
}

// readFields is src's fields.
func (r *reader) readFields(src Source) []byte {
	f := src.AppendFields(r.fields[:0])
	r.fields = f[:0]
	if cap(f) > maxKeptBuffer {
		r.fields = nil
	}
	return f
}

// maxKeptBuffer bounds the buffers a reader keeps.
const maxKeptBuffer = 1 << 20

// Query is a query prepared once per keystroke.
type Query struct {
	text   string   // as typed
	lower  []byte   // ASCII lower-cased
	bytes  []byte   // the byte rows every matching text has set
	grams  []uint16 // the full-size gram rows every matching text has set
	exact  bool     // the rows alone decide (one byte)
	anchor int      // the position of the rarest byte, for the scan
}

// NewQuery prepares text for searching.
func NewQuery(text string) *Query {
	q := &Query{text: text, lower: lowerASCII([]byte(text))}
	for _, c := range q.lower {
		if !slices.Contains(q.bytes, c) {
			q.bytes = append(q.bytes, c)
		}
	}
	addGram := func(r uint16) {
		if !slices.Contains(q.grams, r) {
			q.grams = append(q.grams, r)
		}
	}
	switch len(q.lower) {
	case 1:
		q.exact = true
	case 2:
		addGram(bigramRow(q.lower[0], q.lower[1]))
	default:
		for i := 0; i+3 <= len(q.lower); i++ {
			addGram(trigramRow(q.lower[i], q.lower[i+1], q.lower[i+2]))
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

// candidates returns the slots of the block whose rows are p that may
// hold q (all of them when the block is not sealed yet).
func (q *Query) candidates(p *published) uint64 {
	m := ^uint64(0)
	if p == nil {
		return m
	}
	for _, c := range q.bytes {
		m &= p.rows[c]
	}
	for _, g := range q.grams {
		m &= p.gramRow(g)
	}
	return m
}

// Indexer builds search texts, block by block; it is used by one goroutine
// at a time. The zero value is ready to use.
//
// The texts Index returns become searchable when Seal publishes them: call
// it once a batch is indexed, before handing the texts to other
// goroutines.
type Indexer struct {
	src   reader
	cur   *block
	work  *rows // cur's rows as written so far, full size
	used  int   // slots of cur taken
	bytes int   // of the texts in cur: fields and bodies
	dirty bool  // work has changed since it was last published
}

// Index builds the search text of src: it indexes its fields and its body,
// which the text reads again to scan and does not copy.
func (g *Indexer) Index(src Source) Text {
	if g.cur == nil || g.used == blockEvents {
		g.startBlock()
	}
	st := Text{src: src, block: g.cur, slot: uint8(g.used)}
	g.used++
	bit := uint64(1) << st.slot
	fields := g.src.readFields(src)
	st.fields = uint32(len(fields))
	g.work.addGrams(fields, bit)
	body := g.src.read(src)
	g.work.addGrams(body, bit)
	g.bytes += len(fields) + len(body)
	g.dirty = true
	return st
}

// Seal publishes the rows of the texts indexed since the last Seal.
func (g *Indexer) Seal() {
	if !g.dirty {
		return
	}
	g.cur.published.Store(g.work.publish(g.used, fillLimit(g.bytes/g.used)))
	g.dirty = false
}

func (g *Indexer) startBlock() {
	g.Seal()
	g.cur, g.used, g.bytes = new(block), 0, 0
	if g.work == nil {
		g.work = new(rows)
	}
	*g.work = rows{}
}

// publish copies the rows of a block of events events, its gram rows
// folded as often as they stay no fuller than limit (see fillLimit): a
// block of small bodies sets few gram bits, and its rows would be mostly
// empty.
func (r *rows) publish(events int, limit float64) *published {
	grams, fold := r.grams[:], 0
	var halves [gramRows / 2]uint64
	for fold < maxFold && foldedFill(grams, events) <= limit {
		// From the second fold on this is in place: row i is written
		// after rows 2i and 2i+1 are read, and no later row reads it.
		half := halves[:len(grams)/2]
		for i := range half {
			half[i] = grams[2*i] | grams[2*i+1]
		}
		grams, fold = half, fold+1
	}
	p := &published{fold: uint8(fold), rows: make([]uint64, byteRows+len(grams))}
	copy(p.rows, r.bytes[:])
	copy(p.rows[byteRows:], grams)
	return p
}

// foldedFill is the share of the bits of events events that would be set
// in grams folded once.
func foldedFill(grams []uint64, events int) float64 {
	set := 0
	for i := 0; i < len(grams); i += 2 {
		set += bits.OnesCount64(grams[i] | grams[i+1])
	}
	return float64(set) / float64(len(grams)/2*events)
}

// addGrams sets bit in the rows of every byte, bigram and trigram of b,
// lower-cased. It is the index's whole cost: three loads and stores per
// byte, in rows that stay in the first-level cache.
func (r *rows) addGrams(b []byte, bit uint64) {
	var k uint32 // the two bytes before, lower-cased
	for i, c := range b {
		c = lowerTable[c]
		r.bytes[c] |= bit
		if i >= 2 {
			r.grams[trigramRow(byte(k>>8), byte(k), c)] |= bit
		}
		if i >= 1 {
			r.grams[bigramRow(byte(k), c)] |= bit
		}
		k = k<<8 | uint32(c)
	}
}

func bigramRow(a, b byte) uint16 { return gramRow(1<<24 | uint32(a)<<8 | uint32(b)) }
func trigramRow(a, b, c byte) uint16 {
	return gramRow(uint32(a)<<16 | uint32(b)<<8 | uint32(c))
}

// gramRow spreads a gram over the full-size gram rows: the top bits of a
// multiplicative hash, so that the top bits of those are the row of a
// folded block.
func gramRow(x uint32) uint16 { return uint16((x * 0x9e3779b1) >> (32 - gramRowsLog)) }

// Matcher finds one query in texts, computing the candidates of each block
// once for all its events: searches walk texts in arrival order, so
// consecutive texts share a block. One matcher per goroutine.
type Matcher struct {
	q     *Query
	last  *published // the rows slots was computed from
	slots uint64
	src   reader
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
	src := lazySource{r: &m.src, src: st.src}
	if from > 0 && st.matchesAt(q, from, &src) {
		return from
	}
	// The cache is keyed by the published rows, not the block: a block
	// sealed again with more events has new rows, and new candidates.
	if p := st.published(); p != m.last || p == nil {
		m.last, m.slots = p, q.candidates(p)
	}
	if m.slots&(1<<st.slot) == 0 {
		return -1
	}
	if q.exact && from == 0 {
		return 0
	}
	return st.scan(q, from, &src)
}

// lazySource is a text's fields and body, each read the first time it is
// needed.
type lazySource struct {
	r                    *reader
	src                  Source
	fields, body         []byte
	readFields, readBody bool
}

func (l *lazySource) getFields() []byte {
	if !l.readFields {
		l.fields, l.readFields = l.r.readFields(l.src), true
	}
	return l.fields
}

func (l *lazySource) getBody() []byte {
	if !l.readBody {
		l.body, l.readBody = l.r.read(l.src), true
	}
	return l.body
}

// published are the rows of the text's block; nil before it is sealed.
func (st *Text) published() *published {
	if st.block == nil {
		return nil
	}
	return st.block.published.Load()
}

// Find is Matcher.Find for a single text.
func (st *Text) Find(q *Query, from int) int { return NewMatcher(q).Find(st, from) }

// scan finds q at or after from in the fields, then in the body.
func (st *Text) scan(q *Query, from int, src *lazySource) int {
	f := int(st.fields)
	if from < f {
		if i := indexFold(src.getFields()[from:], q.lower, q.anchor); i >= 0 {
			return from + i
		}
	}
	body := src.getBody()
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
func (st *Text) matchesAt(q *Query, at int, src *lazySource) bool {
	f, n := int(st.fields), len(q.lower)
	if at+n <= f {
		return equalFold(src.getFields()[at:at+n], q.lower)
	}
	if at <= f {
		return false
	}
	body := src.getBody()
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
