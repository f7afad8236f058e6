package session

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// fileBodies is the store.BodyReader and store.HeaderReader of a JSONL
// session opened with Open: the bodies and headers of its events stay in
// the file, and each is read from the file again when it is needed. The
// store then holds an event's metadata and the screen its index, a few
// hundred bytes, instead of its body and headers: a session of a million
// 2.5 KB deliveries fits in a fraction of its size.
//
// A record's body is a JSON string, `body` (the text) or `bodyBase64` (the
// base64 of bytes that are not UTF-8); the reader keeps where that string
// token is in the file and a checksum of it, and decodes it again on each
// read, with the envelope scanner's decoder. Its headers are the JSON
// object `headers`, kept the same way and decoded again with
// store.ParseHeaders, as Read decodes them. Nothing reads them on the
// screen's update loop: the Headers view, copies, exports and replays are
// made in commands, and the one fact of them an event needs without a read
// (the API version they name) is noted as it loads.
//
// The file is mapped into memory read-only where the system allows it
// (mmap.go): the text filter reads thousands of bodies a keystroke, and a
// read of the mapping costs no system call and no copy of the token, where
// a ReadAt is a system call and a copy each (reading 10,000 kept bodies
// into a reused buffer, BenchmarkKeptBodies: 4.7–7.3 µs a body from the
// mapping against 8.6–10.0 µs with ReadAt, on a loaded 2-core machine).
// Where it cannot be mapped, each read is one ReadAt. Both are safe on
// several goroutines at once.
//
// The file stays open (and mapped) until Close: a session file that is
// moved or deleted while it is open is still read (the open file outlives
// its name), but one that is truncated or rewritten in place no longer
// holds the bodies and headers where they were, and each read says so (the
// checksum does not match, or the bytes are gone) instead of showing other
// bytes.
type fileBodies struct {
	f *os.File
	// mu lets Close wait for the reads of the mapping in flight before it
	// unmaps it, and tells the reads after it that the session is closed.
	mu     sync.RWMutex
	mapped []byte // the file's first size bytes; nil: read with ReadAt
	closed bool
	tokens sync.Pool // *[]byte buffers for ReadAt
}

// newFileBodies reads the bodies of f, of which the first size bytes hold
// the records loaded.
func newFileBodies(f *os.File, size int64) *fileBodies {
	return &fileBodies{f: f, mapped: mapFile(f, size)}
}

// The kinds of body token (store.BodyAt.Kind).
const (
	bodyText   uint8 = iota // `body`: the bytes as a JSON string
	bodyBase64              // `bodyBase64`: their base64, as a JSON string
)

// castagnoli is the CRC-32 that processors compute in hardware (SSE 4.2,
// ARMv8), so checking a body costs far less than decoding it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errChanged is why a body or headers read back from a file are not the
// ones loaded.
var errChanged = errors.New("the session file changed after it was opened (it was rewritten or cut short), " +
	"so it no longer holds them where they were: open it again")

// AppendBody reads the body at at from the file, decodes it and appends it
// to dst.
func (fb *fileBodies) AppendBody(dst []byte, at store.BodyAt) ([]byte, error) {
	body := dst
	err := fb.read("the body", span{at.Offset, at.Length, at.Sum}, func(tok []byte) bool {
		var err error
		body, err = decodeBody(dst, tok, at.Kind)
		return err == nil && int64(len(body)-len(dst)) == at.Size
	})
	if err != nil {
		return dst, err
	}
	return body, nil
}

// ReadHeaders reads the headers at at from the file: a record's `headers`
// object, decoded as the record's own decoding does (store.ParseHeaders).
func (fb *fileBodies) ReadHeaders(at store.HeadersAt) ([]store.Header, error) {
	var headers []store.Header
	err := fb.read("the headers", span{at.Offset, at.Length, at.Sum}, func(tok []byte) bool {
		var err error
		headers, err = store.ParseHeaders(tok)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	return headers, nil
}

// span is where a token of a line is in the file: length bytes at offset,
// whose CRC-32C is sum.
type span struct {
	offset, length int64
	sum            uint32
}

// read hands decode the token at s and checks it is the one loaded: decode
// reports whether the token decoded to what was loaded from it, and what
// names the token in errors. decode must copy what it keeps of the token,
// which is the mapping's bytes or a buffer read into and reused.
func (fb *fileBodies) read(what string, s span, decode func(tok []byte) bool) error {
	fb.mu.RLock()
	defer fb.mu.RUnlock()
	if fb.closed {
		return fmt.Errorf("read %s from %s: the session is closed", what, fb.f.Name())
	}
	// A record appended to the file after it was mapped (a session still
	// being recorded) is past the mapping, and read with ReadAt.
	if s.offset < 0 || s.length < 0 || s.offset+s.length > int64(len(fb.mapped)) {
		return fb.readAt(what, s, decode)
	}
	return fb.readMapped(what, fb.mapped[s.offset:s.offset+s.length], s, decode)
}

// readAt reads the token with ReadAt, into a buffer reused across reads.
func (fb *fileBodies) readAt(what string, s span, decode func(tok []byte) bool) error {
	buf, _ := fb.tokens.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	defer fb.tokens.Put(buf)
	*buf = slices.Grow((*buf)[:0], int(s.length))[:s.length]
	tok := *buf
	if _, err := fb.f.ReadAt(tok, s.offset); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return fmt.Errorf("read %s from %s: the session is closed", what, fb.f.Name())
		}
		return fb.changed(what, err)
	}
	if crc32.Checksum(tok, castagnoli) != s.sum || !decode(tok) {
		return fb.changed(what, nil)
	}
	return nil
}

// readMapped decodes the token where it is mapped. A file cut short after
// it was mapped faults on a read past its new end (SIGBUS), which
// SetPanicOnFault turns into a panic of this goroutine that the deferred
// recover makes errChanged. The token is decoded before its checksum is
// computed, so that a change to the file during the decode is caught too.
func (fb *fileBodies) readMapped(what string, tok []byte, s span, decode func(tok []byte) bool) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			err = fb.changed(what, nil)
		}
	}()
	if !decode(tok) || crc32.Checksum(tok, castagnoli) != s.sum {
		return fb.changed(what, nil)
	}
	return nil
}

func (fb *fileBodies) changed(what string, err error) error {
	if err != nil {
		return fmt.Errorf("read %s from %s: %w; %w", what, fb.f.Name(), err, errChanged)
	}
	return fmt.Errorf("read %s from %s: %w", what, fb.f.Name(), errChanged)
}

// Close unmaps and closes the file: bodies and headers read after it fail.
func (fb *fileBodies) Close() error {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	if fb.closed {
		return nil
	}
	fb.closed = true
	unmap(fb.mapped)
	fb.mapped = nil
	return fb.f.Close()
}

// decodeBody appends the body a token of that kind holds to dst.
func decodeBody(dst, tok []byte, kind uint8) ([]byte, error) {
	if kind == bodyText {
		text, ok := extend.AppendString(dst, tok)
		if !ok {
			return dst, errors.New("the body is not a JSON string")
		}
		return text, nil
	}
	text, ok := extend.AppendString(nil, tok)
	if !ok {
		return dst, errors.New("bodyBase64 is not a JSON string")
	}
	out, err := base64.StdEncoding.AppendDecode(dst, text)
	if err != nil {
		return dst, fmt.Errorf("bodyBase64: %w", err)
	}
	return out, nil
}

// spanOf is where tok, a token json.Unmarshal found in line, starts in it.
// A bodyToken is a slice of the line it was decoded from, which the
// capacities tell; should it be a copy, the same bytes are looked for (the
// last copy: the body comes last in the records extend-inspect writes),
// and any copy of them decodes to the same body.
func spanOf(line, tok []byte) int {
	if i := cap(line) - cap(tok); len(tok) > 0 && i >= 0 && i+len(tok) <= len(line) && &line[i] == &tok[0] {
		return i
	}
	return bytes.LastIndex(line, tok)
}

// bodyToken is a JSON value as it is in the line being decoded, not copied:
// json.Unmarshal hands UnmarshalJSON a slice of its input, which outlives
// the call here because the line does.
type bodyToken []byte

func (t *bodyToken) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = nil
		return nil
	}
	*t = b
	return nil
}

// headersToken is the `headers` object as it is in the line, as bodyToken
// is a body; seen counts the members that set it (their names are matched
// without regard to case, as the record's fields are).
type headersToken struct {
	tok  bodyToken
	seen int
}

func (t *headersToken) UnmarshalJSON(b []byte) error {
	t.seen++
	return t.tok.UnmarshalJSON(b)
}

var (
	_ json.Unmarshaler = (*bodyToken)(nil)
	_ json.Unmarshaler = (*headersToken)(nil)
)
