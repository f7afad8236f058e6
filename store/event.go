// Package store keeps the deliveries the inspector has received: the Event
// record and a bounded ring buffer that readers snapshot by sequence number.
package store

import (
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Header is one request header as received. A request's headers are kept as
// a slice rather than an http.Header map: it is smaller per event, and keeps
// them in a stable order.
type Header struct {
	Name  string
	Value string
}

// Event is one delivery: the request exactly as it arrived and what the
// inspector made of it. An Event is immutable once appended, except for the
// forward result and the payload fetched from its signed link, which
// arrive later and are published atomically.
type Event struct {
	Seq        uint64 // 1 for the first delivery; assigned by Append
	ReceivedAt time.Time
	Method     string
	Path       string // URL path
	Query      string // raw query, without '?'
	RemoteAddr string
	Headers    []Header
	Body       []byte // the exact bytes received; nil for a rejected delivery
	Size       int64  // body size in bytes; for a rejected delivery, what the sender declared or sent

	Envelope     extend.Envelope
	Category     extend.Category
	Verification extend.Check

	// Status is what the receiver answered: 200, or 413 for a rejected one.
	Status   int
	Rejected string // why the body was refused; empty when it was stored

	// DuplicateOf is the Seq of the first delivery with the same eventId, or
	// 0 when this is the first. Attempt counts deliveries of that eventId,
	// starting at 1. Both are assigned by Append.
	DuplicateOf uint64
	Attempt     int

	// ReplayOf is the Seq of the event this one replays, or 0.
	ReplayOf uint64

	forward atomic.Pointer[Forward]
	fetched atomic.Pointer[Fetched] // see fetched.go
	store   atomic.Pointer[Store]   // the store it was appended to, told of its forward result
}

// MaxAnswerBody is how much of the app's answer a Forward keeps: enough for
// any error page's message, and a bound on what a runaway answer can cost.
const MaxAnswerBody = 64 << 10

// Forward is what the app under test answered when the delivery was
// forwarded to it.
type Forward struct {
	URL      string
	Status   int
	Headers  []Header
	Body     []byte // at most the first MaxAnswerBody bytes
	Latency  time.Duration
	Err      string // connection error or timeout; empty when the app answered
	Slow     bool   // took longer than Extend waits (30 s), so Extend would count it failed
	Finished time.Time
}

// Forward returns the forward result, or nil when there is none (yet).
func (e *Event) Forward() *Forward { return e.forward.Load() }

// SetForward publishes the forward result, and tells the store holding
// the event (see Store.SubscribeForwards).
func (e *Event) SetForward(f *Forward) {
	e.forward.Store(f)
	if s := e.store.Load(); s != nil {
		s.forwarded()
	}
}

// Header returns the first value of the named header, matched
// case-insensitively, or "".
func (e *Event) Header(name string) string {
	for _, h := range e.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// URI is the path with its query, as the sender requested it.
func (e *Event) URI() string {
	if e.Query == "" {
		return e.Path
	}
	return e.Path + "?" + e.Query
}

// EventType is the delivery's eventType, or "" when it has none.
func (e *Event) EventType() string { return e.Envelope.EventType }

// Versions returns the API versions the delivery may come from: the
// endpoint's `?api_version=` when the sender tagged it (as Extend's migration
// guide suggests), else the x-extend-api-version header Extend sends, else
// the guess from the payload's shape. VersionSource says which decided.
func (e *Event) Versions() []extend.Version {
	vs, _ := e.versions()
	return vs
}

// VersionSource says what decided Versions: "query", "header" or "guess"
// ("" when nothing is known).
func (e *Event) VersionSource() string {
	_, src := e.versions()
	return src
}

func (e *Event) versions() ([]extend.Version, string) {
	if e.Query != "" {
		if q, err := url.ParseQuery(e.Query); err == nil {
			if v, ok := extend.ParseVersion(q.Get("api_version")); ok {
				return []extend.Version{v}, "query"
			}
		}
	}
	if v, ok := extend.ParseVersion(e.Header(extend.APIVersionHeader)); ok {
		return []extend.Version{v}, "header"
	}
	if len(e.Envelope.Versions) == 0 {
		return nil, ""
	}
	return e.Envelope.Versions, "guess"
}

// footprint estimates the memory an event holds, for the byte bound.
func (e *Event) footprint() int64 {
	n := int64(len(e.Body)+len(e.Fetched().payload())) + eventOverhead
	for _, h := range e.Headers {
		n += int64(len(h.Name) + len(h.Value))
	}
	return n + int64(len(e.Path)+len(e.Query)+len(e.RemoteAddr))
}

// eventOverhead approximates the fixed cost of an Event and its envelope
// strings, measured by BenchmarkMemoryPerEvent.
const eventOverhead = 832

// Classify parses the body into the envelope and sets the category. Call it
// once, before Append; a rejected delivery has no body and stays unknown.
func (e *Event) Classify() {
	if e.Rejected != "" {
		e.Category = extend.CategoryUnknown
		return
	}
	e.Envelope = extend.ParseEnvelope(e.Body)
	e.Category = extend.CategoryOf(e.Envelope.EventType)
}

// SortHeaders orders headers by name, keeping repeated names in order.
func SortHeaders(headers []Header) {
	slices.SortStableFunc(headers, func(a, b Header) int { return strings.Compare(a.Name, b.Name) })
}
