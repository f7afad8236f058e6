package receiver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/respond"
	"github.com/extend-inspect/extend-inspect/store"
)

// refusal is why a delivery's body was not kept, and what the sender hears.
type refusal struct {
	status int
	reason string // stored on the event, for the user
	answer string // the error the sender gets back
	size   int64  // what the sender declared or sent
}

// receive handles one delivery: read the exact body, verify it, classify it,
// store it, answer.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) {
	ev := newEvent(r)
	body, refused := s.readBody(r, ev.ReceivedAt.Add(s.cfg.ReadTimeout))
	if refused != nil {
		if refused.status == http.StatusRequestEntityTooLarge {
			s.discardRest(r, refused.size)
		}
		s.reject(w, ev, refused)
		return
	}
	ev.SetBody(body)
	ev.Verification = s.verifier.Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, ev.ReceivedAt)
	ev.Classify()
	mode := s.Respond()
	ev.Status = int16(s.answerStatus(r.Context(), mode, ev))
	seq := s.store(ev)
	if !s.wait(r.Context(), mode.Delay()) {
		return // the sender gave up or the receiver is stopping: nobody to answer
	}
	writeJSON(w, int(ev.Status), ack(seq))
}

// answerStatus picks the status the sender gets under mode.
func (s *Server) answerStatus(ctx context.Context, mode respond.Mode, ev *store.Event) int {
	if mode.Kind() != respond.KindPassThrough {
		return mode.Status()
	}
	if s.cfg.PassThrough == nil {
		return http.StatusBadGateway
	}
	return s.cfg.PassThrough(ctx, ev)
}

// wait holds the answer back for the slow mode. It reports false when the
// sender hung up first; a receiver that is stopping answers at once.
func (s *Server) wait(ctx context.Context, delay time.Duration) bool {
	if delay <= 0 {
		return true
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.stopping:
	case <-ctx.Done():
		return false
	}
	return true
}

// newEvent records the request's metadata; the clock starts once the
// headers are in, which is also the instant the signature's age is judged.
func newEvent(r *http.Request) *store.Event {
	ev := &store.Event{
		ReceivedAt: time.Now(),
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		RemoteAddr: r.RemoteAddr,
	}
	ev.SetHeaders(headersOf(r))
	return ev
}

// headersOf lists the request's headers as sent. net/http moves Host and
// Transfer-Encoding out of the header map; they are put back, since the user
// wants to see what arrived.
func headersOf(r *http.Request) []store.Header {
	n := 2
	for _, values := range r.Header {
		n += len(values)
	}
	headers := make([]store.Header, 0, n)
	if r.Host != "" {
		headers = append(headers, store.Header{Name: "Host", Value: r.Host})
	}
	for _, te := range r.TransferEncoding {
		headers = append(headers, store.Header{Name: "Transfer-Encoding", Value: te})
	}
	for name, values := range r.Header {
		for _, v := range values {
			headers = append(headers, store.Header{Name: name, Value: v})
		}
	}
	store.SortHeaders(headers)
	return headers
}

func (s *Server) tooLarge(size int64) *refusal {
	limit := s.memory.Largest
	raise := "raise it with --max-body"
	if limit < s.cfg.MaxBody {
		raise = "all that --max-memory allows: a body must fit while it is read and again once it is kept; raise --max-memory"
	}
	return &refusal{
		status: http.StatusRequestEntityTooLarge,
		reason: fmt.Sprintf("body of %d bytes is over the %d-byte limit (%s)", size, limit, raise),
		answer: fmt.Sprintf("body too large: the limit is %d bytes", limit),
		size:   size,
	}
}

func incomplete(got, declared int64, err error) *refusal {
	what := fmt.Sprintf("%d bytes", got)
	if declared >= 0 {
		what = fmt.Sprintf("%d of %d bytes", got, declared)
	}
	cause := "the sender closed the connection"
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		cause = err.Error()
	}
	return &refusal{
		status: http.StatusBadRequest,
		reason: fmt.Sprintf("body incomplete: got %s (%s)", what, cause),
		answer: "body incomplete",
		size:   max(got, declared),
	}
}

func busy(declared int64) *refusal {
	return &refusal{
		status: http.StatusServiceUnavailable,
		reason: "refused: too many large bodies were arriving at once",
		answer: "receiver busy, retry later",
		size:   declared,
	}
}

// reject keeps a refused delivery's metadata, so the user sees that it came
// and why it was turned away, and answers the sender.
func (s *Server) reject(w http.ResponseWriter, ev *store.Event, why *refusal) {
	ev.Reject(why.reason, max(why.size, 0))
	ev.Status = int16(why.status)
	ev.Verification = extend.Check{Outcome: extend.Unchecked, Reason: "the body was refused, so there is nothing to verify"}
	ev.Classify()
	s.store(ev)
	// The rest of the body may still be on the wire (past what discardRest
	// reads); closing the connection is cheaper than reading it.
	w.Header().Set("Connection", "close")
	if why.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, why.status, errorBody(why.answer))
}

// store appends the event and runs the OnStored hook.
func (s *Server) store(ev *store.Event) uint64 {
	seq := s.sink.Append(ev)
	s.received.Add(1)
	if ev.Rejected() != "" {
		s.rejected.Add(1)
	}
	if s.cfg.OnStored != nil {
		s.cfg.OnStored(ev)
	}
	return seq
}

// ack is the answer to a stored delivery: {"received":true,"seq":N}. It is
// built by hand because it is on every request's path.
func ack(seq uint64) []byte {
	b := make([]byte, 0, 48)
	b = append(b, `{"received":true,"seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	return append(b, "}\n"...)
}

func errorBody(msg string) []byte {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	return append(b, '\n')
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
