package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

func TestRecordRoundTrip(t *testing.T) {
	for name, body := range map[string][]byte{
		"json":     []byte(`{"eventId":"evt_1","eventType":"extract_run.failed","payload":{"object":"extract_run","id":"exr_1","failureReason":"OUT_OF_CREDITS"}}` + "\n"),
		"not utf8": {0xff, 0xfe, '{'},
	} {
		t.Run(name, func(t *testing.T) {
			ev := &Event{Seq: 7, ReceivedAt: time.Date(2026, 11, 26, 12, 0, 0, 123, time.UTC), Method: "POST",
				Path: "/hooks", Query: "api_version=2026-02-09", Status: 200,
				Verification: extend.Check{Outcome: extend.Stale, Reason: "too old"}}
			ev.SetHeaders([]Header{{"Content-Type", "application/json"}, {"X-Extend-Request-Timestamp", "1700000000"}})
			ev.SetBody(body)
			ev.Classify()
			line, err := ev.MarshalLine()
			if err != nil {
				t.Fatal(err)
			}
			var r Record
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatal(err)
			}
			back, err := r.Event()
			if err != nil {
				t.Fatal(err)
			}
			if string(mustBody(back)) != string(body) || back.URI() != ev.URI() || !back.ReceivedAt.Equal(ev.ReceivedAt) {
				t.Errorf("round trip changed the event: %+v", back)
			}
			if back.Verification != ev.Verification || back.Envelope.EventType != ev.Envelope.EventType {
				t.Errorf("verification %v, type %q", back.Verification, back.Envelope.EventType)
			}
			if headers := mustHeaders(back); len(headers) != 2 || HeaderValue(headers, "x-extend-request-timestamp") != "1700000000" {
				t.Errorf("headers = %v", headers)
			}
		})
	}
}

func TestRecordFields(t *testing.T) {
	ev := &Event{Seq: 3, Status: 200}
	ev.SetBody([]byte("not json"))
	ev.Classify()
	r := mustRecord(ev)
	if r.ParseError == "" || r.Category != "unknown" || r.Verification != "unchecked" || r.DuplicateOf != 0 {
		t.Errorf("record = %+v", r)
	}
	line, _ := ev.MarshalLine()
	var m map[string]any
	json.Unmarshal(line, &m)
	for _, absent := range []string{"duplicateOf", "bodyBase64", "forward"} {
		if _, ok := m[absent]; ok {
			t.Errorf("%s present: %s", absent, line)
		}
	}
	for _, present := range []string{"seq", "receivedAt", "method", "path", "eventId", "eventType", "category", "verification", "size", "headers", "body", "parseError"} {
		if _, ok := m[present]; !ok {
			t.Errorf("%s absent: %s", present, line)
		}
	}
}

func TestVersionsPreferTheEndpointTag(t *testing.T) {
	ev := &Event{Query: "api_version=2025-04-21"}
	ev.SetBody([]byte(`{"eventType":"workflow_run.completed","payload":{"dashboardUrl":"x"}}`))
	ev.Classify()
	if v := ev.Versions(); len(v) != 1 || v[0] != extend.V20250421 {
		t.Errorf("Versions = %v", v)
	}
	ev.Query = "api_version=1999-01-01"
	if v := ev.Versions(); len(v) != 1 || v[0] != extend.V20260209 {
		t.Errorf("an unknown tag must fall back to the guess: %v", v)
	}
}

// A terminal acts on C1 controls and reorders text at bidi controls: tail's
// lines carry them escaped, and a JSON reader gets the exact body back.
func TestMarshalLineEscapesWhatTerminalsObey(t *testing.T) {
	body := "{\"note\":\"a\u0085b\u009bc\u202ed\u2066e\u2069f\u200fg\u061ch\x7fi é ✓\"}"
	ev := &Event{Seq: 1, Method: "POST", Path: "/\u202e"}
	ev.SetHeaders([]Header{{"X-Note", "\u009b31m"}})
	ev.SetBody([]byte(body))
	ev.Classify()
	line, err := ev.MarshalLine()
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"\u0085", "\u009b", "\u202e", "\u2066", "\u2069", "\u200f", "\u061c", "\x7f"} {
		if strings.Contains(string(line), raw) {
			t.Errorf("%U is raw in %q", []rune(raw)[0], line)
		}
	}
	for _, escaped := range []string{`\u0085`, `\u009b`, `\u202e`, `\u2066`, `\u007f`, "é ✓"} {
		if !strings.Contains(string(line), escaped) {
			t.Errorf("%s missing from %s", escaped, line)
		}
	}
	var r Record
	if err := json.Unmarshal(line, &r); err != nil {
		t.Fatal(err)
	}
	if r.Body == nil || *r.Body != body || r.Path != ev.Path || r.Headers["X-Note"] != "\u009b31m" {
		t.Errorf("decoded %q, path %q, header %q", *r.Body, r.Path, r.Headers["X-Note"])
	}
}

// mustBody is ev's body; one that cannot be read fails the test.
func mustBody(ev *Event) []byte { return must(ev.Body()) }

func mustHeaders(ev *Event) []Header { return must(ev.Headers()) }

func mustRecord(ev *Event) Record { return must(ev.RecordWithoutBody()) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A status a file gives that is no HTTP status reads as none, not as a
// number wrapped around into the Event's 16 bits.
func TestStatusOfAFilesAnswer(t *testing.T) {
	for n, want := range map[int]int16{200: 200, 0: 0, 999: 999, 1000: 0, 40000: 0, 65736: 0, -1: 0} {
		if got := StatusOf(n); got != want {
			t.Errorf("StatusOf(%d) = %d, want %d", n, got, want)
		}
	}
}
