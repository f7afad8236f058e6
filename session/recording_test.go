package session

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// eventually waits, for a generous while, until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// storeOf is a store holding events with their numbers.
func storeOf(events []*store.Event) *store.Store {
	st := store.New(100, 0)
	Load(st, events)
	return st
}

func record(t *testing.T, st *store.Store, path string) (*Recording, *storetest.SyncBuffer) {
	t.Helper()
	var warn storetest.SyncBuffer
	rec, err := StartRecording(st, path, &warn)
	if err != nil {
		t.Fatal(err)
	}
	return rec, &warn
}

// Deliveries appended from many goroutines while recording are all in the
// file, in sequence order, and the file is readable by its owner only.
func TestRecording(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	st := store.New(1000, 0)
	rec, warn := record(t, st, path)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for _, ev := range variety() {
				st.Append(ev)
			}
		})
	}
	wg.Wait()
	if err := rec.Stop(); err != nil || warn.String() != "" {
		t.Fatalf("Stop: %v; warned %q", err, warn)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600: deliveries are customers' data", info.Mode(), err)
	}
	got, warns, err := ReadFile(path, opt)
	if err != nil || warns != nil || len(got) != 20*len(variety()) {
		t.Fatalf("read %d events, warn %v, err %v", len(got), warns, err)
	}
	for i, ev := range got {
		want, _ := st.Get(ev.Seq)
		if ev.Seq != uint64(i+1) {
			t.Fatalf("line %d holds #%d", i+1, ev.Seq)
		}
		sameEvent(t, ev, want, false)
	}
}

// A recording appended to one whose last line was cut short starts on a
// fresh line: only the cut line is lost.
func TestRecordingAfterACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	events := variety()
	whole := jsonlOf(t, events[:2])
	if err := os.WriteFile(path, whole[:len(whole)-10], 0o600); err != nil {
		t.Fatal(err)
	}
	rec, _ := record(t, storeOf(events[2:]), path)
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	got, warn, err := ReadFile(path, opt)
	if err != nil || len(got) != len(events)-1 {
		t.Fatalf("read %d events, err %v", len(got), err)
	}
	if warn == nil || !strings.Contains(warn.Error(), "line 2 is cut short") {
		t.Errorf("warn = %v", warn)
	}
}

func TestStartRecordingReportsTheProblem(t *testing.T) {
	_, err := StartRecording(store.New(10, 0), filepath.Join(t.TempDir(), "missing", "session.jsonl"), &storetest.SyncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "open record file") {
		t.Errorf("err = %v", err)
	}
}

// 13.3: a forward result that comes in after the delivery's line was
// written is appended as an update, and reading the file restores it.
func TestRecordingKeepsLateForwardResults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	st := store.New(10, 0)
	rec, _ := record(t, st, path)
	events := variety()[:3]
	for _, ev := range events {
		ev.SetForward(nil)
		st.Append(ev)
	}
	eventually(t, "the three lines", func() bool {
		b, _ := os.ReadFile(path)
		return bytes.Count(b, []byte("\n")) == 3
	})
	events[0].SetForward(&store.Forward{URL: "http://localhost:3000/hooks", Status: 500, Latency: 42 * time.Millisecond, Slow: true})
	events[2].SetForward(&store.Forward{URL: "http://localhost:3000/hooks", Err: "connection refused"})
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(path)
	if !strings.Contains(string(file), `{"seq":1,"update":"forward","forward":{"url":"http://localhost:3000/hooks","status":500,"latencyMs":42,"slow":true}}`+"\n") {
		t.Errorf("no update line for #1:\n%s", file)
	}
	got, warn, err := ReadFile(path, opt)
	if err != nil || warn != nil || len(got) != 3 {
		t.Fatalf("read %d events, warn %v, err %v", len(got), warn, err)
	}
	for i, want := range []string{"&{URL:http://localhost:3000/hooks Status:500 LatencyMs:42 Error: Slow:true}", "<nil>",
		"&{URL:http://localhost:3000/hooks Status:0 LatencyMs:0 Error:connection refused Slow:false}"} {
		if f := fmt.Sprintf("%+v", got[i].Forward().Record()); f != want {
			t.Errorf("#%d forward = %s, want %s", got[i].Seq, f, want)
		}
	}
}

// fullDisk fails the writes it is told to: n bytes written, then ENOSPC.
type fullDisk struct {
	bytes.Buffer
	writes int
	fail   map[int]int // write number (from 1) -> bytes it gets in
}

func (d *fullDisk) Write(p []byte) (int, error) {
	d.writes++
	n, ok := d.fail[d.writes]
	if !ok {
		return d.Buffer.Write(p)
	}
	d.Buffer.Write(p[:n])
	return n, &os.PathError{Op: "write", Path: "fake", Err: syscall.ENOSPC}
}

func (d *fullDisk) Sync() error  { return nil }
func (d *fullDisk) Close() error { return nil }

// 13.6: on a full disk every delivery not written is counted and reported,
// a cut line is never continued, and the file reads back with the cut
// line reported and the rest loaded.
func TestRecordingOnAFullDisk(t *testing.T) {
	disk := &fullDisk{fail: map[int]int{2: 30, 3: 0, 4: 1}} // #2 cut, #3 not written, #4 only "\n"
	events := variety()
	var warn storetest.SyncBuffer
	rec := start(storeOf(events), &recordFile{path: "session.jsonl", f: disk}, &warn)
	err := rec.Stop()
	if rec.Unrecorded() != 3 || err == nil || !strings.Contains(err.Error(), "3 deliveries or forward results not recorded in session.jsonl") ||
		!strings.Contains(err.Error(), "delivery #2") {
		t.Errorf("Unrecorded %d, Stop: %v", rec.Unrecorded(), err)
	}
	w := warn.String()
	if strings.Count(w, "no space left on device") != 1 || !strings.Contains(w, "writing again; 3 lines were not recorded meanwhile") {
		t.Errorf("warnings:\n%s", w)
	}
	got, warns, err := Read(bytes.NewReader(disk.Bytes()), opt)
	if err != nil || len(got) != len(events)-3 {
		t.Fatalf("read %d events, err %v\n%s", len(got), err, disk.Bytes())
	}
	if seqs := fmt.Sprint(seqsOf(got)); seqs != "[1 5 6]" {
		t.Errorf("read %s, want [1 5 6]", seqs)
	}
	if warns == nil || !strings.Contains(warns.Error(), "line 2 is cut short") {
		t.Errorf("warn = %v", warns)
	}
}

func seqsOf(events []*store.Event) []uint64 {
	seqs := make([]uint64, len(events))
	for i, ev := range events {
		seqs[i] = ev.Seq
	}
	return seqs
}

// 13.9: --record refuses what is not a session file of its own and never
// leaves one readable by others.
func TestRecordingRefusesWhatIsNotASession(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	if err := os.WriteFile(config, []byte(`{"token": "secret"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(config, link); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ path, want string }{
		"a link":          {link, "is a symbolic link"},
		"another file":    {config, "is not a session file"},
		"a directory":     {dir, "is not a file"},
		"a dangling link": {filepath.Join(dir, "dangling.jsonl"), "is a symbolic link"},
	} {
		if name == "a dangling link" {
			os.Symlink(filepath.Join(dir, "nothing"), c.path)
		}
		if rec, err := StartRecording(store.New(10, 0), c.path, &storetest.SyncBuffer{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
			if rec != nil {
				rec.Stop()
			}
		}
	}
	if b, _ := os.ReadFile(config); string(b) != `{"token": "secret"}`+"\n" {
		t.Errorf("the config file was changed: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nothing")); err == nil {
		t.Error("the dangling link's target was created")
	}
}

func TestRecordingAppendsToASessionAndFixesItsMode(t *testing.T) {
	dir := t.TempDir()
	empty, session := filepath.Join(dir, "empty.jsonl"), filepath.Join(dir, "session.jsonl")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(session, jsonlOf(t, variety()[:1]), 0o644)
	for _, path := range []string{empty, session} {
		rec, warn := record(t, storeOf(variety()[1:2]), path)
		if err := rec.Stop(); err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 || !strings.Contains(warn.String(), "could be read by others (-rw-r--r--); it is 0600 now") {
			t.Errorf("%s: mode %v, warned %q", path, info.Mode().Perm(), warn)
		}
	}
	if got, warn, err := ReadFile(session, opt); err != nil || warn != nil || fmt.Sprint(seqsOf(got)) != "[1 2]" {
		t.Errorf("appended session: %v, %v, %v", seqsOf(got), warn, err)
	}
}

// 13.9: a recording whose file disappears says so.
func TestRecordingWarnsWhenTheFileIsGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	st := store.New(10, 0)
	rec, warn := record(t, st, path)
	defer rec.Stop()
	events := variety()
	st.Append(events[0])
	eventually(t, "the first line", func() bool { b, _ := os.ReadFile(path); return len(b) > 0 })
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	st.Append(events[1])
	eventually(t, "the warning", func() bool {
		return strings.Contains(warn.String(), "session.jsonl: the file was deleted, moved or replaced; deliveries from #2 on")
	})
}

// A session's seq, attempt and duplicateOf survive Load, gaps and all.
func TestLoadKeepsTheRecordedNumbers(t *testing.T) {
	events := variety()[:3]
	for i, seq := range []uint64{5, 9, 13} {
		events[i].Seq, events[i].Attempt = seq, int32(i+1)
		events[i].Envelope.EventID = "evt_1"
		events[i].SetDuplicateOf(5)
	}
	events[0].SetDuplicateOf(0)
	st := store.New(10, 0)
	if n := Load(st, events); n != 0 {
		t.Errorf("%d renumbered", n)
	}
	for i, ev := range st.All() {
		if ev.Seq != []uint64{5, 9, 13}[i] || int(ev.Attempt) != i+1 {
			t.Errorf("#%d attempt %d", ev.Seq, ev.Attempt)
		}
	}
	if n := Load(st, variety()[:1]); n != 1 {
		t.Errorf("a seq that goes back: %d renumbered, want 1", n)
	}
}
