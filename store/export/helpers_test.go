package export

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

const testSecret = "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU"

var received = time.Date(2026, 11, 26, 15, 30, 12, 123456789, time.UTC)

// delivery builds a stored event the way the receiver does: signed
// headers, a classified body, an answer.
func delivery(seq uint64, body []byte, extra ...store.Header) *store.Event {
	ts := "1700000000" // long past: a verbatim replay is stale
	headers := append([]store.Header{
		{Name: "Content-Type", Value: "application/json"},
		{Name: "User-Agent", Value: "Extend-Webhooks/1.0"},
		{Name: "X-Extend-Request-Timestamp", Value: ts},
		{Name: "X-Extend-Request-Signature", Value: extend.Sign(testSecret, ts, body)},
	}, extra...)
	ev := &store.Event{
		Seq: seq, ReceivedAt: received.Add(time.Duration(seq) * time.Second),
		Method: "POST", Path: "/hooks/extend", Query: "api_version=2026-02-09",
		RemoteAddr: "127.0.0.1:53000", Headers: headers, Body: body, Size: int64(len(body)),
		Status: 200, Attempt: 1, Verification: extend.Check{Outcome: extend.Verified},
	}
	ev.Classify()
	return ev
}

// envelope is a small delivery body with the given type and id.
func envelope(eventType, eventID string) []byte {
	b, _ := json.Marshal(map[string]any{
		"eventId": eventID, "eventType": eventType,
		"payload": map[string]any{"object": "extract_run", "id": "exr_1", "status": "PROCESSED"},
	})
	return b
}

// variety is a set of events that exercises every corner of the formats.
func variety() []*store.Event {
	indented := []byte("{\n  \"eventId\": \"evt_1\",\n  \"eventType\": \"extract_run.processed\",\n  \"payload\": {\"object\": \"extract_run\", \"id\": \"exr_1\"}\n}\n")
	notUTF8 := []byte{0xff, 0xfe, 0x00, '{', '\r', '\n', 0x80}
	unicode := []byte("{\"eventId\":\"evt_4\",\"eventType\":\"workflow_run.failed\",\"payload\":{\"object\":\"workflow_run\",\"id\":\"wr_1\",\"note\":\"h\u00e9llo \u2028 <&> \\u0000\"}}\r\n")

	events := []*store.Event{
		delivery(1, indented, store.Header{Name: "X-Trace", Value: "a"}, store.Header{Name: "X-Trace", Value: "b"}),
		delivery(2, notUTF8),
		delivery(3, []byte{}),
		delivery(4, unicode),
		delivery(5, nil),
		delivery(6, envelope("extract_run.processed", "evt_1")),
	}
	events[1].Headers[0].Value = "application/octet-stream"
	events[2].Headers = events[2].Headers[1:] // no Content-Type
	events[3].Query = "a=1&a=2&b=%20x&empty="
	events[3].ReceivedAt = events[3].ReceivedAt.In(time.FixedZone("CET", 3600))
	events[3].Verification = extend.Check{Outcome: extend.Invalid, Reason: "Invalid signature"}
	events[3].SetForward(&store.Forward{URL: "http://localhost:3000/hooks", Status: 500, Latency: 42 * time.Millisecond})
	rejected := events[4]
	rejected.Rejected, rejected.Status, rejected.Size = "body over 10 MiB", 413, 20<<20
	rejected.Envelope.EventID, rejected.Envelope.EventType = "evt_big", "workflow_run.completed"
	rejected.Verification = extend.Check{Outcome: extend.Missing, Reason: "Missing headers"}
	events[5].DuplicateOf, events[5].Attempt, events[5].ReplayOf = 1, 2, 1
	events[5].Path, events[5].Query = "/odd path/%zz", "q=#frag"
	return events
}

// export writes events and fails the test on error.
func export(t *testing.T, events []*store.Event, opt Options) Result {
	t.Helper()
	if opt.Dir == "" {
		opt.Dir = filepath.Join(t.TempDir(), "out")
	}
	res, err := Write(context.Background(), events, opt)
	if err != nil {
		t.Fatalf("Write: %v (result %+v)", err, res)
	}
	return res
}

// onlyFile returns the single file of res whose name ends with suffix.
func onlyFile(t *testing.T, res Result, suffix string) string {
	t.Helper()
	var found []string
	for _, f := range res.Files {
		if strings.HasSuffix(f, suffix) {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		t.Fatalf("files ending %q: %v", suffix, res.Files)
	}
	return found[0]
}

// listDir returns the names in dir, failing the test on error.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

func storeHeader(name, value string) store.Header { return store.Header{Name: name, Value: value} }
