package connect

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// APIError is an error answer of Extend's API: a 4xx or 5xx status with
// {"error": {"code", "message", "retryable", "requestId"}}, or in older
// answers code and message at the top level.
type APIError struct {
	Status     int           // the HTTP status
	Code       string        // Extend's error code, e.g. INVALID_REQUEST; may be empty
	Message    string        // one line, control characters removed
	Retryable  bool          // Extend says the same request may succeed later
	RequestID  string        // from the answer or the x-extend-request-id header
	RetryAfter time.Duration // from a Retry-After header; 0 when absent
}

// Error is one line with Extend's code, message and request id.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("Extend API: ")
	if e.Code != "" {
		b.WriteString(e.Code + ": ")
	}
	b.WriteString(e.Message)
	fmt.Fprintf(&b, " (HTTP %d", e.Status)
	if e.RequestID != "" {
		b.WriteString(", request " + e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// IsNotFound reports whether err is Extend's answer that the resource does
// not exist.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound
}

type errorFields struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
	RequestID string `json:"requestId"`
}

func (c *Client) apiError(resp *http.Response, answer []byte) *APIError {
	var body struct {
		Error *errorFields `json:"error"`
		errorFields
	}
	fields := errorFields{}
	if json.Unmarshal(answer, &body) == nil {
		fields = body.errorFields
		if body.Error != nil {
			fields = *body.Error
		}
	}
	e := &APIError{
		Status:     resp.StatusCode,
		Code:       oneLine(fields.Code, 64),
		Message:    oneLine(c.redact(fields.Message), 300),
		Retryable:  fields.Retryable,
		RequestID:  oneLine(fields.RequestID, 64),
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	if e.RequestID == "" {
		e.RequestID = oneLine(resp.Header.Get("x-extend-request-id"), 64)
	}
	if e.Message == "" {
		e.Message = statusText(resp.StatusCode)
	}
	return e
}

func statusText(status int) string {
	if text := http.StatusText(status); text != "" {
		return text
	}
	return "error"
}

// oneLine keeps a server's text to one printable line of at most max runes:
// it reaches the terminal, so no control character may pass.
func oneLine(text string, max int) string {
	clean := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, text)
	clean = strings.Join(strings.Fields(clean), " ")
	if runes := []rune(clean); len(runes) > max {
		clean = string(runes[:max-1]) + "…"
	}
	return clean
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(header string, now time.Time) time.Duration {
	if header == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(header)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(header); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}
