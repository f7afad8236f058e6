package search

import (
	"bytes"
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
	st := ix.Index("workflow_run.completed event_Qm4tV8 PROCESSED", body)
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
	st := ix.Index("", body)
	at := st.Find(NewQuery("us"), 0)
	for _, q := range []string{"usa", "usag", "usage", "usage-"} {
		next := st.Find(NewQuery(q), at)
		if full := st.Find(NewQuery(q), 0); next != full {
			t.Fatalf("Find(%q) from %d = %d, from 0 = %d", q, at, next, full)
		}
		at = next
	}
}

func FuzzFind(f *testing.F) {
	f.Add("workflow_run", []byte(`{"eventType":"workflow_run.completed"}`), "RUN.c")
	f.Add("", []byte("\xff\x00abcABC"), "bca")
	f.Fuzz(func(t *testing.T, fields string, body []byte, q string) {
		var ix Indexer
		st := ix.Index(fields, body)
		got := st.Find(NewQuery(q), 0) >= 0
		if want := naiveFind(string(st.fields), body, q); got != want {
			t.Fatalf("fields %q body %q: Find(%q) = %v, want %v", fields, body, q, got, want)
		}
	})
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
		ix.Index("workflow_run.completed evt_00000001 workflow_run PROCESSED", bodies[i%len(bodies)])
		i++
	}
	var fresh Indexer
	texts := make([]Text, len(bodies))
	for i, body := range bodies {
		texts[i] = fresh.Index("workflow_run.completed evt_00000001 workflow_run PROCESSED", body)
	}
	b.ReportMetric(float64(indexBytes(texts))/float64(len(texts)), "index-B/event")
}

// indexBytes is the memory of the texts' index: everything but the bodies.
func indexBytes(texts []Text) int {
	n := 0
	for _, t := range texts {
		n += int(unsafe.Sizeof(t)) - int(unsafe.Sizeof(t.body)) + 8*len(t.bloom) + len(t.fields)
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
		texts[i] = ix.Index("workflow_run.completed", body)
	}
	for _, q := range []string{"northwind", "inv-4242", "zzqx"} {
		b.Run(q, func(b *testing.B) {
			query := NewQuery(q)
			found := 0
			for b.Loop() {
				found = 0
				for i := range texts {
					if texts[i].Find(query, 0) >= 0 {
						found++
					}
				}
			}
			b.ReportMetric(float64(found), "found")
		})
	}
}
