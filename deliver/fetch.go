package deliver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// FetchTimeout bounds one download of a signed link: the SDKs'
// fetchSignedPayload gives up after 30 s.
const FetchTimeout = 30 * time.Second

// maxRedirects is how many redirects a download follows, as net/http does.
const maxRedirects = 10

// Fetcher downloads the payload behind a signed link (REFERENCE §1.1): a
// plain GET with no credentials, as the SDKs do it. It only fetches https
// links, or http to a loopback address (the demo's download server), and
// follows redirects under the same rule, so a delivery cannot point the
// inspector at a plain-http host on the network.
type Fetcher struct {
	MaxBytes int64         // the largest payload accepted (the receiver's --max-body); 0 means no limit
	Timeout  time.Duration // 0 means FetchTimeout
	// Transport carries the request; nil means a clone of
	// http.DefaultTransport. Tests use it to trust a test server's
	// certificate.
	Transport http.RoundTripper
}

// Fetched is a downloaded payload.
type Fetched struct {
	Payload []byte // the JSON document behind the link: the payload, not an envelope
	URL     string // the link, after any redirects
	At      time.Time
}

// FetchError says why a link gave no payload, in words the user can act on.
type FetchError struct {
	Reason string
	Status int // the answer's status, 0 when there was none
	Err    error
}

func (e *FetchError) Error() string { return e.Reason }
func (e *FetchError) Unwrap() error { return e.Err }

// Fetch downloads link.
func (f Fetcher) Fetch(ctx context.Context, link string) (Fetched, error) {
	if err := fetchable(link); err != nil {
		return Fetched{}, &FetchError{Reason: err.Error(), Err: err}
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = FetchTimeout
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return Fetched{}, &FetchError{Reason: err.Error(), Err: err}
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "application/json")
	resp, err := f.client(timeout).Do(req)
	if err != nil {
		return Fetched{}, fetchFailure(err, timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Fetched{}, statusFailure(resp.StatusCode)
	}
	body, err := f.read(resp, timeout)
	if err != nil {
		return Fetched{}, err
	}
	return Fetched{Payload: body, URL: resp.Request.URL.String(), At: time.Now()}, nil
}

func (f Fetcher) client(timeout time.Duration) *http.Client {
	t := f.Transport
	if t == nil {
		t = http.DefaultTransport.(*http.Transport).Clone()
	}
	// No cookie jar and no headers carried over: the link is its own
	// credential, and nothing of the user's goes with it.
	return &http.Client{Transport: t, Timeout: timeout, CheckRedirect: checkRedirect}
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if err := fetchable(req.URL.String()); err != nil {
		return fmt.Errorf("redirect to %s refused: %w", redactQuery(req.URL), err)
	}
	return nil
}

// fetchable enforces the rule: https, or http to a loopback address.
func fetchable(link string) error {
	u, err := url.Parse(link)
	switch {
	case err != nil || u.Host == "":
		return fmt.Errorf("not a link: %q", link)
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return errors.New("only https links, or http to a loopback address, are fetched")
	}
	return fmt.Errorf("only https links are fetched, not %s", u.Scheme)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactQuery drops a link's query (its signature) from messages.
func redactQuery(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	return c.String()
}

// fetchFailure says why no answer came. net/http wraps every failure in a
// *url.Error that repeats the link, signature and all; the reason alone is
// shown.
func fetchFailure(err error, timeout time.Duration) *FetchError {
	var uerr *url.Error
	switch {
	case isTimeout(err):
		return &FetchError{Reason: fmt.Sprintf("no answer within %s", duration(timeout)), Err: err}
	case errors.Is(err, context.Canceled):
		return &FetchError{Reason: "interrupted", Err: err}
	case errors.As(err, &uerr):
		return &FetchError{Reason: uerr.Err.Error(), Err: err}
	}
	return &FetchError{Reason: err.Error(), Err: err}
}

func statusFailure(status int) *FetchError {
	reason := fmt.Sprintf("%d %s", status, http.StatusText(status))
	switch status {
	case http.StatusForbidden:
		reason = "403: the link has probably expired (Extend's links last an hour; a retry from the dashboard mints a new one)"
	case http.StatusNotFound:
		reason = "404: nothing behind the link"
	}
	return &FetchError{Reason: reason, Status: status}
}

// read takes at most MaxBytes and insists on JSON.
func (f Fetcher) read(resp *http.Response, timeout time.Duration) ([]byte, error) {
	if f.MaxBytes > 0 && resp.ContentLength > f.MaxBytes {
		return nil, tooLarge(resp.ContentLength, f.MaxBytes)
	}
	r := io.Reader(resp.Body)
	if f.MaxBytes > 0 {
		r = io.LimitReader(r, f.MaxBytes+1)
	}
	body, err := io.ReadAll(r)
	switch {
	case err != nil && isTimeout(err):
		return nil, &FetchError{Reason: fmt.Sprintf("download cut short after %d bytes: not finished within %s", len(body), duration(timeout)), Status: resp.StatusCode, Err: err}
	case err != nil:
		return nil, &FetchError{Reason: fmt.Sprintf("download cut short after %d bytes: %v", len(body), err), Status: resp.StatusCode, Err: err}
	case f.MaxBytes > 0 && int64(len(body)) > f.MaxBytes:
		return nil, tooLarge(-1, f.MaxBytes)
	case !json.Valid(body):
		return nil, &FetchError{Reason: "the answer is not JSON" + contentType(resp) + ": " + preview(body), Status: resp.StatusCode}
	}
	return body, nil
}

func tooLarge(size, limit int64) *FetchError {
	if size > 0 {
		return &FetchError{Reason: fmt.Sprintf("the payload is %d bytes, over the %d-byte limit (--max-body)", size, limit), Status: http.StatusOK}
	}
	return &FetchError{Reason: fmt.Sprintf("the payload is over the %d-byte limit (--max-body)", limit), Status: http.StatusOK}
}

func contentType(resp *http.Response) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		return " (" + ct + ")"
	}
	return ""
}

// preview is the start of a body as printable text, for an error message.
func preview(b []byte) string {
	const n = 60
	if len(b) > n {
		b = b[:n]
	}
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, string(bytes.ToValidUTF8(b, []byte("?"))))
	return fmt.Sprintf("%q", strings.TrimSpace(s))
}
