package deliver

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

func TestPostDefaults(t *testing.T) {
	app := newApp(t, nil)
	res := Post(t.Context(), nil, app.URL, []byte(`{}`), nil)
	if res.Status != 200 || res.Err != nil {
		t.Fatalf("Post = %+v", res)
	}
	h := app.got()[0].header
	if h.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q, want application/json when none is given", h.Get("Content-Type"))
	}
	if _, ok := h["User-Agent"]; ok {
		t.Errorf("User-Agent %q sent, want none when none is given", h.Get("User-Agent"))
	}
	if _, ok := h["Accept-Encoding"]; ok {
		t.Errorf("Accept-Encoding %q added", h.Get("Accept-Encoding"))
	}
}

func TestPostKeepsGivenHeaders(t *testing.T) {
	app := newApp(t, nil)
	headers := []store.Header{
		{Name: "content-type", Value: "text/plain"},
		{Name: "user-agent", Value: "mine/1"},
		{Name: "content-length", Value: "999"}, // wrong, and not the sender's to set
		{Name: "Connection", Value: "close, X-Secret-Hop"},
		{Name: "x-secret-hop", Value: "s"},
		{Name: "Expect", Value: "100-continue"},
		{Name: "Upgrade", Value: "h2c"},
		{Name: "Proxy-Authorization", Value: "Basic Zm9vOmJhcg=="},
		{Name: "Te", Value: "trailers"},
	}
	res := Post(t.Context(), nil, app.URL, []byte("hello"), headers)
	if res.Status != 200 {
		t.Fatalf("Post = %+v", res)
	}
	h := app.got()[0].header
	if h.Get("Content-Type") != "text/plain" || h.Get("User-Agent") != "mine/1" || len(h.Values("User-Agent")) != 1 {
		t.Errorf("headers %v: want the given Content-Type and User-Agent, once each", h)
	}
	if h.Get("Content-Length") != "5" {
		t.Errorf("Content-Length %q, want the body's own", h.Get("Content-Length"))
	}
	for _, name := range []string{"X-Secret-Hop", "Expect", "Upgrade", "Proxy-Authorization", "Te"} {
		if _, ok := h[name]; ok {
			t.Errorf("%s reached the app", name)
		}
	}
}

func TestPostKeepsTheFirst64KiB(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 3*store.MaxAnswerBody)
	app := newApp(t, func(w http.ResponseWriter, r *http.Request) { w.Write(big) })
	res := Post(t.Context(), nil, app.URL, nil, nil)
	if res.Err != nil || len(res.Body) != store.MaxAnswerBody || cap(res.Body) > store.MaxAnswerBody+store.MaxAnswerBody/4 {
		t.Errorf("kept %d bytes (cap %d), err %v; want the first %d", len(res.Body), cap(res.Body), res.Err, store.MaxAnswerBody)
	}
	small := Post(t.Context(), nil, newApp(t, answerWith(200, "ok")).URL, nil, nil)
	if string(small.Body) != "ok" || cap(small.Body) > 8 {
		t.Errorf("a short answer kept as %q with capacity %d", small.Body, cap(small.Body))
	}
}

func TestPostAnswerCutShort(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	app := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	// withTimeout, as the forwarder gives it: the message names the timeout
	// given, not what a busy machine left of it when the request started.
	ctx, cancel := withTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	res := Post(ctx, nil, app.URL, nil, nil)
	if res.Status != 200 || string(res.Body) != "partial" {
		t.Errorf("status %d body %q, want the 200 and what came", res.Status, res.Body)
	}
	if res.Err == nil || res.Err.Error() != "answer cut short after 7 bytes: not finished within 200ms" {
		t.Errorf("error %v", res.Err)
	}
	if fw := res.Forward(extend.DeliveryTimeout); fw.Status != 200 || !strings.HasPrefix(fw.Err, "answer cut short") {
		t.Errorf("as a forward result: %+v", fw)
	}
}

func TestPostBadURL(t *testing.T) {
	res := Post(t.Context(), nil, "http://[::1", nil, nil)
	var down *UnreachableError
	if res.Status != 0 || !errors.As(res.Err, &down) {
		t.Errorf("Post to a malformed URL: %+v", res)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		60 * time.Second:        "60s",
		30 * time.Second:        "30s",
		200 * time.Millisecond:  "200ms",
		1500 * time.Millisecond: "1.5s",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%s) = %q, want %q", d, got, want)
		}
	}
}
