package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// jsonlOf is events as a JSONL session.
func jsonlOf(t testing.TB, events []*store.Event) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeJSONL(context.Background(), &b, events, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTruncatedLastLine(t *testing.T) {
	events := variety()
	session := jsonlOf(t, events)
	cut := session[:len(session)-40] // the last line, cut mid-way
	got, warn, err := ReadSession(bytes.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events)-1 {
		t.Errorf("loaded %d events, want %d", len(got), len(events)-1)
	}
	if warn == nil || !strings.Contains(warn.Error(), "line 6 is cut short") {
		t.Errorf("warn = %v, want it to name line 6", warn)
	}
}

func TestBadLinesAreSkipped(t *testing.T) {
	lines := bytes.SplitAfter(jsonlOf(t, variety()), []byte("\n"))
	session := bytes.Join([][]byte{lines[0], []byte("\n  \n{not json}\n"), lines[1], []byte(`{"seq":9}` + "\n"), lines[2]}, nil)
	got, warn, err := ReadSession(bytes.NewReader(session))
	if err != nil || len(got) != 3 {
		t.Fatalf("loaded %d events, err %v", len(got), err)
	}
	for _, want := range []string{"line 4 skipped", "line 6 skipped: not an extend-inspect record"} {
		if warn == nil || !strings.Contains(warn.Error(), want) {
			t.Errorf("warn = %v, want %q", warn, want)
		}
	}
}

func TestNotASession(t *testing.T) {
	for name, input := range map[string]string{
		"text":           "hello\nworld\n",
		"array":          "[1, 2]\n",
		"broken HAR":     `{"log": {"entries": [`,
		"HAR wrong type": `{"log": {"entries": {}}}`,
	} {
		if events, _, err := ReadSession(strings.NewReader(input)); err == nil {
			t.Errorf("%s: read %d events, want an error", name, len(events))
		}
	}
	if events, warn, err := ReadSession(strings.NewReader("")); len(events) != 0 || warn != nil || err != nil {
		t.Errorf("an empty session: %d events, %v, %v", len(events), warn, err)
	}
}

func TestManyWarningsAreCounted(t *testing.T) {
	session := append(bytes.Repeat([]byte("{}\n"), 25), jsonlOf(t, variety()[:1])...)
	_, warn, err := ReadSession(bytes.NewReader(session))
	if err != nil || warn == nil || !strings.Contains(warn.Error(), "and 15 more problems") {
		t.Errorf("warn = %v, err = %v", warn, err)
	}
}

// otherHAR is a HAR as a browser or proxy writes it, including a custom
// field that claims this tool's extras: it must not be believed.
const otherHAR = "\ufeff" + `{
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "entries": [
      {
        "startedDateTime": "2026-11-26T15:30:12.123+01:00",
        "time": 12.5,
        "request": {
          "method": "POST", "url": "https://hooks.example.test/in?api_version=2026-02-09&x=1",
          "httpVersion": "h2", "cookies": [], "queryString": [], "headersSize": -1, "bodySize": 64,
          "headers": [{"name": ":authority", "value": "hooks.example.test"}, {"name": "content-type", "value": "application/json"}],
          "postData": {"mimeType": "application/json", "text": "{\"eventId\":\"evt_9\",\"eventType\":\"workflow_run.completed\",\"payload\":{}}"}
        },
        "response": {"status": 204, "statusText": "", "httpVersion": "h2", "cookies": [], "headers": [],
          "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 1, "wait": 10, "receive": 1.5},
        "_extendInspect": {"seq": 77, "verification": "verified", "attempt": 1, "size": 3}
      },
      {
        "startedDateTime": "2026-11-26T15:30:13Z", "time": 0,
        "request": {"method": "POST", "url": "https://hooks.example.test/form", "httpVersion": "HTTP/1.1",
          "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 11,
          "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "a b", "value": "c&d"}]}},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
          "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}
      },
      {
        "startedDateTime": "2026-11-26T15:30:14Z", "time": 0,
        "request": {"method": "GET", "url": "https://hooks.example.test/", "httpVersion": "HTTP/1.1",
          "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0,
          "postData": {"mimeType": "x", "text": "!!", "encoding": "base64"}},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
          "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}
      }
    ]
  }
}`

func TestHARFromAnotherTool(t *testing.T) {
	events, warn, err := ReadSession(strings.NewReader(otherHAR))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || warn == nil || !strings.Contains(warn.Error(), "entry 3 skipped") {
		t.Fatalf("%d events, warn %v", len(events), warn)
	}
	ev := events[0]
	if ev.Seq != 1 || ev.Verification.Outcome != extend.Unchecked || !strings.Contains(ev.Verification.Reason, "WebInspector") {
		t.Errorf("another tool's _extendInspect was believed: seq %d, %v", ev.Seq, ev.Verification)
	}
	if ev.Path != "/in" || ev.Query != "api_version=2026-02-09&x=1" || ev.Status != 204 || ev.EventType() != "workflow_run.completed" ||
		ev.Category != extend.CategoryWorkflow || ev.Size != int64(len(ev.Body)) || ev.ReceivedAt.UTC().Hour() != 14 {
		t.Errorf("event = %+v", ev)
	}
	if len(ev.Headers) != 2 || ev.Header("Content-Type") != "application/json" {
		t.Errorf("headers = %v", ev.Headers)
	}
	if form := string(events[1].Body); form != "a+b=c%26d" || events[1].Seq != 2 {
		t.Errorf("form params = %q, seq %d", form, events[1].Seq)
	}
}

func TestRecorder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	rec, err := OpenRecorder(path)
	if err != nil {
		t.Fatal(err)
	}
	events := variety()
	var wg sync.WaitGroup
	for range 20 {
		for _, ev := range events {
			wg.Go(func() {
				if err := rec.Record(ev); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rec.Record(events[0]); err == nil {
		t.Error("Record after Close succeeded")
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600: deliveries are customers' data", info.Mode(), err)
	}
	got, warn, err := ReadSessionFile(path)
	if err != nil || warn != nil || len(got) != 20*len(events) {
		t.Fatalf("read %d events, warn %v, err %v", len(got), warn, err)
	}
	bySeq := map[uint64]*store.Event{}
	for _, ev := range events {
		bySeq[ev.Seq] = ev
	}
	for _, ev := range got {
		sameEvent(t, ev, bySeq[ev.Seq], false)
	}
}

// TestRecorderAfterACrash appends to a recording whose last line was cut
// short: the new lines stay whole, and only the cut line is lost.
func TestRecorderAfterACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	events := variety()
	whole := jsonlOf(t, events[:2])
	if err := os.WriteFile(path, whole[:len(whole)-10], 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := OpenRecorder(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events[2:] {
		if err := rec.Record(ev); err != nil {
			t.Fatal(err)
		}
	}
	rec.Close()
	got, warn, err := ReadSessionFile(path)
	if err != nil || len(got) != len(events)-1 {
		t.Fatalf("read %d events, err %v", len(got), err)
	}
	if warn == nil || !strings.Contains(warn.Error(), "line 2 skipped") {
		t.Errorf("warn = %v", warn)
	}
}

func TestOpenRecorderReportsTheProblem(t *testing.T) {
	_, err := OpenRecorder(filepath.Join(t.TempDir(), "missing", "session.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "open record file") {
		t.Errorf("err = %v", err)
	}
}
