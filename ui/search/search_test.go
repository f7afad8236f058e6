package search

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/extend-inspect/extend-inspect/ui/search/searchtest"
)

// source is a Source in memory.
type source struct {
	fields string
	Body
}

func (s source) AppendFields(dst []byte) []byte { return append(dst, s.fields...) }

// of is the source of fields and a body in memory.
func of(fields string, body []byte) source { return source{fields, Bytes(body)} }

// naiveFind is the obvious search the index must agree with.
func naiveFind(fields string, body []byte, q string) bool {
	lq := string(lowerASCII([]byte(q))) // ASCII letters fold; others match exactly
	return strings.Contains(string(lowerASCII([]byte(fields))), lq) ||
		bytes.Contains(lowerASCII(bytes.Clone(body)), []byte(lq))
}

func TestFindAgreesWithNaiveSearch(t *testing.T) {
	body := []byte(`{"eventId":"event_Qm4tV8","eventType":"workflow_run.completed","payload":{"Status":"PROCESSED","name":"Ünïcode ÄB","n":12.5}}`)
	var ix Indexer
	const fields = "workflow_run.completed event_Qm4tV8 PROCESSED"
	st := ix.Index(of(fields, body))
	ix.Seal()
	for _, q := range []string{"", "e", "Q", "qm4t", "PROCESSED", "status", "sTaTuS", "ünïcode", "ÄB", "12.5", "zz", "completedx", `"n":12`, "}}", "workflow_run.completed event"} {
		got := st.Find(NewQuery(q), 0) >= 0
		if want := naiveFind(fields, body, q); got != want {
			t.Errorf("Find(%q) = %v, want %v", q, got, want)
		}
	}
}

// Positions count the fields, then one separator, then the body, though
// the text keeps neither.
func TestFindPositionsCountFieldsThenBody(t *testing.T) {
	var ix Indexer
	st := ix.Index(of("Workflow_Run.completed evt_1", []byte(`{"eventType":"workflow_run.completed"}`)))
	ix.Seal()
	for _, c := range []struct {
		q        string
		from, at int
	}{{"workflow", 0, 0}, {"EVT_1", 0, 23}, {"eventtype", 0, 29 + 2}, {"workflow", 1, 29 + 14}, {"completed", 23, 29 + 27}} {
		if got := st.Find(NewQuery(c.q), c.from); got != c.at {
			t.Errorf("Find(%q, %d) = %d, want %d", c.q, c.from, got, c.at)
		}
	}
}

// A text is in every item of the screen: it holds its source, its block
// and two small numbers, and nothing else.
func TestTextIsSmall(t *testing.T) {
	if size := unsafe.Sizeof(Text{}); size > 32 {
		t.Errorf("a Text takes %d bytes, more than 32", size)
	}
}

// Narrowing from a previous match position finds what a full search finds.
func TestFindResumesFromAPreviousMatch(t *testing.T) {
	body := []byte(`{"a":"usual","b":"usage","c":"usage-based"}`)
	var ix Indexer
	st := ix.Index(of("", body))
	ix.Seal()
	at := st.Find(NewQuery("us"), 0)
	for _, q := range []string{"usa", "usag", "usage", "usage-"} {
		next := st.Find(NewQuery(q), at)
		if full := st.Find(NewQuery(q), 0); next != full {
			t.Fatalf("Find(%q) from %d = %d, from 0 = %d", q, at, next, full)
		}
		at = next
	}
}

// FuzzFind indexes two texts in one block, so that a text's slot and its
// neighbour's grams are part of what is checked, and compares Find with the
// naive search for both. The seeds hold grams that share a row.
func FuzzFind(f *testing.F) {
	f.Add("workflow_run", []byte(`{"eventType":"workflow_run.completed"}`), []byte(`{}`), "RUN.c")
	f.Add("", []byte("\xff\x00abcABC"), []byte("bca"), "bca")
	a, b := collidingTrigrams()
	f.Add("", []byte(a), []byte(b), b)
	f.Add(a, []byte(`{"x":"`+a+`"}`), []byte(a+b), a+b[:1])
	f.Fuzz(func(t *testing.T, fields string, body, other []byte, q string) {
		var ix Indexer
		sources := []source{of(fields, body), of(fields+"x", other)}
		texts := []Text{ix.Index(sources[0]), ix.Index(sources[1])}
		ix.Seal()
		query := NewQuery(q)
		m := NewMatcher(query)
		for i, st := range texts {
			got := m.Find(&st, 0) >= 0
			if want := naiveFind(sources[i].fields, sources[i].Body.(Bytes), q); got != want {
				t.Fatalf("text %d, %q: Find(%q) = %v, want %v", i, sources[i], q, got, want)
			}
		}
	})
}

// collidingTrigrams returns two different lower-case trigrams whose rows
// are the same: a text holding one lets a query of the other through the
// rows, and only the scan can tell them apart.
func collidingTrigrams() (string, string) {
	seen := map[uint16]string{}
	for a := byte('a'); a <= 'z'; a++ {
		for b := byte('a'); b <= 'z'; b++ {
			for c := byte('a'); c <= 'z'; c++ {
				r := trigramRow(a, b, c)
				if prev, ok := seen[r]; ok {
					return prev, string([]byte{a, b, c})
				}
				seen[r] = string([]byte{a, b, c})
			}
		}
	}
	panic("no two trigrams share a row")
}

// TestFindAgreesWithNaiveScanOnRandomBodies is the differential test:
// thousands of random bodies, indexed in blocks as the screen indexes
// them, over a small alphabet (so grams repeat and collide in the rows
// often), and queries cut from the bodies, mutated, or made of colliding
// grams; every answer must be the naive scan's. Each block's bodies have
// their own size, from a few bytes to a few kilobytes, so that the blocks
// are published at every fold, and sealed every few events, so that most
// are published at several.
func TestFindAgreesWithNaiveScanOnRandomBodies(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	a, b := collidingTrigrams()
	const alphabet = `abcxyzABCXYZ_"{}:,0123 ` + "\xc3\xa9"
	randomText := func(n int) []byte {
		out := make([]byte, n)
		for i := range out {
			out[i] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(4) == 0 {
			out = append(out, a...)
		}
		return out
	}
	var ix Indexer
	var sources []source
	var texts []Text
	folds := map[uint8]bool{}
	for i := range 3000 {
		size := []int{30, 120, 300, 700, 3000, 8000}[i/blockEvents%6]
		sources = append(sources, of(string(randomText(r.IntN(12))), randomText(r.IntN(size))))
		texts = append(texts, ix.Index(sources[i]))
		if r.IntN(8) == 0 {
			ix.Seal()
		}
		if i%blockEvents == blockEvents-1 {
			ix.Seal()
			folds[texts[i].published().fold] = true
		}
	}
	ix.Seal()
	if len(folds) != maxFold+1 {
		t.Fatalf("the blocks were published at folds %v, not at every fold up to %d", folds, maxFold)
	}
	queries := []string{a, b, strings.ToUpper(b), a + b, b[:2], "\xc3", "\xc3\xa9", "É"}
	for range 1000 {
		src := sources[r.IntN(len(sources))].Body.(Bytes)
		if len(src) == 0 {
			continue
		}
		i := r.IntN(len(src))
		q := []byte(string(src[i:min(len(src), i+1+r.IntN(8))]))
		if r.IntN(3) == 0 {
			q[r.IntN(len(q))] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(2) == 0 {
			q = bytes.ToUpper(q)
		}
		queries = append(queries, string(q))
	}
	for _, q := range queries {
		m := NewMatcher(NewQuery(q))
		for i := range texts {
			src := sources[i]
			if got, want := m.Find(&texts[i], 0) >= 0, naiveFind(src.fields, src.Body.(Bytes), q); got != want {
				t.Fatalf("text %d (%q): Find(%q) = %v, want %v", i, src, q, got, want)
			}
		}
	}
}

// Folding keeps every gram: each bit of a full-size gram row is in the
// folded row a query of that gram reads, whatever the fold.
func TestFoldedRowsHoldTheirGrams(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2))
	var work rows
	for i := range blockEvents {
		body := make([]byte, 10+r.IntN(60))
		for j := range body {
			body[j] = byte(r.IntN(256))
		}
		work.addGrams(body, 1<<i)
	}
	p := work.publish(blockEvents, maxFill)
	if p.fold != maxFold {
		t.Fatalf("small bodies were folded %d times, not %d", p.fold, maxFold)
	}
	for g, row := range work.grams {
		if lost := row &^ p.gramRow(uint16(g)); lost != 0 {
			t.Fatalf("gram row %d lost the bits %#x when folded", g, lost)
		}
	}
	if !bytes.Equal(u64Bytes(p.rows[:byteRows]), u64Bytes(work.bytes[:])) {
		t.Error("the byte rows changed when published")
	}
}

func u64Bytes(w []uint64) []byte { return unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 8*len(w)) }

// A block is folded by how full its rows are: distinct 2.5 KB bodies are
// published as written, 500-byte ones folded.
func TestFoldFollowsTheBodies(t *testing.T) {
	for _, c := range []struct {
		size int
		fold uint8
	}{{2500, 0}, {1000, 1}, {500, 2}, {200, 3}, {60, 3}} {
		var ix Indexer
		var st Text
		for _, body := range searchtest.New(1).Bodies(blockEvents) {
			st = ix.Index(of("", body[:min(len(body), c.size)]))
		}
		ix.Seal()
		if p := st.published(); p.fold != c.fold {
			t.Errorf("%d-byte bodies: folded %d times, want %d", c.size, p.fold, c.fold)
		}
	}
}

// A matcher that searched a block folded finds what the block's later
// events hold when it is sealed again, less folded.
func TestBlockSealedAgainUnfolds(t *testing.T) {
	var ix Indexer
	texts := []Text{ix.Index(of("", []byte("tiny")))}
	ix.Seal()
	first := texts[0].published()
	big := searchtest.New(2).Body(0)
	for range 10 {
		texts = append(texts, ix.Index(of("", big)))
	}
	ix.Seal()
	if first.fold != maxFold || texts[0].published().fold >= first.fold {
		t.Fatalf("folds %d then %d: the block did not unfold", first.fold, texts[0].published().fold)
	}
	m := NewMatcher(NewQuery("invoice_number"))
	if m.Find(&texts[0], 0) >= 0 || m.Find(&texts[1], 0) < 0 {
		t.Error("the matcher read the block's first rows after it was sealed again")
	}
}

// A text indexed but not yet sealed is still found: the scan decides.
func TestFindBeforeSealScans(t *testing.T) {
	var ix Indexer
	st := ix.Index(of("", []byte("northwind")))
	if st.Find(NewQuery("wind"), 0) < 0 || st.Find(NewQuery("east"), 0) >= 0 {
		t.Error("an unsealed text is not searched by scanning")
	}
}

func TestIndexFoldAnchorsOnTheRarestByte(t *testing.T) {
	hay := []byte(strings.Repeat("eeeeeeeeee", 100) + "eXqe")
	if got := indexFold(hay, []byte("exqe"), rarest([]byte("exqe"))); got != 1000 {
		t.Errorf("indexFold = %d, want 1000", got)
	}
}

func TestQueryRelations(t *testing.T) {
	usage, us, sag := NewQuery("Usage"), NewQuery("us"), NewQuery("SAG")
	if !usage.Extends(us) || !usage.Narrows(us) || usage.Extends(sag) || !usage.Narrows(sag) || us.Narrows(usage) {
		t.Error("Extends/Narrows disagree with prefix/substring on the folded queries")
	}
	if usage.Key() != "usage" || usage.Text() != "Usage" {
		t.Errorf("Key %q, Text %q", usage.Key(), usage.Text())
	}
}

// BenchmarkIndex builds the search texts of distinct bodies of 2.5 KB and
// cut to 1 KB and 500 bytes; "index-B/event" is the memory the index adds
// to an event (its share of its block's rows, and its text but for the
// source), the body not counted.
func BenchmarkIndex(b *testing.B) {
	const fields = "workflow_run.completed evt_00000001 workflow_run PROCESSED"
	for _, size := range []int{500, 1000, 2500} {
		b.Run(strconv.Itoa(size)+"B", func(b *testing.B) {
			var sources []Source
			total := 0
			for _, body := range searchtest.New(1).Bodies(4096) {
				body = body[:min(len(body), size)]
				sources = append(sources, of(fields, body))
				total += len(body)
			}
			b.SetBytes(int64(total / len(sources)))
			var ix Indexer
			i := 0
			for b.Loop() {
				ix.Index(sources[i%len(sources)])
				i++
			}
			var fresh Indexer
			texts := make([]Text, len(sources))
			for i, src := range sources {
				texts[i] = fresh.Index(src)
			}
			fresh.Seal()
			b.ReportMetric(float64(indexBytes(texts))/float64(len(texts)), "index-B/event")
		})
	}
}

// indexBytes is the memory of the texts' index: everything but the sources.
func indexBytes(texts []Text) int {
	n := 0
	seen := map[*published]bool{}
	for _, t := range texts {
		n += int(unsafe.Sizeof(t)) - int(unsafe.Sizeof(t.src))
		if p := t.published(); !seen[p] {
			seen[p] = true
			n += int(unsafe.Sizeof(*p)) + 8*len(p.rows)
		}
	}
	return n
}

func benchBodies(n int) [][]byte { return searchtest.New(1).Bodies(n) }

// BenchmarkFind searches 10,000 texts: a query most of them hold, one few
// hold (the filters skip the rest), and one none holds.
func BenchmarkFind(b *testing.B) {
	bodies := benchBodies(10_000)
	var ix Indexer
	texts := make([]Text, len(bodies))
	for i, body := range bodies {
		texts[i] = ix.Index(of("workflow_run.completed", body))
	}
	ix.Seal()
	for _, q := range []string{"northwind", "inv-004242", "xylophone", "invoice_total"} {
		b.Run(q, func(b *testing.B) {
			query := NewQuery(q)
			found := 0
			for b.Loop() {
				found = 0
				m := NewMatcher(query)
				for i := range texts {
					if m.Find(&texts[i], 0) >= 0 {
						found++
					}
				}
			}
			b.ReportMetric(float64(found), "found")
		})
	}
}

// fileBody is a Body read as one in a session file is: into the buffer.
type fileBody []byte

func (f fileBody) BodyUsing(buf *[]byte) ([]byte, error) {
	*buf = append((*buf)[:0], f...)
	return *buf, nil
}

// A matcher's buffer, which bodies in a file are read into, never holds
// the bytes of a body in memory it read before: they stay as they were.
func TestReadIntoBufferLeavesBodiesInMemory(t *testing.T) {
	held := Bytes(`{"note":"xab held in memory"}`)
	want := string(held)
	var ix Indexer
	texts := []Text{ix.Index(source{"", held}), ix.Index(source{"", fileBody(`{"yab":1}`)})}
	ix.Seal()
	m := NewMatcher(NewQuery("ab"))
	for i := range texts {
		if m.Find(&texts[i], 0) < 0 {
			t.Errorf("text %d: no match", i)
		}
	}
	if string(held) != want {
		t.Errorf("the body in memory became %q", held)
	}
}
