package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
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

// Record converts the event for output. Headers are keyed by their
// canonical name; a header sent more than once has its values joined with
// ", ", as HTTP allows.
func (e *Event) Record() Record {
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
		Size:               e.Size,
		Answer:             e.Status,
		Rejected:           e.Rejected,
		DuplicateOf:        e.DuplicateOf,
		Attempt:            e.Attempt,
		ReplayOf:           e.ReplayOf,
		Headers:            headerMap(e.Headers),
	}
	if e.Envelope.Err != nil && e.Rejected == "" {
		r.ParseError = e.Envelope.Err.Error()
	}
	if f := e.Forward(); f != nil {
		r.Forward = &ForwardRecord{URL: f.URL, Status: f.Status, LatencyMs: f.Latency.Milliseconds(), Error: f.Err, Slow: f.Slow}
	}
	switch {
	case e.Body == nil:
	case utf8.Valid(e.Body):
		s := string(e.Body)
		r.Body = &s
	default:
		r.BodyBase64 = base64.StdEncoding.EncodeToString(e.Body)
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
// files and jq, not for web pages.
func (e *Event) MarshalLine() ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e.Record()); err != nil {
		return nil, fmt.Errorf("encode event %d: %w", e.Seq, err)
	}
	return []byte(b.String()), nil
}

// Event rebuilds an event from a record, as a session file holds it. The
// envelope is parsed again from the body; the verification outcome is the
// one recorded, since the secret that produced it may not be at hand.
func (r Record) Event() (*Event, error) {
	body, err := r.body()
	if err != nil {
		return nil, err
	}
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
		Headers:      headerSlice(r.Headers),
		Body:         body,
		Size:         r.Size,
		Status:       r.Answer,
		Rejected:     r.Rejected,
		ReplayOf:     r.ReplayOf,
		Verification: extend.Check{Outcome: outcome, Reason: r.VerificationReason},
	}
	ev.Classify()
	if ev.Rejected != "" {
		ev.Envelope.EventID, ev.Envelope.EventType = r.EventID, r.EventType
	}
	if f := r.Forward; f != nil {
		ev.SetForward(&Forward{URL: f.URL, Status: f.Status, Latency: time.Duration(f.LatencyMs) * time.Millisecond, Err: f.Error, Slow: f.Slow})
	}
	return ev, nil
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

func headerSlice(m map[string]string) []Header {
	headers := make([]Header, 0, len(m))
	for name, value := range m {
		headers = append(headers, Header{Name: name, Value: value})
	}
	SortHeaders(headers)
	return headers
}
