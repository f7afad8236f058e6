package store

import (
	"encoding/binary"
	"slices"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Header is one request header as received.
type Header struct {
	Name  string
	Value string
}

// headerList is a request's headers, in order, packed in one string: for
// each header, its name as one byte (the index in commonHeaders, plus one)
// or as a zero byte, the name's uvarint length and the name; then the
// value's uvarint length and the value.
//
// A delivery's dozen headers as a []Header of strings cost about 800 bytes
// an event, a third of what a small event costs besides its body
// (BenchmarkSessionMemoryPerEvent, ui); packed, with the names every
// delivery repeats as one byte each, they cost their values and a few
// bytes more. Reading one decodes it: the strings it gives are slices of
// the packed one, so a reader allocates only the slice of Headers. The
// headers of an event loaded from a session file are not even packed: they
// stay in the file (see HeaderReader).
type headerList string

// commonHeaders are the names that deliveries repeat, exactly as the
// receiver keeps them (net/http's canonical form) and as the signing
// constants spell them: a name in another case is packed as it is.
var commonHeaders = [...]string{
	"Accept", "Accept-Encoding", "Content-Length", "Content-Type", "Host", "User-Agent",
	"Connection", "Transfer-Encoding", "Traceparent", "Tracestate",
	"X-Extend-Api-Version", "X-Extend-Request-Signature", "X-Extend-Request-Timestamp",
	"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Real-Ip",
	"x-extend-api-version", "x-extend-request-signature", "x-extend-request-timestamp",
}

// packHeaders packs headers in order.
func packHeaders(headers []Header) headerList {
	if len(headers) == 0 {
		return ""
	}
	n := 0
	for _, h := range headers {
		n += len(h.Name) + len(h.Value) + 2*binary.MaxVarintLen16
	}
	b := make([]byte, 0, n)
	for _, h := range headers {
		if i := slices.Index(commonHeaders[:], h.Name); i >= 0 {
			b = append(b, byte(i+1))
		} else {
			b = appendString(append(b, 0), h.Name)
		}
		b = appendString(b, h.Value)
	}
	return headerList(b)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// next decodes the first header of l and returns the rest.
func (l headerList) next() (Header, headerList) {
	var h Header
	code := l[0]
	l = l[1:]
	if code == 0 {
		h.Name, l = l.cut()
	} else {
		h.Name = commonHeaders[code-1]
	}
	h.Value, l = l.cut()
	return h, l
}

// cut decodes a uvarint length and the string of that length.
func (l headerList) cut() (string, headerList) {
	n, w := uvarint(l)
	return string(l[w : w+n]), l[w+n:]
}

func uvarint(s headerList) (n, width int) {
	var x uint64
	for i := 0; ; i++ {
		c := s[i]
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return int(x), i + 1
		}
	}
}

// all returns the headers in order; nil when there are none.
func (l headerList) all() []Header {
	if l == "" {
		return nil
	}
	var out []Header
	for rest := l; rest != ""; {
		var h Header
		h, rest = rest.next()
		out = append(out, h)
	}
	return out
}

// get returns the first value of the named header, matched
// case-insensitively, or "".
func (l headerList) get(name string) string {
	for rest := l; rest != ""; {
		var h Header
		h, rest = rest.next()
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// HeaderReader reads the headers a store does not hold in memory: those of
// events loaded from a session file, which stay in the file as their
// bodies do (see BodyReader), read in the order Record.Event keeps them.
// ReadHeaders must be safe for concurrent use, and fail as AppendBody
// does, saying what to do, when they can no longer be read as they were.
type HeaderReader interface {
	ReadHeaders(at HeadersAt) ([]Header, error)
}

// HeadersAt is where a HeaderReader keeps an event's headers: Length bytes
// at Offset of its file; Sum is the reader's own (a checksum of them).
type HeadersAt struct {
	Offset, Length int64
	Sum            uint32
}

// Headers returns the request's headers in the order they were kept (see
// SortHeaders), as a slice of the caller's; nil when there are none. Those
// of an event loaded from a session file are read from it, which is I/O,
// and the error says why they cannot be when the file changed since.
func (e *Event) Headers() ([]Header, error) {
	if f := e.headersInFile(); f != nil {
		return f.headers.ReadHeaders(f.headersAt)
	}
	return e.headers.all(), nil
}

// SetHeaders gives the event its request headers, in order, kept in
// memory. Call it before Append: an event is immutable once stored.
func (e *Event) SetHeaders(headers []Header) {
	e.headers = packHeaders(headers)
	if e.inFile != nil {
		e.inFile.headers = nil
	}
}

// KeepHeadersIn says the event's headers are kept by in, at at, and drops
// those held in memory. headers are what in holds there, read while the
// event is loaded for the one fact the event keeps of them, the API
// version they name (see Versions), and not kept. Call it before Append.
func (e *Event) KeepHeadersIn(in HeaderReader, at HeadersAt, headers []Header) {
	f := e.keptInFile()
	f.headers, f.headersAt = in, at
	f.apiVersion = 0
	if v, ok := extend.ParseVersion(HeaderValue(headers, extend.APIVersionHeader)); ok {
		f.apiVersion = uint8(slices.Index(extend.Versions, v) + 1)
	}
	e.headers = ""
}

// Header returns the first value of the named header, matched
// case-insensitively, or "" when there is none; reading it is I/O as for
// Headers.
func (e *Event) Header(name string) (string, error) {
	if e.headersInFile() != nil {
		headers, err := e.Headers()
		return HeaderValue(headers, name), err
	}
	return e.headers.get(name), nil
}

// headersInFile is e.inFile when it keeps the headers, else nil.
func (e *Event) headersInFile() *bodyInFile {
	if e.inFile == nil || e.inFile.headers == nil {
		return nil
	}
	return e.inFile
}

// HeaderValue returns the first value of the named header in headers,
// matched case-insensitively, or "".
func HeaderValue(headers []Header, name string) string {
	if i := slices.IndexFunc(headers, func(h Header) bool { return strings.EqualFold(h.Name, name) }); i >= 0 {
		return headers[i].Value
	}
	return ""
}

// headerVersion is the API version the x-extend-api-version header names,
// known without reading headers kept in a file (KeepHeadersIn noted it).
func (e *Event) headerVersion() (extend.Version, bool) {
	if f := e.headersInFile(); f != nil {
		if f.apiVersion == 0 {
			return "", false
		}
		return extend.Versions[f.apiVersion-1], true
	}
	return extend.ParseVersion(e.headers.get(extend.APIVersionHeader))
}

// SortHeaders orders headers by name, keeping repeated names in order.
func SortHeaders(headers []Header) {
	slices.SortStableFunc(headers, func(a, b Header) int { return strings.Compare(a.Name, b.Name) })
}
