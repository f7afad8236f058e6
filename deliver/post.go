package deliver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// drainLimit is how much more of an answer is read and dropped after the
// kept part, so the connection can carry the next request; past it,
// closing the connection is cheaper than reading on.
const drainLimit = 1 << 20

// Response is what one POST got back.
type Response struct {
	URL     string
	Status  int // 0 when the target did not answer
	Headers []store.Header
	Body    []byte // at most the first store.MaxAnswerBody bytes; nil when empty
	Started time.Time
	Latency time.Duration // from sending to the end of the kept body
	// Err is *UnreachableError when the target did not answer, or the
	// reason the answer's body was cut short when it did.
	Err error
}

// Post sends body to url with the given headers and reads the answer.
//
// The headers go out as given (names canonicalised), less the ones that
// belong to a single connection (hop-by-hop, Host, Content-Length, Expect);
// Content-Type is application/json when they carry none, and when they carry
// no User-Agent none is sent, rather than Go's own. A client built by
// NewClient adds nothing else; another client's transport may add
// Accept-Encoding.
//
// Redirects are never followed, whatever the client says: following a 301
// or 302 turns the POST into a GET without its body, and following a 307
// sends the delivery somewhere the user did not name. The 3xx is the
// answer, so a misrouted endpoint shows as one. A nil client means
// NewClient(extend.DeliveryTimeout).
func Post(ctx context.Context, client *http.Client, url string, body []byte, headers []store.Header) Response {
	res := Response{URL: url, Started: time.Now()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		res.Err = &UnreachableError{URL: url, Reason: err.Error(), Err: err}
		return res
	}
	req.Header = outgoing(headers)
	client = withoutRedirects(client)
	resp, err := client.Do(req)
	if err != nil {
		res.Latency = time.Since(res.Started)
		res.Err = unreachable(url, timeoutOf(ctx, client, res.Started), err)
		return res
	}
	defer resp.Body.Close()
	res.Status, res.Headers = resp.StatusCode, headerList(resp.Header)
	res.Body, err = readAnswer(resp.Body)
	res.Latency = time.Since(res.Started)
	if err != nil {
		res.Err = cutShort(len(res.Body), timeoutOf(ctx, client, res.Started), err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	return res
}

// Forward is the response as the store keeps it on an event. An answer, or
// a give-up, later than slowAfter is flagged Slow.
func (r Response) Forward(slowAfter time.Duration) *store.Forward {
	f := &store.Forward{
		URL:      r.URL,
		Status:   r.Status,
		Headers:  r.Headers,
		Body:     r.Body,
		Latency:  r.Latency,
		Slow:     r.Latency > slowAfter,
		Finished: r.Started.Add(r.Latency),
	}
	var down *UnreachableError
	switch {
	case errors.As(r.Err, &down):
		f.Err = down.Reason // the URL is on the record already
	case r.Err != nil:
		f.Err = r.Err.Error()
	}
	return f
}

// UnreachableError says the target gave no answer at all: nothing listens
// there, the name does not resolve, or it did not answer in time.
type UnreachableError struct {
	URL    string
	Reason string // short and for people: "connection refused"
	Err    error
}

func (e *UnreachableError) Error() string { return "cannot reach " + e.URL + ": " + e.Reason }

func (e *UnreachableError) Unwrap() error { return e.Err }

// unreachable turns a transport error into a one-line reason.
func unreachable(url string, timeout time.Duration, err error) *UnreachableError {
	reason := err.Error()
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = "connection refused"
	case errors.Is(err, context.Canceled):
		reason = "interrupted"
	case isTimeout(err) && timeout > 0:
		reason = fmt.Sprintf("no answer within %s (Extend gives up after %s)", duration(timeout), duration(extend.DeliveryTimeout))
	case isTimeout(err):
		reason = "timed out"
	default:
		// Drop the "Post \"URL\": " that net/http puts in front.
		if _, after, found := strings.Cut(reason, "\": "); found {
			reason = after
		}
	}
	return &UnreachableError{URL: url, Reason: reason, Err: err}
}

// cutShort says why an answer's body ended early.
func cutShort(n int, timeout time.Duration, err error) error {
	if isTimeout(err) {
		return fmt.Errorf("answer cut short after %d bytes: not finished within %s", n, duration(timeout))
	}
	return fmt.Errorf("answer cut short after %d bytes: %w", n, err)
}

func isTimeout(err error) bool {
	var netErr interface{ Timeout() bool }
	return errors.As(err, &netErr) && netErr.Timeout()
}

// duration writes whole seconds as "60s" rather than "1m0s".
func duration(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}

// NewClient returns the client forwarding and replay use: no redirects, no
// compression negotiated on the app's behalf (so it sees Extend's own
// Accept-Encoding, or none), a whole-exchange timeout, and the app's
// certificate checked as trust says.
func NewClient(timeout time.Duration, trust Trust) *http.Client {
	return newClient(timeout, DefaultInFlight, trust)
}

func newClient(timeout time.Duration, conns int, trust Trust) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	if tc := trust.tlsConfig(); tc != nil {
		t.TLSClientConfig = tc
	}
	// Keep a connection per request in flight: with Go's default of two,
	// a burst opens and closes a connection per delivery.
	t.MaxIdleConnsPerHost = conns
	return &http.Client{Transport: t, Timeout: timeout, CheckRedirect: useLastResponse}
}

var defaultClient = NewClient(extend.DeliveryTimeout, Trust{})

func withoutRedirects(c *http.Client) *http.Client {
	if c == nil {
		return defaultClient
	}
	own := *c // only the policy differs: the transport and its connections are shared
	own.CheckRedirect = useLastResponse
	return &own
}

func useLastResponse(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// timeoutOf is the time the exchange was given: the client's timeout or
// the timeout given to withTimeout (else what the context's deadline left
// it), whichever is sooner.
func timeoutOf(ctx context.Context, c *http.Client, start time.Time) time.Duration {
	limit := c.Timeout
	if given, ok := ctx.Value(timeoutKey{}).(time.Duration); ok && (limit == 0 || given < limit) {
		return given
	}
	if deadline, ok := ctx.Deadline(); ok {
		if d := deadline.Sub(start); limit == 0 || d < limit {
			limit = d
		}
	}
	return limit.Round(time.Millisecond)
}

type timeoutKey struct{}

// withTimeout is context.WithTimeout that also remembers d, so that a
// timeout is reported as it was given, not as what was left of it when the
// request started (less, on a busy machine).
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithValue(ctx, timeoutKey{}, d), d)
}

// readAnswer keeps the first store.MaxAnswerBody bytes. A short answer is copied
// out of ReadAll's buffer, whose spare capacity would otherwise stay
// allocated for as long as the event is stored.
func readAnswer(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, store.MaxAnswerBody))
	if len(b) == 0 {
		return nil, err
	}
	if cap(b)-len(b) > len(b)/4 {
		b = bytes.Clone(b)
	}
	return b, err
}

// notForwarded are the request headers that describe one connection or
// one message framing, not the delivery, so they are not copied onto
// another connection. Expect is among them: the body is already in hand,
// and asking the app for a 100 Continue would only add a round trip.
var notForwarded = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
	"Host", "Content-Length", "Expect",
}

// outgoing turns stored headers into the request's. Names are canonicalised:
// a receiver keeps them so already, and a name in another case would slip
// past net/http's own handling of User-Agent and Content-Length.
func outgoing(headers []store.Header) http.Header {
	h := make(http.Header, len(headers)+1)
	perConnection := connectionTokens(headers)
	for _, x := range headers {
		name := http.CanonicalHeaderKey(x.Name)
		if forwarded(name, perConnection) {
			h[name] = append(h[name], x.Value)
		}
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = []string{"application/json"}
	}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = []string{""} // net/http then sends none
	}
	return h
}

// connectionTokens lists the extra headers a Connection header names as
// hop-by-hop (RFC 9110, section 7.6.1).
func connectionTokens(headers []store.Header) []string {
	var names []string
	for _, x := range headers {
		if !strings.EqualFold(x.Name, "Connection") {
			continue
		}
		for token := range strings.SplitSeq(x.Value, ",") {
			if token = strings.TrimSpace(token); token != "" {
				names = append(names, http.CanonicalHeaderKey(token))
			}
		}
	}
	return names
}

func forwarded(canonical string, perConnection []string) bool {
	for _, name := range notForwarded {
		if canonical == name {
			return false
		}
	}
	for _, name := range perConnection {
		if canonical == name {
			return false
		}
	}
	return true
}

// headerList is an answer's headers as the store keeps them: a sorted list.
func headerList(h http.Header) []store.Header {
	n := 0
	for _, values := range h {
		n += len(values)
	}
	list := make([]store.Header, 0, n)
	for name, values := range h {
		for _, v := range values {
			list = append(list, store.Header{Name: name, Value: v})
		}
	}
	store.SortHeaders(list)
	return list
}
