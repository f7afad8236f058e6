// Package storetest builds the events that tests of the file formats
// share: deliveries as the receiver stores them, and a set that exercises
// every corner of the formats.
package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// Secret signs the deliveries.
const Secret = "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU"

// received is when delivery 0 would have arrived; delivery n arrives n
// seconds later.
var received = time.Date(2026, 11, 26, 15, 30, 12, 123456789, time.UTC)

// Delivery builds a stored event the way the receiver does: signed
// headers, a classified body, an answer.
func Delivery(seq uint64, body []byte, extra ...store.Header) *store.Event {
	ts := "1700000000" // long past: a verbatim replay is stale
	headers := append([]store.Header{
		{Name: "Content-Type", Value: "application/json"},
		{Name: "User-Agent", Value: "Extend-Webhooks/1.0"},
		{Name: "X-Extend-Request-Timestamp", Value: ts},
		{Name: "X-Extend-Request-Signature", Value: extend.Sign(Secret, ts, body)},
	}, extra...)
	ev := &store.Event{
		Seq: seq, ReceivedAt: received.Add(time.Duration(seq) * time.Second),
		Method: "POST", Path: "/hooks/extend", Query: "api_version=2026-02-09",
		RemoteAddr: "127.0.0.1:53000",
		Status:     200, Attempt: 1, Verification: extend.Check{Outcome: extend.Verified},
	}
	ev.SetHeaders(headers)
	ev.SetBody(body)
	ev.Classify()
	return ev
}

// Envelope is a small delivery body with the given type and id.
func Envelope(eventType, eventID string) []byte {
	b, _ := json.Marshal(map[string]any{
		"eventId": eventID, "eventType": eventType,
		"payload": map[string]any{"object": "extract_run", "id": "exr_1", "status": "PROCESSED"},
	})
	return b
}

// Variety is a set of events that exercises every corner of the formats.
func Variety() []*store.Event {
	indented := []byte("{\n  \"eventId\": \"evt_1\",\n  \"eventType\": \"extract_run.processed\",\n  \"payload\": {\"object\": \"extract_run\", \"id\": \"exr_1\"}\n}\n")
	notUTF8 := []byte{0xff, 0xfe, 0x00, '{', '\r', '\n', 0x80}
	unicode := []byte("{\"eventId\":\"evt_4\",\"eventType\":\"workflow_run.failed\",\"payload\":{\"object\":\"workflow_run\",\"id\":\"wr_1\",\"note\":\"h\u00e9llo \u2028 <&> \\u0000\"}}\r\n")

	events := []*store.Event{
		Delivery(1, indented, store.Header{Name: "X-Trace", Value: "a"}, store.Header{Name: "X-Trace", Value: "b"}),
		Delivery(2, notUTF8),
		Delivery(3, []byte{}),
		Delivery(4, unicode),
		Delivery(5, nil),
		Delivery(6, Envelope("extract_run.processed", "evt_1")),
	}
	headers := Headers(events[1])
	headers[0].Value = "application/octet-stream"
	events[1].SetHeaders(headers)
	events[2].SetHeaders(Headers(events[2])[1:]) // no Content-Type
	events[3].Query = "a=1&a=2&b=%20x&empty="
	events[3].ReceivedAt = events[3].ReceivedAt.In(time.FixedZone("CET", 3600))
	events[3].Verification = extend.Check{Outcome: extend.Invalid, Reason: "Invalid signature"}
	events[3].SetForward(&store.Forward{URL: "http://localhost:3000/hooks", Status: 500, Latency: 42 * time.Millisecond})
	rejected := events[4]
	rejected.Reject("body over 10 MiB", 20<<20)
	rejected.Status = 413
	rejected.Envelope.EventID, rejected.Envelope.EventType = "evt_big", "workflow_run.completed"
	rejected.Verification = extend.Check{Outcome: extend.Missing, Reason: "Missing headers"}
	events[5].Attempt = 2
	events[5].SetDuplicateOf(1)
	events[5].SetReplayOf(1)
	events[5].Path, events[5].Query = "/odd path/%zz", "q=#frag"
	return events
}

// Bulk is n deliveries of about 4 KB each, and the bytes of their bodies.
func Bulk(n int) ([]*store.Event, int64) {
	events := make([]*store.Event, n)
	var total int64
	for i := range events {
		id := fmt.Sprintf("evt_%08d", i)
		body := Envelope("extract_run.processed", id)
		pad := fmt.Sprintf(`,"padding":%q}`, strings.Repeat("x", 4096-len(body)-14))
		body = append(body[:len(body)-1], pad...)
		events[i] = Delivery(uint64(i+1), body)
		total += int64(len(body))
	}
	return events, total
}

// Body is ev's body, for tests: a body that cannot be read panics, which
// fails the test that asked.
func Body(ev *store.Event) []byte {
	b, err := ev.Body()
	if err != nil {
		panic(fmt.Sprintf("the body of event %d: %v", ev.Seq, err))
	}
	return b
}

// Headers is ev's headers, for tests: headers that cannot be read panic,
// as Body's do.
func Headers(ev *store.Event) []store.Header {
	h, err := ev.Headers()
	if err != nil {
		panic(fmt.Sprintf("the headers of event %d: %v", ev.Seq, err))
	}
	return h
}

// Header is ev's named header, for tests, as Headers.
func Header(ev *store.Event, name string) string {
	return store.HeaderValue(Headers(ev), name)
}
