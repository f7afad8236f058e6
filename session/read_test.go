package session

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// opt reads the sessions of these tests.
var opt = Options{MaxBody: 1 << 20}

// variety is the events that exercise every corner of the formats.
var variety = storetest.Variety

// encode is events in a format of one file, as the export writes it.
func encode(t testing.TB, format export.Format, events []*store.Event) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := export.Encode(context.Background(), &b, events, export.Options{Format: format}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jsonlOf is events as a JSONL session.
func jsonlOf(t testing.TB, events []*store.Event) []byte { return encode(t, export.JSONL, events) }

func TestTruncatedLastLine(t *testing.T) {
	events := variety()
	session := jsonlOf(t, events)
	cut := session[:len(session)-40] // the last line, cut mid-way
	got, warn, err := Read(bytes.NewReader(cut), opt)
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
	got, warn, err := Read(bytes.NewReader(session), opt)
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
		if events, _, err := Read(strings.NewReader(input), opt); err == nil {
			t.Errorf("%s: read %d events, want an error", name, len(events))
		}
	}
	if events, warn, err := Read(strings.NewReader(""), opt); len(events) != 0 || warn != nil || err != nil {
		t.Errorf("an empty session: %d events, %v, %v", len(events), warn, err)
	}
}

func TestManyWarningsAreCounted(t *testing.T) {
	session := append(bytes.Repeat([]byte("{}\n"), 25), jsonlOf(t, variety()[:1])...)
	_, warn, err := Read(bytes.NewReader(session), opt)
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
	events, warn, err := Read(strings.NewReader(otherHAR), opt)
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
		ev.Category != extend.CategoryWorkflow || ev.Size() != int64(len(storetest.Body(ev))) || ev.ReceivedAt.UTC().Hour() != 14 {
		t.Errorf("event = %+v", ev)
	}
	if len(storetest.Headers(ev)) != 2 || storetest.Header(ev, "Content-Type") != "application/json" {
		t.Errorf("headers = %v", storetest.Headers(ev))
	}
	if form := string(storetest.Body(events[1])); form != "a+b=c%26d" || events[1].Seq != 2 {
		t.Errorf("form params = %q, seq %d", form, events[1].Seq)
	}
}

// 13.8: a line longer than any delivery under --max-body can make is
// skipped without being held, and the rest loads.
func TestALineOverTheLimitIsSkipped(t *testing.T) {
	small := Options{MaxBody: 1000}
	lines := bytes.SplitAfter(jsonlOf(t, variety()[:2]), []byte("\n"))
	long := `{"seq":7,"method":"POST","verification":"unchecked","body":"` + strings.Repeat("x", int(small.MaxLine())) + `"}` + "\n"
	session := bytes.Join([][]byte{lines[0], []byte(long), lines[1]}, nil)
	got, warn, err := Read(bytes.NewReader(session), small)
	if err != nil || len(got) != 2 {
		t.Fatalf("loaded %d events, err %v", len(got), err)
	}
	if warn == nil || !strings.Contains(warn.Error(), "line 2 skipped: it is over 399216 bytes") {
		t.Errorf("warn = %v", warn)
	}
	if _, _, err := Read(bytes.NewReader(session), Options{}); err == nil {
		t.Error("read without a bound")
	}
}

// endless is an input that never ends: /dev/zero, or worse.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// 13.8: reading /dev/zero ends with an error instead of growing; a first
// line that could be a record is held up to the bound, and no further.
func TestEndlessInputEnds(t *testing.T) {
	for _, input := range []endless{0, '{'} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		events, _, err := Read(input, opt)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "line 1 is over 6684672 bytes") || events != nil {
			t.Errorf("%q: %d events, err %v", byte(input), len(events), err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 4*uint64(opt.MaxLine()) {
			t.Errorf("%q: allocated %d bytes for a bound of %d", byte(input), grew, opt.MaxLine())
		}
	}
}

// An update line gives an earlier delivery its forward result; one that
// names no delivery before it is reported.
func TestUpdateLines(t *testing.T) {
	session := append(jsonlOf(t, variety()[:2]),
		`{"seq":2,"update":"forward","forward":{"url":"http://app/","status":204,"latencyMs":3}}
{"seq":9,"update":"forward","forward":{"url":"http://app/","status":204}}
{"seq":1,"update":"colour","forward":{"url":"x"}}
`...)
	got, warn, err := Read(bytes.NewReader(session), opt)
	if err != nil || len(got) != 2 {
		t.Fatalf("loaded %d events, err %v", len(got), err)
	}
	if f := got[1].Forward(); f == nil || f.Status != 204 || f.Latency != 3*time.Millisecond || got[0].Forward() != nil {
		t.Errorf("forward results: %+v, %+v", got[0].Forward(), f)
	}
	for _, want := range []string{"line 4 skipped: a forward result for delivery #9, which no line before it holds", `line 5 skipped: an update of an unknown kind ("colour")`} {
		if warn == nil || !strings.Contains(warn.Error(), want) {
			t.Errorf("warn = %v, want %q", warn, want)
		}
	}
}

// A HAR file is decoded whole, so one larger than its bound is refused
// without being read to the end (an endless stream of spaces after the
// opening of the log would otherwise grow memory until the process dies).
func TestAHAROverTheBoundIsRefused(t *testing.T) {
	small := Options{MaxBody: 1}
	endless := io.MultiReader(strings.NewReader(`{"log":{"entries":[`), neverEnding(' '))
	_, _, err := Read(endless, small)
	if err == nil || !strings.Contains(err.Error(), "HAR file too large") {
		t.Fatalf("got %v, want the HAR bound", err)
	}
	if _, _, err := Read(bytes.NewReader(encode(t, export.HAR, variety())), opt); err != nil {
		t.Fatalf("a HAR within the bound: %v", err)
	}
}

// neverEnding reads as the byte c, for ever.
type neverEnding byte

func (c neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}
