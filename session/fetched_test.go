package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// fetchedPayload is what the signed link of signedDelivery gave.
const fetchedPayload = `{"object":"workflow_run","id":"workflow_run_F","status":"PROCESSED","note":"h\u00e9llo"}`

var fetchedAt = time.Date(2026, 11, 26, 15, 31, 0, 0, time.UTC)

func signedDelivery(seq uint64) *store.Event {
	return storetest.Delivery(seq, []byte(`{"eventId":"evt_s","eventType":"workflow_run.completed",`+
		`"payload":{"object":"signed_data_url","id":"workflow_run_F","data":"https://example.invalid/p?sig=1"}}`))
}

func sameFetched(t *testing.T, ev *store.Event) {
	t.Helper()
	f := ev.Fetched()
	if f == nil {
		t.Fatalf("#%d has no fetched payload", ev.Seq)
	}
	if string(f.Payload) != fetchedPayload || !f.At.Equal(fetchedAt) {
		t.Errorf("#%d fetched = %s at %v, want %s at %v", ev.Seq, f.Payload, f.At, fetchedPayload, fetchedAt)
	}
}

// A payload fetched after the delivery's line was written is appended as
// an update line, embedded JSON, and reading the file puts it back.
func TestRecordingKeepsFetchedPayloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	st := store.New(10, 0)
	rec, _ := record(t, st, path)
	st.Append(signedDelivery(0))
	eventually(t, "the delivery's line", func() bool {
		b, _ := os.ReadFile(path)
		return strings.Count(string(b), "\n") == 1
	})
	if err := st.SetFetched(1, []byte(fetchedPayload), fetchedAt); err != nil {
		t.Fatal(err)
	}
	st.Append(signedDelivery(0)) // a second one, written after a fetch: no update for it
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(path)
	want := `{"seq":1,"update":"fetched","fetchedPayload":` + fetchedPayload + `,"fetchedAt":"2026-11-26T15:31:00Z"}` + "\n"
	if !strings.Contains(string(file), want) || strings.Count(string(file), `"update"`) != 1 {
		t.Errorf("want one update line %s in:\n%s", want, file)
	}
	got, warn, err := ReadFile(path, opt)
	if err != nil || warn != nil || len(got) != 2 {
		t.Fatalf("read %d events, warn %v, err %v", len(got), warn, err)
	}
	sameFetched(t, got[0])
	if got[1].Fetched() != nil {
		t.Errorf("#2 was never fetched")
	}
}

// The fetched payload goes through every format that keeps a session: a
// JSONL record carries it as embedded JSON, HAR in _extendInspect, and
// both read back with it; the JSON files export writes it beside the body.
func TestFetchedPayloadInTheExports(t *testing.T) {
	ev := signedDelivery(1)
	if err := ev.RestoreFetched([]byte(fetchedPayload), &fetchedAt); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format     export.Format
		file, mark string
	}{
		{export.JSONL, "events.jsonl", `"fetchedPayload":{"object":"workflow_run"`},
		{export.HAR, "events.har", `"_extendInspect": {`},
	} {
		dir := t.TempDir()
		if _, err := export.Write(context.Background(), []*store.Event{ev}, export.Options{Dir: dir, Format: tc.format}); err != nil {
			t.Fatal(err)
		}
		text, _ := os.ReadFile(filepath.Join(dir, tc.file))
		if !strings.Contains(string(text), tc.mark) || strings.Contains(string(text), `"fetchedPayload": "`) {
			t.Errorf("%s: no embedded fetchedPayload:\n%s", tc.format, text)
		}
		back, warn, err := ReadFile(filepath.Join(dir, tc.file), opt)
		if err != nil || warn != nil || len(back) != 1 {
			t.Fatalf("%s: read %d, warn %v, err %v", tc.format, len(back), warn, err)
		}
		sameFetched(t, back[0])
		st := store.New(10, 0)
		Load(st, back)
		if r := st.RunOf(back[0]); r.ID != "workflow_run_F" {
			t.Errorf("%s: the restored event's run is %q", tc.format, r.ID)
		}
	}
	dir := t.TempDir()
	res, err := export.Write(context.Background(), []*store.Event{ev}, export.Options{Dir: dir, Format: export.JSON})
	if err != nil {
		t.Fatal(err)
	}
	var fetchedFile string
	for _, f := range res.Files {
		if strings.HasSuffix(f, ".fetched.json") {
			fetchedFile = f
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, filepath.Base(fetchedFile))); string(b) != fetchedPayload {
		t.Errorf("files %v: the .fetched.json holds %q", res.Files, b)
	}
}
