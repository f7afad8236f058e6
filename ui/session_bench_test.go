package ui

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/search/searchtest"
)

// sessionEvents is how many events the session benchmarks load.
const sessionEvents = 20_000

// writeSessionFile records n distinct deliveries of about 2.5 KB (see
// ui/search/searchtest) as a JSONL session, and returns its path and the
// bytes of their bodies.
func writeSessionFile(b testing.TB, n int) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "session.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	g, bodies := newEventMaker(), searchtest.New(1)
	var total int64
	for i := range n {
		ev := g.raw(bodies.Body(i))
		ev.Seq, ev.Attempt = uint64(i+1), 1
		line, err := ev.MarshalLine()
		if err != nil {
			b.Fatal(err)
		}
		w.Write(line)
		total += int64(ev.BodyLen())
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, total
}

// heapInUse is the live heap, after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// openSessionModel is a screen over the session at path: opened as `open`
// does ("kept": its bodies stay in the file) or read into memory ("held").
func openSessionModel(b testing.TB, path, mode string, n int) (*Model, func()) {
	b.Helper()
	opt := session.Options{MaxBody: 1 << 20}
	st := store.New(n, 1<<40)
	closeSession := func() {}
	if mode == "kept" {
		l, err := session.Open(path, opt, session.Bounds{}, st)
		if err != nil {
			b.Fatal(err)
		}
		l.Wait()
		closeSession = func() { l.Close() }
	} else {
		events, _, err := session.ReadFile(path, opt)
		if err != nil {
			b.Fatal(err)
		}
		session.Load(st, events)
	}
	m := newTestModel(b, st, 160, 48)
	pull(m)
	return m, closeSession
}

// BenchmarkSessionFilter times filter keystrokes over a session whose
// bodies stay in its file ("kept"), where every body a search scans in the
// oldest 70% is read again, against the same session held in memory:
// ns/op is the first screen of exact results, complete-ms the whole search
// (see benchKeystroke). BENCH_SESSION_SIZES picks the sizes ("20k",
// "100k"; both when unset; "100k-500B" is 100,000 of Extend's own
// deliveries of about 500 bytes, none of whose bodies `open` holds, in
// folded index rows).
//
//	go test -run XXX -bench SessionFilter -benchtime 5x -count 3 ./ui/
func BenchmarkSessionFilter(b *testing.B) {
	sizes := strings.Fields(os.Getenv("BENCH_SESSION_SIZES"))
	if len(sizes) == 0 {
		sizes = []string{"20k", "100k"}
	}
	for _, size := range sizes {
		n, ok := map[string]int{"20k": 20_000, "100k": 100_000, "100k-500B": 100_000}[size]
		if !ok {
			b.Fatalf("BENCH_SESSION_SIZES: %q is not 20k, 100k or 100k-500B", size)
		}
		var path string
		if size == "100k-500B" {
			path, _ = writeRecordedSession(b, n, 500)
		} else {
			path, _ = writeSessionFile(b, n)
		}
		for _, mode := range []string{"kept", "held"} {
			m, closeSession := openSessionModel(b, path, mode, n)
			for _, sh := range filterShapes {
				b.Run(size+"/"+mode+"/"+sh.name, func(b *testing.B) { benchKeystroke(b, m, sh.name, sh.before, sh.after) })
			}
			closeSession()
		}
		os.Remove(path)
	}
}
