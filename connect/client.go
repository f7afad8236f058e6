// Package connect connects a local receiver to Extend: a client of Extend's
// management API (webhook endpoints, subscriptions, workflows), the
// registration of a session's endpoint from start to deletion, the
// endpoints this tool left behind, and an in-process ngrok tunnel that gives
// the receiver a public URL.
//
// It talks to the network only when its caller asks it to, and never prints:
// the API key, the ngrok authtoken and the endpoint's signing secret are held
// as extend.Secret, which formats itself masked.
package connect

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Config says how to reach Extend's management API. ConfigFromEnv fills it
// from the environment.
type Config struct {
	APIKey      extend.Secret // sent as Authorization: Bearer …
	BaseURL     string        // e.g. https://api.extend.ai
	WorkspaceID string        // sent as X-Extend-Workspace-Id when set
	APIVersion  string        // sent as x-extend-api-version; empty means DefaultAPIVersion
	Version     string        // this tool's version, for the User-Agent
	HTTPClient  *http.Client  // nil means one with RequestTimeout
	Retry       Retry         // zero means DefaultRetry
}

// RequestTimeout bounds one request to the management API.
const RequestTimeout = 30 * time.Second

// Retry is the policy for answers worth trying again: a 429 for every
// method, and for GET and DELETE (which are idempotent) also a 5xx, an error
// marked retryable and a failed connection.
type Retry struct {
	Attempts      int           // tries in all, the first included
	Initial       time.Duration // wait before the first retry, doubled each time
	Max           time.Duration // longest wait between tries
	MaxRetryAfter time.Duration // longest Retry-After honoured; a longer one ends the tries
}

// DefaultRetry is Extend's CLI's policy (4 tries, 0.5 s doubling to 5 s),
// plus a ceiling on Retry-After so that a start-up never hangs for minutes.
var DefaultRetry = Retry{Attempts: 4, Initial: 500 * time.Millisecond, Max: 5 * time.Second, MaxRetryAfter: 30 * time.Second}

// Client calls Extend's management API. It is safe for concurrent use.
type Client struct {
	baseURL    string
	apiVersion string
	userAgent  string
	auth       *credentials // behind a pointer so %+v of a Client shows an address
	http       *http.Client
	retry      Retry
	sleep      func(context.Context, time.Duration) error
}

type credentials struct {
	key         extend.Secret
	workspaceID string
}

// New checks cfg and makes a client.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey == "" {
		return nil, fmt.Errorf("no Extend API key: set %s", EnvAPIKey)
	}
	base, err := checkBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		baseURL:    base,
		apiVersion: cmp.Or(cfg.APIVersion, string(DefaultAPIVersion)),
		userAgent:  UserAgent(cfg.Version),
		auth:       &credentials{key: cfg.APIKey, workspaceID: cfg.WorkspaceID},
		http:       cfg.HTTPClient,
		retry:      cfg.Retry,
		sleep:      sleep,
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: RequestTimeout}
	}
	if c.retry == (Retry{}) {
		c.retry = DefaultRetry
	}
	return c, nil
}

// UserAgent is the User-Agent of every request: the tool and its version.
func UserAgent(version string) string { return "extend-inspect/" + UserAgentVersion(version) }

// UserAgentVersion is the version a client reports: "dev" for a build
// without one.
func UserAgentVersion(version string) string { return cmp.Or(version, "dev") }

// String describes the client without its key's secret part, e.g.
// "https://api.extend.ai (key sk_…p7dc)".
func (c *Client) String() string {
	s := fmt.Sprintf("%s (key %s", c.baseURL, c.auth.key)
	if c.auth.workspaceID != "" {
		s += ", workspace " + c.auth.workspaceID
	}
	return s + ")"
}

// call sends one API request, retrying as the policy allows, and decodes
// a JSON answer into out (when out is not nil).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encode %s %s: %w", method, path, err)
		}
	}
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, method, path, body, out)
		wait, again := c.retryWait(method, attempt, err)
		if !again {
			return err
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return err
		}
	}
}

// maxAnswer bounds how much of an answer is read: lists of 20 endpoints or
// workflows are a few kilobytes.
const maxAnswer = 4 << 20

func (c *Client) once(ctx context.Context, method, path string, body []byte, out any) error {
	var reader io.Reader = http.NoBody
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, reader)
	if err != nil {
		return err
	}
	c.setHeaders(req, body != nil)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("read the answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 400 {
		return c.apiError(resp, answer)
	}
	if out == nil || len(bytes.TrimSpace(answer)) == 0 {
		return nil
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("decode the answer to %s %s: %w", method, path, err)
	}
	return nil
}

func (c *Client) setHeaders(req *http.Request, hasBody bool) {
	req.Header.Set("Authorization", "Bearer "+c.auth.key.Reveal())
	req.Header.Set("x-extend-api-version", c.apiVersion)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if c.auth.workspaceID != "" {
		req.Header.Set("X-Extend-Workspace-Id", c.auth.workspaceID)
	}
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
}

// retryWait says whether to try again after err, and how long to wait.
func (c *Client) retryWait(method string, attempt int, err error) (time.Duration, bool) {
	if err == nil || attempt >= c.retry.Attempts || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	backoff := min(c.retry.Initial<<(attempt-1), c.retry.Max)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return backoff, idempotent(method)
	}
	switch {
	case apiErr.Status == http.StatusTooManyRequests && apiErr.RetryAfter > c.retry.MaxRetryAfter:
		return 0, false
	case apiErr.Status == http.StatusTooManyRequests && apiErr.RetryAfter > 0:
		return apiErr.RetryAfter, true
	case apiErr.Status == http.StatusTooManyRequests:
		return backoff, true
	case apiErr.Status >= 500 || apiErr.Retryable:
		return backoff, idempotent(method)
	}
	return 0, false
}

func idempotent(method string) bool {
	return method == http.MethodGet || method == http.MethodDelete
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// redact replaces the API key wherever a server's text repeats it.
func (c *Client) redact(text string) string {
	key := c.auth.key.Reveal()
	if key == "" {
		return text
	}
	return strings.ReplaceAll(text, key, c.auth.key.String())
}
