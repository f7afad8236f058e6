package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Record is an event as one line of JSON: what `tail` prints, `--record`
// appends and the JSONL export writes. Its field names are a public
// interface: scripts read them.
type Record struct {
	Seq                uint64            `json:"seq"`
	ReceivedAt         time.Time         `json:"receivedAt"`
	Method             string            `json:"method"`
	Path               string            `json:"path"`
	Query              string            `json:"query,omitempty"`
	RemoteAddr         string            `json:"remoteAddr,omitempty"`
	EventID            string            `json:"eventId"`
	EventType          string            `json:"eventType"`
	Category           string            `json:"category"`
	Object             string            `json:"object,omitempty"`
	ObjectID           string            `json:"objectId,omitempty"`
	Status             string            `json:"status,omitempty"`
	FailureReason      string            `json:"failureReason,omitempty"`
	APIVersions        []extend.Version  `json:"apiVersions,omitempty"`
	APIVersionSource   string            `json:"apiVersionSource,omitempty"`
	RunID              string            `json:"runId,omitempty"`
	RunKind            string            `json:"runKind,omitempty"`
	Verification       string            `json:"verification"`
	VerificationReason string            `json:"verificationReason,omitempty"`
	Size               int64             `json:"size"`
	Answer             int               `json:"answer"`
	Rejected           string            `json:"rejected,omitempty"`
	DuplicateOf        uint64            `json:"duplicateOf,omitempty"`
	Attempt            int               `json:"attempt"`
	ReplayOf           uint64            `json:"replayOf,omitempty"`
	ParseError         string            `json:"parseError,omitempty"`
	Forward            *ForwardRecord    `json:"forward,omitempty"`
	FetchedPayload     json.RawMessage   `json:"fetchedPayload,omitempty"` // from the signed link: embedded JSON
	FetchedAt          *time.Time        `json:"fetchedAt,omitempty"`
	Headers            map[string]string `json:"headers"`
	Body               *string           `json:"body,omitempty"`
	BodyBase64         string            `json:"bodyBase64,omitempty"`
}

// ForwardRecord is the forward outcome in a Record.
type ForwardRecord struct {
	URL       string `json:"url"`
	Status    int    `json:"status,omitempty"`
	LatencyMs int64  `json:"latencyMs"`
	Error     string `json:"error,omitempty"`
	Slow      bool   `json:"slow,omitempty"` // slower than Extend's 30 s delivery timeout
}

// Record is the forward result as a record carries it; nil for none.
func (f *Forward) Record() *ForwardRecord {
	if f == nil {
		return nil
	}
	return &ForwardRecord{URL: f.URL, Status: f.Status, LatencyMs: f.Latency.Milliseconds(), Error: f.Err, Slow: f.Slow}
}

// Forward is the forward result a record carries, as an event holds it;
// nil for none.
func (r *ForwardRecord) Forward() *Forward {
	if r == nil {
		return nil
	}
	return &Forward{URL: r.URL, Status: r.Status, Latency: time.Duration(r.LatencyMs) * time.Millisecond, Err: r.Error, Slow: r.Slow}
}

// Record converts the event for output, body included. Headers are keyed
// by their canonical name; a header sent more than once has its values
// joined with ", ", as HTTP allows. The error is the body's or the
// headers' (see Event.Body and Event.Headers): the record is not made
// without them.
func (e *Event) Record() (Record, error) {
	r, err := e.RecordWithoutBody()
	if err != nil {
		return Record{}, err
	}
	body, err := e.Body()
	if err != nil {
		return Record{}, fmt.Errorf("event %d: %w", e.Seq, err)
	}
	switch {
	case body == nil:
	case utf8.Valid(body):
		s := string(body)
		r.Body = &s
	default:
		r.BodyBase64 = base64.StdEncoding.EncodeToString(body)
	}
	return r, nil
}

// RecordWithoutBody is Record without reading the body: what is known of
// the event besides its bytes. The error is the headers' (see
// Event.Headers).
func (e *Event) RecordWithoutBody() (Record, error) {
	headers, err := e.Headers()
	if err != nil {
		return Record{}, fmt.Errorf("event %d: %w", e.Seq, err)
	}
	return e.RecordWithHeaders(headers), nil
}

// RecordWithHeaders is RecordWithoutBody for a caller that has read the
// event's headers already (they may be read from a file).
func (e *Event) RecordWithHeaders(headers []Header) Record {
	r := Record{
		Seq:                e.Seq,
		ReceivedAt:         e.ReceivedAt,
		Method:             e.Method,
		Path:               e.Path,
		Query:              e.Query,
		RemoteAddr:         e.RemoteAddr,
		EventID:            e.Envelope.EventID,
		EventType:          e.Envelope.EventType,
		Category:           e.Category.String(),
		Object:             e.Envelope.Object,
		ObjectID:           e.Envelope.ID,
		Status:             e.Envelope.Status,
		FailureReason:      e.Envelope.FailureReason,
		APIVersions:        e.Versions(),
		APIVersionSource:   e.VersionSource(),
		RunID:              e.RunID(),
		RunKind:            e.RunKind(),
		Verification:       e.Verification.Outcome.String(),
		VerificationReason: e.Verification.Reason,
		Size:               e.Size(),
		Answer:             int(e.Status),
		Rejected:           e.Rejected(),
		DuplicateOf:        e.DuplicateOf(),
		Attempt:            int(e.Attempt),
		ReplayOf:           e.ReplayOf(),
		Forward:            e.Forward().Record(),
		Headers:            headerMap(headers),
	}
	r.FetchedPayload, r.FetchedAt = e.Fetched().Record()
	if e.Envelope.Err() != nil && e.Rejected() == "" {
		r.ParseError = e.Envelope.Err().Error()
	}
	return r
}

func headerMap(headers []Header) map[string]string {
	m := make(map[string]string, len(headers))
	for _, h := range headers {
		name := http.CanonicalHeaderKey(h.Name)
		if prev, ok := m[name]; ok {
			m[name] = prev + ", " + h.Value
		} else {
			m[name] = h.Value
		}
	}
	return m
}

// MarshalLine encodes the event's Record as one line of JSON, with its
// newline. HTML characters are not escaped: the output is for terminals,
// files and jq, not for web pages. What a terminal would obey or reorder is
// (see escapeInvisible).
func (e *Event) MarshalLine() ([]byte, error) {
	r, err := e.Record()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode event %d: %w", e.Seq, err)
	}
	return escapeInvisible(b.Bytes()), nil
}

// Event rebuilds an event from a record, as a session file holds it. The
// envelope is parsed again from the body; the verification outcome is the
// one recorded, since the secret that produced it may not be at hand.
func (r Record) Event() (*Event, error) {
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	ev, err := r.event(body)
	if err != nil {
		return nil, err
	}
	ev.Restore(r.EventID, r.EventType, r.Forward)
	return ev, ev.RestoreFetched(r.FetchedPayload, r.FetchedAt)
}

// EventIn rebuilds an event from a record as Event does, with its body kept
// by in at at rather than in memory. body is its bytes (the record's own
// Body and BodyBase64 are not read), used to classify the event and not
// kept: the caller may reuse it.
func (r Record) EventIn(body []byte, in BodyReader, at BodyAt) (*Event, error) {
	ev, err := r.event(body)
	if err != nil {
		return nil, err
	}
	ev.Restore(r.EventID, r.EventType, r.Forward)
	ev.KeepBodyIn(in, at)
	return ev, ev.RestoreFetched(r.FetchedPayload, r.FetchedAt)
}

func (r Record) event(body []byte) (*Event, error) {
	outcome, err := extend.ParseVerification(r.Verification)
	if err != nil {
		return nil, err
	}
	ev := &Event{
		ReceivedAt:   r.ReceivedAt,
		Method:       r.Method,
		Path:         r.Path,
		Query:        r.Query,
		RemoteAddr:   r.RemoteAddr,
		headers:      packHeaders(RecordHeaders(r.Headers)),
		body:         body,
		Status:       StatusOf(r.Answer),
		Verification: extend.Check{Outcome: outcome, Reason: r.VerificationReason},
	}
	if r.Rejected != "" {
		ev.Reject(r.Rejected, r.Size)
	}
	ev.SetReplayOf(r.ReplayOf)
	return ev, nil
}

// Restore finishes an event read back from a file: it classifies the body,
// takes the recorded eventId and eventType for a rejected delivery (which
// has no body to find them in), and the recorded forward result.
func (e *Event) Restore(eventID, eventType string, forward *ForwardRecord) {
	e.Classify()
	if e.Rejected() != "" {
		e.Envelope.EventID, e.Envelope.EventType = eventID, eventType
	}
	if f := forward.Forward(); f != nil {
		e.SetForward(f)
	}
}

func (r Record) body() ([]byte, error) {
	switch {
	case r.Body != nil:
		return []byte(*r.Body), nil
	case r.BodyBase64 != "":
		b, err := base64.StdEncoding.DecodeString(r.BodyBase64)
		if err != nil {
			return nil, fmt.Errorf("bodyBase64: %w", err)
		}
		return b, nil
	}
	return nil, nil
}

// RecordHeaders are the headers of a Record's Headers, in the order the
// Event rebuilt from it keeps them (by name); nil when there are none.
func RecordHeaders(m map[string]string) []Header {
	if len(m) == 0 {
		return nil
	}
	headers := make([]Header, 0, len(m))
	for name, value := range m {
		headers = append(headers, Header{Name: name, Value: value})
	}
	SortHeaders(headers)
	return headers
}

// ParseHeaders decodes a Record's `headers` object, as a session file holds
// it, into the headers of the Event rebuilt from it (see RecordHeaders).
func ParseHeaders(object []byte) ([]Header, error) {
	var m map[string]string
	if err := json.Unmarshal(object, &m); err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	return RecordHeaders(m), nil
}

// StatusOf is an answer's status as an Event keeps it, from a file that may
// say anything: one that is no HTTP status (negative, or over 999) is 0, as
// for no answer, rather than a number wrapped around.
func StatusOf(n int) int16 {
	if n < 0 || n > 999 {
		return 0
	}
	return int16(n)
}
