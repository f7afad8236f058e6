package receiver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
)

// A body declared up to exactBody bytes (Extend's are a few KB) is read
// into one buffer of exactly its size. Any other, chunked or declared
// larger, starts in a buffer of firstBuffer bytes that doubles as bytes
// arrive, up to the declared length: a sender that declares a large body, or
// sends a chunked one, and stalls holds little more than what it sent, so
// even thousands of them fill only a corner of the small share.
const (
	exactBody   = 16 << 10
	firstBuffer = 512
)

// drainFactor bounds the rest of a refused body that is read and dropped:
// up to this many times MaxBody in all (see discardRest).
const drainFactor = 4

// errBusy says the in-flight budget had no room for more of a body before
// its read deadline.
var errBusy = errors.New("no room in the in-flight budget")

// readBody reads the body within the limits, until deadline at most. The
// buffer is charged to the in-flight budget as it grows, until the body is
// in hand; from then on the store's own bound accounts for it.
func (s *Server) readBody(r *http.Request, deadline time.Time) ([]byte, *refusal) {
	declared := r.ContentLength
	if declared > s.memory.Largest {
		return nil, s.tooLarge(declared)
	}
	limit := declared
	if declared < 0 {
		limit = s.memory.Largest + 1 // one byte more says it is too large
	}
	s.reading.Add(1)
	defer s.reading.Add(-1)
	b := bodyReader{budget: s.inFlight, ctx: r.Context(), deadline: deadline}
	defer b.release()
	err := b.fill(r.Body, limit)
	got := int64(len(b.buf))
	switch {
	case errors.Is(err, errBusy):
		return nil, busy(declared)
	case err != nil:
		return nil, incomplete(got, declared, err)
	case got < declared:
		return nil, incomplete(got, declared, io.ErrUnexpectedEOF)
	case got > s.memory.Largest:
		return nil, s.tooLarge(got)
	}
	return b.body(), nil
}

// bodyReader reads one body into a buffer that grows as bytes arrive,
// holding the in-flight budget for the buffer it has.
type bodyReader struct {
	budget   *budget
	ctx      context.Context
	deadline time.Time
	buf      []byte
	held     hold
}

// fill reads body until its end or until the buffer holds limit bytes.
func (b *bodyReader) fill(body io.Reader, limit int64) error {
	for {
		if len(b.buf) == cap(b.buf) {
			if int64(len(b.buf)) >= limit {
				return nil
			}
			if !b.grow(b.nextSize(limit)) {
				return errBusy
			}
		}
		n, err := body.Read(b.buf[len(b.buf):cap(b.buf)])
		b.buf = b.buf[:len(b.buf)+n]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// nextSize is the size of the buffer that comes after the one filled.
func (b *bodyReader) nextSize(limit int64) int64 {
	if b.buf == nil && limit <= exactBody {
		return limit
	}
	return min(limit, max(firstBuffer, 2*int64(cap(b.buf))))
}

// grow moves the bytes read to a buffer of size bytes, once the budget has
// room for it. The old buffer is garbage from then on, so only the new one
// is held.
func (b *bodyReader) grow(size int64) bool {
	need := holdFor(size)
	if !b.budget.take(b.ctx, need.minus(b.held), b.deadline) {
		return false
	}
	b.held = need
	grown := make([]byte, len(b.buf), size)
	copy(grown, b.buf)
	b.buf = grown
	return true
}

// body is what was read, never nil (a stored body is never nil: nil means
// refused). A chunked body's buffer may have grown past it; the spare
// capacity is dropped before the body is stored.
func (b *bodyReader) body() []byte {
	switch {
	case b.buf == nil:
		return []byte{}
	case cap(b.buf)-len(b.buf) > len(b.buf)/4:
		return bytes.Clone(b.buf)
	}
	return b.buf
}

func (b *bodyReader) release() {
	b.budget.give(b.held)
	b.held = hold{}
}

// discardRest reads and drops what is left of a body refused as too large,
// so that a sender that writes its whole body before it reads the answer
// (Python's urllib, for one) hears the 413 rather than a reset. It reads at
// most drainFactor × MaxBody in all (a body declared larger is not read at
// all: its sender may be cut off), within the request's read deadline;
// nothing is kept. sent is what the sender declared or had sent. A sender
// that waits for "100 Continue" before sending its body has sent none of it.
func (s *Server) discardRest(r *http.Request, sent int64) {
	bound := min(s.cfg.MaxBody, math.MaxInt64/drainFactor) * drainFactor
	rest := bound - sent      // chunked: sent bytes were read; more may follow
	if r.ContentLength >= 0 { // refused before any of it was read
		if r.ContentLength > bound || expectsContinue(r) {
			return
		}
		rest = r.ContentLength
	}
	io.CopyN(io.Discard, r.Body, rest)
}

func expectsContinue(r *http.Request) bool {
	return strings.EqualFold(strings.TrimSpace(r.Header.Get("Expect")), "100-continue")
}
