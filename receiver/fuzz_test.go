package receiver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// FuzzReceive drives the handler with arbitrary bodies, signature headers and
// query strings. The receiver parses nothing itself (the envelope scanner
// and the signature headers are parsed in extend, which has its own fuzz
// targets); this target checks what the receiver promises about any input:
// an answer of 200 or 413, the exact bytes stored, and a tail line that
// carries them back.
func FuzzReceive(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtures, "*.json"))
	for _, p := range paths {
		if body, err := os.ReadFile(p); err == nil {
			f.Add(body, "1783946100", extend.Sign(testSecret, "1783946100", body), "api_version=2026-02-09", false)
		}
	}
	f.Add([]byte("\xff\x00\x1b[2J"), "", "", "", true)
	f.Add([]byte(`{"eventType":"x"}`), "-1", "ZZ", "%zz&;", false)

	const maxBody = 4096
	f.Fuzz(func(t *testing.T, body []byte, ts, sig, query string, chunked bool) {
		st := store.New(4, 0)
		srv := New(Config{Secret: testSecret, Tolerance: time.Minute, MaxBody: maxBody}, st)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, fuzzRequest(body, ts, sig, query, chunked))

		ev := only(t, st)
		switch {
		case len(body) > maxBody:
			if rec.Code != http.StatusRequestEntityTooLarge || ev.HasBody() || ev.Rejected() == "" {
				t.Fatalf("oversize body: answer %d, kept %d bytes", rec.Code, len(storetest.Body(ev)))
			}
		case rec.Code != http.StatusOK || !bytes.Equal(storetest.Body(ev), body) || storetest.Body(ev) == nil:
			t.Fatalf("answer %d, stored %q, sent %q", rec.Code, storetest.Body(ev), body)
		}
		checkRecord(t, ev)
	})
}

func fuzzRequest(body []byte, ts, sig, query string, chunked bool) *http.Request {
	r := &http.Request{
		Method:        http.MethodPost,
		URL:           &url.URL{Path: "/fuzz", RawQuery: query},
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{},
		Host:          "127.0.0.1",
		RemoteAddr:    "127.0.0.1:1",
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
	}
	if chunked {
		r.ContentLength = -1
		r.TransferEncoding = []string{"chunked"}
	}
	r.Header.Set(extend.HeaderTimestamp, ts)
	r.Header.Set(extend.HeaderSignature, sig)
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return r
}
