package session

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func writeSession(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openAll opens path into a store bounded like b and waits for the load.
func openAll(t *testing.T, path string, b Bounds) (*store.Store, Progress) {
	t.Helper()
	st := store.New(1_000_000, 1<<40)
	l, err := Open(path, opt, b, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	l.Wait()
	return st, l.Progress()
}

// A session larger than the bounds keeps its newest records, found from
// the end of the file; update lines count for nothing, and an update of a
// record left out is no problem.
func TestOpenKeepsTheNewest(t *testing.T) {
	events, _ := storetest.Bulk(50)
	data := jsonlOf(t, events)
	data = append(data, `{"seq":3,"update":"forward","forward":{"url":"http://localhost:3000/","status":500,"latencyMs":7}}`+"\n"...)
	data = append(data, `{"seq":48,"update":"forward","forward":{"url":"http://localhost:3000/","status":502,"latencyMs":7}}`+"\n"...)
	path := writeSession(t, data)

	st, p := openAll(t, path, Bounds{Capacity: 20})
	all := st.All()
	if len(all) != 20 || all[0].Seq != 31 || all[19].Seq != 50 {
		t.Fatalf("kept %d events, seq %d to %d; want 31 to 50", len(all), all[0].Seq, all[len(all)-1].Seq)
	}
	if p.Warn != nil || p.Loaded != 20 || p.Total != 20 || p.InFile != 50 || p.Bound != BoundCapacity {
		t.Errorf("progress %+v", p)
	}
	if ev, _ := st.Get(48); ev.Forward() == nil || ev.Forward().Status != 502 {
		t.Errorf("#48 lost its forward result")
	}

	line := int64(len(data)) / 50
	_, p = openAll(t, path, Bounds{MaxBytes: 10 * lineCost(line)})
	if p.Total < 9 || p.Total > 10 || p.Bound != BoundMemory || p.InFile != 50 {
		t.Errorf("bounded by memory: progress %+v, want 9 or 10 of 50", p)
	}
}

// The scan from the end finds every record of a file of several chunks,
// lines that cross a chunk's edge and blank lines included, and for each
// bound the offset of the first record kept.
func TestNewestRecordsAcrossChunks(t *testing.T) {
	events, _ := storetest.Bulk(900) // about 3.6 MB: four chunks
	var data []byte
	var starts []int64
	for i, line := range bytes.SplitAfter(jsonlOf(t, events), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if i%100 == 7 {
			data = append(data, '\n') // a blank line counts for nothing
		}
		starts = append(starts, int64(len(data)))
		data = append(data, line...)
	}
	f, err := os.Open(writeSession(t, data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size := int64(len(data))
	if got, err := newestRecords(f, size, Bounds{}); err != nil || got.records != len(starts) || got.from != 0 {
		t.Fatalf("whole file: %+v, %v; want %d records from 0", got, err, len(starts))
	}
	for _, keep := range []int{1, 255, 256, 257, 600, len(starts) - 1} {
		got, err := newestRecords(f, size, Bounds{Capacity: keep})
		want := tailRecords{from: starts[len(starts)-keep], records: keep, bound: BoundCapacity}
		if err != nil || got != want {
			t.Errorf("capacity %d: %+v, %v; want %+v", keep, got, err, want)
		}
	}
}

// A session that fits loads whole, as Read reads it, warnings included.
func TestOpenLoadsWhatFits(t *testing.T) {
	events, _ := storetest.Bulk(30)
	data := append(jsonlOf(t, events), `{"seq":31,"receivedAt":"2026-11-`...)
	st, p := openAll(t, writeSession(t, data), Bounds{Capacity: 31}) // the cut line counts
	if n := len(st.All()); n != 30 || p.Bound != BoundNone || p.InFile != 31 {
		t.Errorf("loaded %d, progress %+v", n, p)
	}
	if p.Warn == nil || !strings.Contains(p.Warn.Error(), "line 31 is cut short") {
		t.Errorf("warning %v, want the cut line", p.Warn)
	}
}

// A file without a record is refused before anything loads.
func TestOpenRefusesWhatIsNotASession(t *testing.T) {
	path := writeSession(t, []byte("hello\nworld\n"))
	if _, err := Open(path, opt, Bounds{}, store.New(10, 0)); err == nil || !strings.Contains(err.Error(), "not a session file") {
		t.Errorf("Open: %v", err)
	}
}
