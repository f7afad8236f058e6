package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func TestJSONFiles(t *testing.T) {
	events := variety()
	res := export(t, events, Options{Format: JSON})
	// Every event has a body file and a meta file, except the rejected one,
	// which has no body.
	if res.Events != len(events) || len(res.Files) != 2*len(events)-1 || res.Skipped != nil {
		t.Fatalf("result = %+v", res)
	}
	body, err := os.ReadFile(filepath.Join(res.Dir, "000002-unknown-unknown.json"))
	if err != nil || !bytes.Equal(body, storetest.Body(events[1])) {
		t.Errorf("body file = %q (%v), want the exact bytes %q", body, err, storetest.Body(events[1]))
	}
	for _, ev := range events {
		base := eventStem(ev, metaExt)
		raw, err := os.ReadFile(filepath.Join(res.Dir, base+metaExt))
		if err != nil {
			t.Fatalf("#%d: %v", ev.Seq, err)
		}
		want, err := metaOf(ev)
		if err != nil {
			t.Fatalf("#%d: %v", ev.Seq, err)
		}
		var got meta
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("#%d meta: %v", ev.Seq, err)
		}
		if got.Seq != want.Seq || !got.ReceivedAt.Equal(want.ReceivedAt) || got.Path != ev.Path || got.Query != ev.Query ||
			!slices.Equal(got.Headers, want.Headers) || got.Verification != want.Verification || got.Answer != int(ev.Status) ||
			got.RemoteAddr != ev.RemoteAddr || got.VerificationReason != ev.Verification.Reason {
			t.Errorf("#%d meta = %+v\nwant %+v", ev.Seq, got, want)
		}
		_, err = os.Stat(filepath.Join(res.Dir, base+bodyExt))
		if hasBody := err == nil; hasBody != (ev.Rejected() == "") {
			t.Errorf("#%d: body file present = %v, rejected %q", ev.Seq, hasBody, ev.Rejected())
		}
	}
}

func TestNamesAreSafe(t *testing.T) {
	hostile := []struct{ eventType, eventID string }{
		{"../../x", "../../x"},
		{"a/b\\c", `C:\Windows\x`},
		{"\x1b[31mred\x07", "tab\there\r\nnewline"},
		{"", strings.Repeat("x", 10<<10)},
		{".hidden", ".."},
		{"..", "."},
		{"-rf", "--help"},
		{"\u202eevil", strings.Repeat("é", 200)},
		{"ok.type", "\xff\xfe"},
	}
	var events []*store.Event
	for i, h := range hostile {
		events = append(events, delivery(uint64(i+1), envelope(h.eventType, h.eventID)))
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	res := export(t, events, Options{Format: JSON, Dir: dir})
	if names := listDir(t, parent); !slices.Equal(names, []string{"out"}) {
		t.Errorf("files outside the target directory: %v", names)
	}
	names := listDir(t, dir)
	if len(names) != 2*len(events) || len(res.Files) != len(names) {
		t.Fatalf("%d names for %d events: %q", len(names), len(events), names)
	}
	for _, name := range names {
		checkSafeName(t, name)
		if !strings.HasSuffix(name, bodyExt) {
			t.Errorf("%q lost its extension", name)
		}
	}
	if want := "000004-unknown-"; !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, want) }) {
		t.Errorf("an empty eventType must read %q: %q", want, names)
	}
}

func checkSafeName(t *testing.T, name string) {
	t.Helper()
	switch {
	case len(name) > maxName:
		t.Errorf("%q is %d bytes, over %d", name, len(name), maxName)
	case !utf8.ValidString(name):
		t.Errorf("%q is not UTF-8 (cut inside a rune?)", name)
	case strings.ContainsAny(name, `/\`):
		t.Errorf("%q has a path separator", name)
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-"):
		t.Errorf("%q starts with %q", name, name[0])
	case name == "." || name == "..":
		t.Errorf("%q", name)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-", r) {
			t.Errorf("%q has %U", name, r)
		}
	}
}

func TestFitStem(t *testing.T) {
	for _, tc := range []struct {
		stem  string
		limit int
		want  string
	}{
		{"", 10, unknownPart},
		{"..", 10, unknownPart},
		{".hidden", 10, "hidden"},
		{"-rf", 10, "rf"},
		{"plain", 10, "plain"},
		{"abcdefghi", 3, "abc"},
		{"ééé", 3, "é"}, // the cut falls inside the second é
	} {
		if got := fitStem(tc.stem, tc.limit); got != tc.want {
			t.Errorf("fitStem(%q, %d) = %q, want %q", tc.stem, tc.limit, got, tc.want)
		}
	}
	if got := numbered("events.har", 2); got != "events-2.har" {
		t.Errorf("numbered = %q", got)
	}
}

func TestExistingFilesAreNeverOverwritten(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	events := variety()
	for _, format := range Formats {
		first := export(t, events, Options{Format: format, Dir: dir, Listen: "127.0.0.1:1"})
		before := readAll(t, first.Files)
		second := export(t, events[:1], Options{Format: format, Dir: dir, Listen: "127.0.0.1:1"})
		for _, f := range second.Files {
			if slices.Contains(first.Files, f) {
				t.Errorf("%s: the second export reused %s", format, f)
			}
		}
		if after := readAll(t, first.Files); !slices.EqualFunc(before, after, bytes.Equal) {
			t.Errorf("%s: the second export changed the first one's files", format)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "events-2.har")); err != nil {
		t.Errorf("the second HAR should be events-2.har: %v", err)
	}
	noTempFiles(t, dir)
}

func readAll(t *testing.T, paths []string) [][]byte {
	t.Helper()
	var all [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b)
	}
	return all
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if strings.HasPrefix(d.Name(), ".extend-inspect-") {
			t.Errorf("temporary file left behind: %s", path)
		}
		return nil
	})
}

func TestUnwritableDirectory(t *testing.T) {
	parent := t.TempDir()
	blocker := filepath.Join(parent, "file")
	if err := os.WriteFile(blocker, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"parent is a file": filepath.Join(blocker, "out")}
	if os.Geteuid() != 0 { // root writes through permission bits
		ro := filepath.Join(parent, "readonly")
		os.Mkdir(ro, 0o555)
		dirs["read-only"] = ro
	}
	for name, dir := range dirs {
		for _, format := range Formats {
			t.Run(name+"/"+format.String(), func(t *testing.T) {
				events := variety()
				bodies := make([][]byte, len(events))
				for i, ev := range events {
					bodies[i] = bytes.Clone(storetest.Body(ev))
				}
				res, err := Write(context.Background(), events, Options{Format: format, Dir: dir, Listen: "127.0.0.1:1"})
				if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "choose a directory you can write to") {
					t.Errorf("err = %v, want a message naming %s and what to do", err, dir)
				}
				if len(res.Files) != 0 || res.Events != 0 || len(res.Skipped) != len(events) {
					t.Errorf("result = %+v, want nothing written and every event skipped", res)
				}
				for i, ev := range events {
					if !bytes.Equal(storetest.Body(ev), bodies[i]) {
						t.Errorf("#%d changed", ev.Seq)
					}
				}
			})
		}
	}
}

// TestFailurePartWay takes every name event 2 could have, so the export
// stops there: event 1 is written, 2 and 3 are reported as not written,
// and the files in the way are left as they were.
func TestFailurePartWay(t *testing.T) {
	dir := t.TempDir()
	events := []*store.Event{
		delivery(1, envelope("workflow.deployed", "evt_1")),
		delivery(2, envelope("workflow.deployed", "evt_2")),
		delivery(3, envelope("workflow.deployed", "evt_3")),
	}
	stem := eventStem(events[1], metaExt)
	for n := 1; n <= maxCopies; n++ {
		os.WriteFile(filepath.Join(dir, stem+copySuffix(n)+bodyExt), []byte("mine"), 0o644)
	}
	res, err := Write(context.Background(), events, Options{Format: JSON, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "already exist") {
		t.Errorf("err = %v", err)
	}
	if res.Events != 1 || len(res.Files) != 2 || len(res.Skipped) != 2 || res.Skipped[0].Seq != 2 || res.Skipped[1].Seq != 3 {
		t.Errorf("result = %+v", res)
	}
	if !strings.Contains(res.Summary(), "2 events not written (first: #2") {
		t.Errorf("summary = %s", res.Summary())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, stem+bodyExt)); string(b) != "mine" {
		t.Errorf("an existing file was overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, stem+metaExt)); err == nil {
		t.Error("event 2's meta file was written without its body")
	}
	noTempFiles(t, dir)
}

func TestCancel(t *testing.T) {
	events := make([]*store.Event, 20)
	for i := range events {
		events[i] = delivery(uint64(i+1), envelope("workflow.deployed", "evt"))
	}
	for _, format := range Formats {
		t.Run(format.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var calls []int
			res, err := Write(ctx, events, Options{Format: format, Dir: t.TempDir(), Listen: "127.0.0.1:1",
				Progress: func(done, total int) {
					calls = append(calls, done)
					if total != len(events) {
						t.Errorf("total = %d", total)
					}
					if done == 3 {
						cancel()
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v", err)
			}
			if !slices.Equal(calls, []int{1, 2, 3}) {
				t.Errorf("progress calls = %v", calls)
			}
			wantEvents := 0
			if format == JSON { // one file pair per event: what was written stays
				wantEvents = 3
			}
			if res.Events != wantEvents || res.Events+len(res.Skipped) != len(events) {
				t.Errorf("result: %d events written, %d skipped", res.Events, len(res.Skipped))
			}
			noTempFiles(t, res.Dir)
		})
	}
}

func TestProgress(t *testing.T) {
	events := variety()
	var calls []int
	export(t, events, Options{Format: HAR, Progress: func(done, total int) { calls = append(calls, done) }})
	if !slices.Equal(calls, []int{1, 2, 3, 4, 5, 6}) {
		t.Errorf("progress = %v", calls)
	}
}

func TestFormats(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(strings.ToUpper(f.String())); err != nil || got != f {
			t.Errorf("ParseFormat(%s) = %v, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "json, jsonl, har or curl") {
		t.Errorf("err = %v", err)
	}
	if got := DefaultDir(time.Date(2026, 11, 26, 15, 30, 12, 0, time.Local)); got != "./extend-events-20261126-153012" {
		t.Errorf("DefaultDir = %s", got)
	}
}

func TestCurlNeedsATarget(t *testing.T) {
	_, err := Write(context.Background(), variety(), Options{Format: Curl, Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "address") {
		t.Errorf("err = %v", err)
	}
}

// TestCopyFallback checks the path taken where hard links are not
// available: it still never overwrites.
func TestCopyFallback(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	st, err := stage(root, 0o644, func(w io.Writer) error {
		_, err := w.Write([]byte("new"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "taken"), []byte("old"), 0o644)
	if err := st.copyTo("taken"); !errors.Is(err, fs.ErrExist) {
		t.Errorf("copy over an existing file: %v", err)
	}
	if err := st.copyTo("free"); err != nil {
		t.Fatal(err)
	}
	st.discard()
	for name, want := range map[string]string{"taken": "old", "free": "new"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
	noTempFiles(t, dir)
}
