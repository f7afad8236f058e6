package search

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"github.com/extend-inspect/extend-inspect/ui/search/searchtest"
)

// naiveFind is the obvious search the index must agree with.
func naiveFind(fields string, body []byte, q string) bool {
	lq := string(lowerASCII([]byte(q))) // ASCII letters fold; others match exactly
	return strings.Contains(string(lowerASCII([]byte(fields))), lq) ||
		bytes.Contains(lowerASCII(bytes.Clone(body)), []byte(lq))
}

func TestFindAgreesWithNaiveSearch(t *testing.T) {
	body := []byte(`{"eventId":"event_Qm4tV8","eventType":"workflow_run.completed","payload":{"Status":"PROCESSED","name":"Ünïcode ÄB","n":12.5}}`)
	var ix Indexer
	st := ix.Index("workflow_run.completed event_Qm4tV8 PROCESSED", Bytes(body))
	ix.Seal()
	for _, q := range []string{"", "e", "Q", "qm4t", "PROCESSED", "status", "sTaTuS", "ünïcode", "ÄB", "12.5", "zz", "completedx", `"n":12`, "}}", "workflow_run.completed event"} {
		got := st.Find(NewQuery(q), 0) >= 0
		if want := naiveFind(string(st.fields), body, q); got != want {
			t.Errorf("Find(%q) = %v, want %v", q, got, want)
		}
	}
}

// Narrowing from a previous match position finds what a full search finds.
func TestFindResumesFromAPreviousMatch(t *testing.T) {
	body := []byte(`{"a":"usual","b":"usage","c":"usage-based"}`)
	var ix Indexer
	st := ix.Index("", Bytes(body))
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
		texts := []Text{ix.Index(fields, Bytes(body)), ix.Index(fields+"x", Bytes(other))}
		ix.Seal()
		query := NewQuery(q)
		m := NewMatcher(query)
		for i, st := range texts {
			got := m.Find(&st, 0) >= 0
			if want := naiveFind(string(st.fields), new(reader).read(st.body), q); got != want {
				t.Fatalf("text %d, fields %q body %q: Find(%q) = %v, want %v", i, st.fields, st.body, q, got, want)
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
// grams; every answer must be the naive scan's.
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
	var texts []Text
	for range 2000 {
		texts = append(texts, ix.Index(string(randomText(r.IntN(12))), Bytes(randomText(r.IntN(200)))))
	}
	ix.Seal()
	queries := []string{a, b, strings.ToUpper(b), a + b, b[:2], "\xc3", "\xc3\xa9", "É"}
	for range 1000 {
		src := new(reader).read(texts[r.IntN(len(texts))].body)
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
	lowered := make([][]byte, len(texts))
	for i, st := range texts {
		lowered[i] = lowerASCII(bytes.Clone(new(reader).read(st.body)))
	}
	for _, q := range queries {
		m := NewMatcher(NewQuery(q))
		lq := lowerASCII([]byte(q))
		for i := range texts {
			st := &texts[i]
			want := bytes.Contains(st.fields, lq) || bytes.Contains(lowered[i], lq)
			if got := m.Find(st, 0) >= 0; got != want {
				t.Fatalf("text %d (fields %q, body %q): Find(%q) = %v, want %v", i, st.fields, st.body, q, got, want)
			}
		}
	}
}

// A text indexed but not yet sealed is still found: the scan decides.
func TestFindBeforeSealScans(t *testing.T) {
	var ix Indexer
	st := ix.Index("", Bytes([]byte("northwind")))
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

// BenchmarkIndex builds the search texts of distinct 2.5 KB bodies;
// "index-B/event" is the memory the index adds to an event (its filter
// share and field text), the body not counted.
func BenchmarkIndex(b *testing.B) {
	bodies := searchtest.New(1).Bodies(4096)
	var ix Indexer
	size := 0
	for _, body := range bodies {
		size += len(body)
	}
	b.SetBytes(int64(size / len(bodies)))
	i := 0
	for b.Loop() {
		ix.Index("workflow_run.completed evt_00000001 workflow_run PROCESSED", Bytes(bodies[i%len(bodies)]))
		i++
	}
	var fresh Indexer
	texts := make([]Text, len(bodies))
	for i, body := range bodies {
		texts[i] = fresh.Index("workflow_run.completed evt_00000001 workflow_run PROCESSED", Bytes(body))
	}
	fresh.Seal()
	b.ReportMetric(float64(indexBytes(texts))/float64(len(texts)), "index-B/event")
}

// indexBytes is the memory of the texts' index: everything but the bodies.
func indexBytes(texts []Text) int {
	n := 0
	for _, t := range texts {
		n += int(unsafe.Sizeof(t)) - int(unsafe.Sizeof(t.body)) + int(unsafe.Sizeof(rows{}))/blockEvents + len(t.fields)
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
		texts[i] = ix.Index("workflow_run.completed", Bytes(body))
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
	texts := []Text{ix.Index("", held), ix.Index("", fileBody(`{"yab":1}`))}
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
