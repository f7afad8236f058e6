package session

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// openKept opens path with its bodies kept in the file, and returns the
// events and the loading (to close).
func openKept(t *testing.T, path string) ([]*store.Event, *Loading) {
	t.Helper()
	st := store.New(1000, 1<<40)
	l, err := Open(path, opt, Bounds{}, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if warn := l.Wait(); warn != nil {
		t.Fatal(warn)
	}
	return st.All(), l
}

// bodiesOf are the events' bodies, or the error reading each.
func bodiesOf(events []*store.Event) (bodies [][]byte, errs []error) {
	for _, ev := range events {
		b, err := ev.Body()
		bodies, errs = append(bodies, b), append(errs, err)
	}
	return bodies, errs
}

// Bodies kept in the file read back exactly as they were recorded, text
// (`body`, escapes and all) and bytes that are not UTF-8 (`bodyBase64`),
// an empty body and none at all; and they are read from the file: after
// Close they cannot be read. (Bodies this small leave no room in the
// bound for holding the newest: see TestTheHeldShareFollowsTheBodies.)
func TestKeptBodiesRoundTrip(t *testing.T) {
	events := variety()
	path := writeSession(t, jsonlOf(t, events))
	got, l := openKept(t, path)
	if len(got) != len(events) {
		t.Fatalf("loaded %d events, want %d", len(got), len(events))
	}
	bodies, errs := bodiesOf(got)
	for i, want := range events {
		if errs[i] != nil || !bytes.Equal(bodies[i], storetest.Body(want)) || (bodies[i] == nil) != !want.HasBody() {
			t.Errorf("#%d body %q, %v; want %q", want.Seq, bodies[i], errs[i], storetest.Body(want))
		}
		if got[i].BodyLen() != want.BodyLen() || got[i].HasBody() != want.HasBody() {
			t.Errorf("#%d length %d (has %v), want %d (%v)", want.Seq, got[i].BodyLen(), got[i].HasBody(), want.BodyLen(), want.HasBody())
		}
		sameEvent(t, got[i], want, false)
	}
	l.Close()
	if _, err := got[0].Body(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("the oldest after Close: %v, want an error saying the session is closed", err)
	}
	if _, err := got[len(got)-1].Body(); err == nil {
		t.Errorf("the newest after Close was read; bodies this small are not held")
	}
}

// The newest bodies of a session are held in memory while issue 14's bound
// leaves room for them: the newest 30% of 3 KB bodies, none of 300-byte
// ones. Held ones read back after Close; the others do not.
func TestTheHeldShareFollowsTheBodies(t *testing.T) {
	for _, c := range []struct {
		size     int
		min, max int // held, of 100
	}{{300, 0, 0}, {3000, 25, 35}} {
		var events []*store.Event
		for i := range 100 {
			ev := &store.Event{Seq: uint64(i + 1), Attempt: 1, Method: "POST", Path: "/", Status: 200}
			ev.SetBody(fmt.Appendf(nil, `{"eventId":"evt_%d","eventType":"workflow.created","payload":{"pad":%q}}`,
				i, strings.Repeat("x", c.size)))
			ev.Classify()
			events = append(events, ev)
		}
		got, l := openKept(t, writeSession(t, jsonlOf(t, events)))
		l.Close()
		held := 0
		for i, ev := range got {
			if _, err := ev.Body(); err == nil {
				held++
			} else if held > 0 {
				t.Errorf("%d-byte bodies: #%d is not held, though an older one is", c.size, i+1)
			}
		}
		if held < c.min || held > c.max {
			t.Errorf("%d-byte bodies: %d of 100 held, want %d to %d", c.size, held, c.min, c.max)
		}
	}
}

// A record written by another tool, its keys in another order, spaced,
// its body not last, with a duplicate key (the last one counts, as in
// encoding/json), loads its body from where it is in the line.
func TestKeptBodyAnywhereInTheLine(t *testing.T) {
	lines := `  {"body": "{\"eventType\":\"workflow_run.completed\",\"n\":\"\u00e9\\u00e9\"}" , "seq":1,"method":"POST","path":"/","verification":"unchecked","attempt":1,"headers":{}}` + "\n" +
		`{"seq":2,"body":"first","method":"POST","path":"/","verification":"unchecked","attempt":1,"headers":{"X":"\"first\""},"body":"second"}` + "\n" +
		`{"seq":3,"method":"POST","path":"/","verification":"unchecked","attempt":1,"headers":{},"bodyBase64":"/w==","body":null}` + "\n"
	got, _ := openKept(t, writeSession(t, []byte(lines)))
	bodies, errs := bodiesOf(got)
	want := []string{`{"eventType":"workflow_run.completed","n":"é\u00e9"}`, "second", "\xff"}
	if len(got) != len(want) {
		t.Fatalf("loaded %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if errs[i] != nil || string(bodies[i]) != want[i] {
			t.Errorf("#%d body %q, %v; want %q", i+1, bodies[i], errs[i], want[i])
		}
	}
	if got[0].EventType() != "workflow_run.completed" {
		t.Errorf("#1 classified as %q", got[0].EventType())
	}
}

// A HAR file is read whole, and its bodies stay in memory: they read back
// after Close.
func TestHARBodiesStayInMemory(t *testing.T) {
	events := variety()
	got, l := openKept(t, writeSession(t, encode(t, export.HAR, events)))
	l.Close()
	bodies, errs := bodiesOf(got)
	for i, want := range events {
		if errs[i] != nil || !bytes.Equal(bodies[i], storetest.Body(want)) {
			t.Errorf("#%d body %q, %v; want %q", want.Seq, bodies[i], errs[i], storetest.Body(want))
		}
	}
}

// A session file cut short or rewritten after it was loaded gives an
// error for the bodies it no longer holds, never other bytes (the newest,
// held in memory, still show); one moved or deleted is still read, from
// the open file.
func TestKeptBodiesOfAChangedFile(t *testing.T) {
	events, _ := storetest.Bulk(20)
	data := jsonlOf(t, events)
	t.Run("truncated", func(t *testing.T) {
		path := writeSession(t, data)
		got, _ := openKept(t, path)
		if err := os.Truncate(path, int64(len(data)/2)); err != nil {
			t.Fatal(err)
		}
		_, errs := bodiesOf(got)
		cut := errs[len(errs)*6/10]
		if errs[0] != nil || errs[len(errs)-1] != nil || cut == nil || !strings.Contains(cut.Error(), "changed after it was opened") {
			t.Errorf("first %v, at 60%% %v, last %v; want the one past the cut refused as changed", errs[0], cut, errs[len(errs)-1])
		}
	})
	// Cut to nothing, every page of a mapped file faults (SIGBUS): each
	// read is refused, and the process goes on.
	t.Run("emptied", func(t *testing.T) {
		path := writeSession(t, data)
		got, _ := openKept(t, path)
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		_, errs := bodiesOf(got)
		if err := errs[0]; err == nil || !strings.Contains(err.Error(), "changed after it was opened") {
			t.Errorf("first %v; want it refused as changed", err)
		}
	})
	t.Run("rewritten in place", func(t *testing.T) {
		path := writeSession(t, data)
		got, _ := openKept(t, path)
		changed := bytes.Replace(data, []byte("evt_00000007"), []byte("evt_0000000X"), -1)
		if err := os.WriteFile(path, changed, 0o600); err != nil {
			t.Fatal(err)
		}
		_, errs := bodiesOf(got)
		for i, err := range errs {
			if changed := i == 7; (err != nil) != changed {
				t.Errorf("#%d: %v", i+1, err)
			}
		}
	})
	t.Run("replaced and deleted", func(t *testing.T) {
		path := writeSession(t, data)
		got, _ := openKept(t, path)
		if err := os.WriteFile(path+".new", []byte("something else\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(path+".new", path); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		bodies, errs := bodiesOf(got)
		for i, want := range events {
			if errs[i] != nil || !bytes.Equal(bodies[i], storetest.Body(want)) {
				t.Errorf("#%d: %v", want.Seq, errs[i])
			}
		}
	})
}

// Exports of a session whose bodies are in its file are byte for byte
// those of the same session read into memory.
func TestExportsOfKeptBodies(t *testing.T) {
	events := variety()
	data := jsonlOf(t, events)
	kept, _ := openKept(t, writeSession(t, data))
	held, _, err := Read(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []export.Format{export.JSONL, export.HAR} {
		if got, want := encode(t, f, kept), encode(t, f, held); !bytes.Equal(got, want) {
			t.Errorf("%v export differs:\n%s\nwant\n%s", f, got, want)
		}
	}
	if got := encode(t, export.JSONL, kept); !bytes.Equal(got, data) {
		t.Errorf("the JSONL export is not the session it was loaded from:\n%s\nwant\n%s", got, data)
	}
}

// Bodies are read from the file by several goroutines at once, as the text
// filter's workers do (run with -race).
func TestKeptBodiesReadConcurrently(t *testing.T) {
	events, _ := storetest.Bulk(50)
	got, _ := openKept(t, writeSession(t, jsonlOf(t, events)))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, ev := range got {
				if b, err := ev.Body(); err != nil || !bytes.Equal(b, storetest.Body(events[i])) {
					t.Errorf("#%d: %v", ev.Seq, err)
				}
			}
		})
	}
	wg.Wait()
}
