package session

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// BenchmarkReadSession reads back 10,000 deliveries of 4 KB.
func BenchmarkReadSession(b *testing.B) {
	events, _ := storetest.Bulk(10_000)
	for _, format := range []export.Format{export.JSONL, export.HAR} {
		b.Run(format.String(), func(b *testing.B) {
			session := encode(b, format, events)
			b.SetBytes(int64(len(session)))
			for b.Loop() {
				if _, _, err := Read(bytes.NewReader(session), opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewestRecords times the scan `open` makes from the end of a
// session file, before its first screen, to find where the newest records
// that fit its bounds start: here a file of 110 MB of 5.5 KB records, all
// of which fit.
func BenchmarkNewestRecords(b *testing.B) {
	line := append([]byte(`{"seq":1,"receivedAt":"2026-11-27T09:00:00Z","body":"`), bytes.Repeat([]byte("x"), 5500)...)
	line = append(line, "\"}\n"...)
	path := filepath.Join(b.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, bytes.Repeat(line, 20_000), 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	b.SetBytes(info.Size())
	for b.Loop() {
		if t, err := newestRecords(f, info.Size(), Bounds{}); err != nil || t.records != 20_000 {
			b.Fatalf("%+v, %v", t, err)
		}
	}
}

// BenchmarkKeptBodies reads back every body of a session opened with its
// bodies kept in the file (10,000 of 4 KB; the oldest 70% in the file):
// from the mapping or with ReadAt, each into a new slice (Event.Body, as
// the pane does) or into one reused buffer (Event.BodyUsing, as the text
// filter does).
//
//	go test -run XXX -bench KeptBodies -count 3 ./session/
func BenchmarkKeptBodies(b *testing.B) {
	kept, l := openBulkKept(b)
	defer l.Close()
	mapped := l.bodies.mapped
	for _, read := range []string{"mapped", "readat"} {
		for _, into := range []string{"new", "reused"} {
			b.Run(read+"/"+into, func(b *testing.B) {
				l.bodies.mapped = nil
				if read == "mapped" {
					l.bodies.mapped = mapped
				}
				var buf []byte
				for b.Loop() {
					for _, ev := range kept {
						var err error
						if into == "reused" {
							_, err = ev.BodyUsing(&buf)
						} else {
							_, err = ev.Body()
						}
						if err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(kept)), "ns/body")
			})
		}
	}
	l.bodies.mapped = mapped
}

// BenchmarkOpenSession loads a session of 10,000 deliveries of 4 KB with
// Open, their bodies and headers kept in the file, from the start to the
// end of the loading.
//
//	go test -run XXX -bench OpenSession -count 3 ./session/
func BenchmarkOpenSession(b *testing.B) {
	events, _ := storetest.Bulk(10_000)
	path := filepath.Join(b.TempDir(), "session.jsonl")
	data := encode(b, export.JSONL, events)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		st := store.New(len(events), 1<<40)
		l, err := Open(path, opt, Bounds{}, st)
		if err != nil {
			b.Fatal(err)
		}
		if warn := l.Wait(); warn != nil || st.Last() != uint64(len(events)) {
			b.Fatalf("up to #%d loaded, %v", st.Last(), warn)
		}
		l.Close()
	}
}

// BenchmarkKeptHeaders reads back the headers of every event of a session
// opened with them kept in the file (10,000 deliveries), as the Headers
// view and the exports do, one event at a time.
//
//	go test -run XXX -bench KeptHeaders -count 3 ./session/
func BenchmarkKeptHeaders(b *testing.B) {
	kept, l := openBulkKept(b)
	defer l.Close()
	for b.Loop() {
		for _, ev := range kept {
			if _, err := ev.Headers(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(kept)), "ns/event")
}

// openBulkKept opens a session of 10,000 bulk deliveries with their bodies
// and headers kept in the file, loaded whole; the caller closes it.
func openBulkKept(b *testing.B) ([]*store.Event, *Loading) {
	b.Helper()
	events, _ := storetest.Bulk(10_000)
	path := filepath.Join(b.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, encode(b, export.JSONL, events), 0o600); err != nil {
		b.Fatal(err)
	}
	st := store.New(len(events), 1<<40)
	l, err := Open(path, opt, Bounds{}, st)
	if err != nil {
		b.Fatal(err)
	}
	l.Wait()
	return st.All(), l
}
