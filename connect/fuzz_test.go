package connect

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// An error answer, whatever its bytes, becomes one printable line that
// does not show the key.
func FuzzAPIError(f *testing.F) {
	const key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	f.Add(429, `{"error":{"code":"RATE_LIMITED","message":"slow down","retryable":true,"requestId":"req_1"}}`, "2", "req_h")
	f.Add(400, `{"code":"INVALID","message":"bad `+key+`"}`, "", "")
	f.Add(502, "<html>\x1b[2J\r\n</html>", "Wed, 21 Oct 2015 07:28:00 GMT", "\x07")
	f.Add(401, `{"error":null,"message":"\u202eevil"}`, "-1", "")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter, requestID string) {
		c, err := New(Config{APIKey: key, BaseURL: "https://api.extend.ai"})
		if err != nil {
			t.Fatal(err)
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		resp.Header.Set("Retry-After", retryAfter)
		resp.Header.Set("x-extend-request-id", requestID)
		e := c.apiError(resp, []byte(body))
		msg := e.Error()
		if strings.Contains(msg, key) {
			t.Errorf("the key shows in %q", msg)
		}
		for _, r := range msg {
			if !unicode.IsPrint(r) {
				t.Fatalf("%q holds %U", msg, r)
			}
		}
		if e.RetryAfter < 0 {
			t.Errorf("negative Retry-After %v", e.RetryAfter)
		}
	})
}

// A name that parses names the same session when written again.
func FuzzParseName(f *testing.F) {
	f.Add("extend-inspect devbox 4242 2026-08-01T09:30:00Z")
	f.Add("extend-inspect a 1 2026-08-01T09:30:00+02:00")
	f.Add("extend-inspect  x\t9 2026-13-01T09:30:00Z")
	f.Fuzz(func(t *testing.T, name string) {
		s, ok := ParseName(name)
		if !ok {
			return
		}
		again, ok := ParseName(s.Name())
		if !ok || again.Host != s.Host || again.PID != s.PID || !again.Started.Equal(s.Started) {
			t.Errorf("%q parsed as %+v, written as %q, parsed again as %+v (%v)", name, s, s.Name(), again, ok)
		}
	})
}
