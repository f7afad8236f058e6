package deliver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// tlsFetcher trusts srv's certificate, as a real fetch trusts storage's.
func tlsFetcher(srv *httptest.Server, max int64) Fetcher {
	return Fetcher{MaxBytes: max, Transport: srv.Client().Transport}
}

func fetchErr(t *testing.T, f Fetcher, link string) *FetchError {
	t.Helper()
	_, err := f.Fetch(context.Background(), link)
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("fetch %s: %v, want a *FetchError", link, err)
	}
	return fe
}

func TestFetchSignedLink(t *testing.T) {
	var sawAuth, sawCookie bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth, sawCookie = r.Header.Get("Authorization") != "", r.Header.Get("Cookie") != ""
		switch r.URL.Path {
		case "/ok.json":
			w.Write([]byte(`{"object":"workflow_run","id":"workflow_run_1"}`))
		case "/expired.json":
			http.Error(w, "<Error><Code>AccessDenied</Code></Error>", http.StatusForbidden)
		case "/big.json":
			w.Write([]byte(`{"data":"` + strings.Repeat("x", 2000) + `"}`))
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>\x1b[31mlogin</html>"))
		case "/slow.json":
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	f := tlsFetcher(srv, 1000)

	got, err := f.Fetch(context.Background(), srv.URL+"/ok.json?X-Amz-Signature=abc")
	if err != nil || string(got.Payload) != `{"object":"workflow_run","id":"workflow_run_1"}` || got.At.IsZero() {
		t.Fatalf("fetch: %+v %v", got, err)
	}
	if sawAuth || sawCookie {
		t.Error("a fetch must carry no credentials")
	}
	if e := fetchErr(t, f, srv.URL+"/expired.json"); e.Status != 403 || !strings.HasPrefix(e.Error(), "403: the link has probably expired") {
		t.Errorf("403: %v", e)
	}
	if e := fetchErr(t, f, srv.URL+"/big.json"); !strings.Contains(e.Error(), "over the 1000-byte limit (--max-body)") {
		t.Errorf("oversize: %v", e)
	}
	if e := fetchErr(t, f, srv.URL+"/html"); !strings.HasPrefix(e.Error(), "the answer is not JSON (text/html)") || strings.Contains(e.Error(), "\x1b") {
		t.Errorf("not JSON: %q", e)
	}
	short := f
	short.Timeout = 50 * time.Millisecond
	if e := fetchErr(t, short, srv.URL+"/slow.json"); e.Error() != "no answer within 50ms" {
		t.Errorf("timeout: %v", e)
	}
}

func TestFetchRefusesPlainHTTPAndItsRedirects(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }))
	defer plain.Close()
	// A redirect to http on a host that is not loopback: the rule is on
	// the URL, so the address need not exist.
	redirector := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-http":
			http.Redirect(w, r, "http://storage.example.invalid/p.json?sig=secret", http.StatusFound)
		case "/to-loopback":
			http.Redirect(w, r, plain.URL+"/p.json", http.StatusFound)
		}
	}))
	defer redirector.Close()
	f := tlsFetcher(redirector, 0)

	e := fetchErr(t, f, redirector.URL+"/to-http")
	if !strings.Contains(e.Error(), "redirect to http://storage.example.invalid/p.json refused") || strings.Contains(e.Error(), "secret") {
		t.Errorf("redirect to http: %v", e)
	}
	if _, err := f.Fetch(context.Background(), redirector.URL+"/to-loopback"); err != nil {
		t.Errorf("a redirect to http on loopback is allowed: %v", err)
	}
	if _, err := (Fetcher{}).Fetch(context.Background(), plain.URL+"/p.json"); err != nil {
		t.Errorf("http to loopback (the demo's links) is allowed: %v", err)
	}
	for _, link := range []string{"http://storage.example.invalid/p.json", "ftp://x.invalid/p", "not a link"} {
		if e := fetchErr(t, Fetcher{}, link); e.Status != 0 {
			t.Errorf("%s: %v", link, e)
		}
	}
}

func TestLinkServerServesUntilTheLinkExpires(t *testing.T) {
	s, err := ListenLinks("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 7, 20, 9, 30, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	link := s.Stash([]byte(`{"object":"extract_run"}`))
	if !strings.HasPrefix(link, s.URL()+"/payloads/") || !strings.Contains(link, "X-Amz-Date=20260720T093000Z&X-Amz-Expires=3600") {
		t.Errorf("link %s", link)
	}
	got, err := Fetcher{}.Fetch(context.Background(), link)
	if err != nil || string(got.Payload) != `{"object":"extract_run"}` {
		t.Fatalf("fetch %s: %v", got.Payload, err)
	}
	if e := fetchErr(t, Fetcher{}, strings.Replace(link, "X-Amz-Signature=", "X-Amz-Signature=x", 1)); e.Status != 403 {
		t.Errorf("a wrong signature: %v", e)
	}
	now = now.Add(time.Hour)
	if e := fetchErr(t, Fetcher{}, link); e.Status != 403 {
		t.Errorf("after an hour: %v", e)
	}
	if e := fetchErr(t, Fetcher{}, s.URL()+"/payloads/nothing.json"); e.Status != 404 {
		t.Errorf("unknown: %v", e)
	}
	if _, err := ListenLinks("0.0.0.0:0"); err == nil {
		t.Error("the download server must refuse to listen beyond loopback")
	}
}
