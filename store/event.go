// Package store keeps the deliveries the inspector has received: the Event
// record and a bounded ring buffer that readers snapshot by sequence number.
package store

import (
	"net/url"
	"sync/atomic"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

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
	headers    headerList // see Headers and SetHeaders

	// The body is in memory (body) for a delivery received live, or in a
	// session file (inFile) for one loaded from a file; see Body.
	body   []byte
	inFile *bodyInFile

	Envelope     extend.Envelope
	Verification extend.Check

	// Category, Status and Attempt share a word.
	Category extend.Category
	// Status is what the receiver answered: 200, or 413 for a rejected one.
	Status int16
	// Attempt counts deliveries of the event's eventId, starting at 1;
	// assigned by Append, as DuplicateOf is.
	Attempt int32

	more *eventMore // nil for a delivery stored, received once, not a replay

	later atomic.Pointer[later] // its forward result and fetched payload: see Forward and Fetched
	store atomic.Pointer[Store] // the store it was appended to, told of its forward result
}

// later is what arrives for an event after it is stored. The two share one
// pointer in the Event, nil until the first arrives, and each change
// publishes a new later (a compare-and-swap, so that a forward result and a
// fetched payload published at once both stay).
type later struct {
	forward *Forward
	fetched *Fetched // see fetched.go
}

// publish replaces what arrived later by change applied to a copy of it,
// and returns what it replaced.
func (e *Event) publish(change func(*later)) later {
	for {
		old := e.later.Load()
		var next later
		if old != nil {
			next = *old
		}
		change(&next)
		if e.later.CompareAndSwap(old, &next) {
			if old == nil {
				return later{}
			}
			return *old
		}
	}
}

// eventMore holds what few deliveries have: a refusal, a replay, a retry.
// It is apart from the Event, which holds a pointer to it instead of 40
// bytes: that keeps every Event in the 512-byte size class.
type eventMore struct {
	rejected    string // why the body was refused
	size        int64  // the refused body's size, as the sender declared or sent it
	replayOf    uint64
	duplicateOf uint64
}

// changeMore returns a copy of the event's eventMore to change and keep in
// its place: the event is not stored yet, but a copy never changes what an
// earlier reader took.
func (e *Event) changeMore() *eventMore {
	more := new(eventMore)
	if e.more != nil {
		*more = *e.more
	}
	e.more = more
	return more
}

// Rejected is why the receiver refused the body, or "" when it stored it.
func (e *Event) Rejected() string {
	if e.more == nil {
		return ""
	}
	return e.more.rejected
}

// Reject records that the receiver refused the body, why, and its size as
// the sender declared or sent it. Call it before Append.
func (e *Event) Reject(why string, size int64) {
	more := e.changeMore()
	more.rejected, more.size = why, size
}

// Size is the body's size in bytes; for a rejected delivery, which has
// none, what the sender declared or sent.
func (e *Event) Size() int64 {
	switch {
	case e.HasBody():
		return int64(e.BodyLen())
	case e.more != nil:
		return e.more.size
	}
	return 0
}

// ReplayOf is the Seq of the event this one replays, or 0.
func (e *Event) ReplayOf() uint64 {
	if e.more == nil {
		return 0
	}
	return e.more.replayOf
}

// SetReplayOf says the event replays stored event seq. Call it before
// Append.
func (e *Event) SetReplayOf(seq uint64) {
	if seq != e.ReplayOf() {
		e.changeMore().replayOf = seq
	}
}

// DuplicateOf is the Seq of the first delivery with the same eventId, or 0
// when this is the first; assigned by Append.
func (e *Event) DuplicateOf() uint64 {
	if e.more == nil {
		return 0
	}
	return e.more.duplicateOf
}

// SetDuplicateOf sets DuplicateOf: for Append, and for an event read back
// from a file, which keeps the numbers it was recorded with.
func (e *Event) SetDuplicateOf(seq uint64) {
	if seq != e.DuplicateOf() {
		e.changeMore().duplicateOf = seq
	}
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

// BodyReader reads the bodies a store does not hold in memory: those of
// events loaded from a session file, which stay in the file so that a
// session costs the heap little more than its index. ReadBody must be safe
// for concurrent use (the text filter scans on several goroutines), and
// fail with an error that says what to do when the body can no longer be
// read as it was (the file changed or is gone).
//
// AppendBody appends the body at at to dst and returns the extended slice
// (dst as it was, with the error, when it cannot be read): a reader that
// scans many bodies, as the text filter does, hands the same buffer back
// each time instead of allocating one per body.
type BodyReader interface {
	AppendBody(dst []byte, at BodyAt) ([]byte, error)
}

// BodyAt is where a BodyReader keeps a body: Length bytes at Offset of its
// file, which decode to Size bytes. Sum and Kind are the reader's own (a
// checksum of those bytes, how they are encoded).
type BodyAt struct {
	Offset, Length, Size int64
	Sum                  uint32
	Kind                 uint8
}

// bodyInFile is what of an event a session file keeps rather than memory:
// its body (in is nil when the body is in memory after all, see SetBody),
// its headers (headers is nil when they are in memory), or both. It is
// apart from the Event, which then holds a pointer where it would hold the
// 96 bytes that live events leave empty: that keeps every stored event an
// allocator size class smaller (TestEventFitsTheSizeClassItIsMeasuredIn),
// and this is in its 96-byte one (TestBodyInFileFitsItsSizeClass).
type bodyInFile struct {
	in        BodyReader
	at        BodyAt
	headers   HeaderReader
	headersAt HeadersAt
	// apiVersion is the x-extend-api-version header's version, as its
	// index in extend.Versions plus one (0: none), noted when the headers
	// were left in the file so that Versions reads nothing.
	apiVersion uint8
}

// keptInFile is e.inFile, made when the event has none.
func (e *Event) keptInFile() *bodyInFile {
	if e.inFile == nil {
		e.inFile = &bodyInFile{}
	}
	return e.inFile
}

// bodyIn is the reader that keeps the body, or nil when it is in memory.
func (e *Event) bodyIn() BodyReader {
	if e.inFile == nil {
		return nil
	}
	return e.inFile.in
}

// Body is the event's body as an in-memory one with the same bytes
// would be, read at that moment: the error of a body in a file says why it
// cannot be read. nil, nil means no body (a rejected delivery); an empty
// body is empty and not nil.
func (e *Event) Body() ([]byte, error) {
	in := e.bodyIn()
	if in == nil {
		return e.body, nil
	}
	return in.AppendBody(make([]byte, 0, e.inFile.at.Size), e.inFile.at)
}

// BodyUsing is Body for a reader done with the bytes before it reads the
// next body: one in a file is decoded into *buf, which keeps the buffer
// (grown when it was short), so a scan of thousands of bodies reuses one;
// one in memory is returned as it is, without a copy, and *buf is left
// alone (it never holds the event's own bytes). The caller must not
// change the bytes.
func (e *Event) BodyUsing(buf *[]byte) ([]byte, error) {
	in := e.bodyIn()
	if in == nil {
		return e.body, nil
	}
	body, err := in.AppendBody((*buf)[:0], e.inFile.at)
	*buf = body[:0]
	return body, err
}

// BodyLen is the body's length in bytes, without reading it.
func (e *Event) BodyLen() int {
	if e.bodyIn() == nil {
		return len(e.body)
	}
	return int(e.inFile.at.Size)
}

// HasBody reports whether the event has a body (an empty one counts): a
// rejected delivery has none.
func (e *Event) HasBody() bool { return e.body != nil || e.bodyIn() != nil }

// BodyInFile reports whether the body is read through a BodyReader (a
// session file) rather than held in memory: reading it is I/O.
func (e *Event) BodyInFile() bool { return e.bodyIn() != nil }

// SetBody gives the event its bytes as received, kept in memory. Call it
// before Append: an event is immutable once stored.
func (e *Event) SetBody(b []byte) {
	e.body = b
	if e.inFile != nil {
		e.inFile.in = nil
	}
}

// KeepBodyIn says the event's body is kept by in, at at, and drops the
// bytes held in memory. Call it before Append.
func (e *Event) KeepBodyIn(in BodyReader, at BodyAt) {
	f := e.keptInFile()
	e.body, f.in, f.at = nil, in, at
}

// Forward returns the forward result, or nil when there is none (yet).
func (e *Event) Forward() *Forward {
	if l := e.later.Load(); l != nil {
		return l.forward
	}
	return nil
}

// SetForward publishes the forward result, and tells the store holding
// the event (see Store.SubscribeForwards).
func (e *Event) SetForward(f *Forward) {
	e.publish(func(l *later) { l.forward = f })
	if s := e.store.Load(); s != nil {
		s.forwarded()
	}
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
	if v, ok := e.headerVersion(); ok {
		return []extend.Version{v}, "header"
	}
	if e.Envelope.Versions == 0 {
		return nil, ""
	}
	return e.Envelope.Versions.List(), "guess"
}

// footprint estimates the memory an event holds, for the byte bound.
func (e *Event) footprint() int64 {
	n := int64(len(e.body)+len(e.Fetched().payload())+len(e.headers)) + eventOverhead
	return n + int64(len(e.Path)+len(e.Query)+len(e.RemoteAddr))
}

// eventOverhead approximates the fixed cost of an Event and its envelope
// strings, measured by BenchmarkMemoryPerEvent.
const eventOverhead = 800

// Classify parses the body into the envelope and sets the category. Call it
// once, before Append; a rejected delivery has no body and stays unknown.
func (e *Event) Classify() {
	if e.Rejected() != "" {
		e.Category = extend.CategoryUnknown
		return
	}
	body, err := e.Body()
	if err != nil {
		e.Envelope = extend.Unreadable(err)
		e.Category = extend.CategoryUnknown
		return
	}
	e.Envelope = extend.ParseEnvelope(body)
	e.Category = extend.CategoryOf(e.Envelope.EventType)
}
