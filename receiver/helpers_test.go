package receiver

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

const (
	fixtures   = "../testdata/fixtures"
	testSecret = "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU"
)

// startReceiver runs a receiver on a free loopback port for the test's
// duration and returns its store and base URL.
func startReceiver(t testing.TB, cfg Config) (*store.Store, *Server, string) {
	t.Helper()
	st := store.New(1000, 0)
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	srv := New(cfg, st)
	addr, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return st, srv, "http://" + addr
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signedHeaders signs body as Extend would at time at.
func signedHeaders(secret string, body []byte, at time.Time) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(extend.HeaderTimestamp, ts)
	h.Set(extend.HeaderSignature, extend.Sign(secret, ts, body))
	return h
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// post sends body with a declared length, or chunked when chunked is set.
func post(t testing.TB, url string, body []byte, header http.Header, chunked bool) answer {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // hides the length, so the client sends chunks
	}
	req, err := http.NewRequest(http.MethodPost, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for name, values := range header {
		req.Header[name] = values
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// answerOn reads the answer the server writes on a raw connection.
func answerOn(t testing.TB, conn net.Conn) answer {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// only returns the single stored event, failing if there is not exactly one.
func only(t testing.TB, st *store.Store) *store.Event {
	t.Helper()
	all := st.All()
	if len(all) != 1 {
		t.Fatalf("store holds %d events, want 1", len(all))
	}
	return all[0]
}
