package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/session"
)

// --fetch-signed-urls, the real binary: tail fetches the links of verified
// deliveries as they arrive, never of one signed with another secret,
// reports a link that gives nothing on stderr, and --record keeps what was
// fetched.
func TestTailFetchSignedURLsOfVerifiedDeliveriesOnly(t *testing.T) {
	bin := buildBinary(t)
	var mu sync.Mutex
	var asked []string
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/gone.json" {
			http.Error(w, "<Error><Code>AccessDenied</Code></Error>", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, `{"object":"extract_run","id":"exr_fetched","status":"PROCESSED"}`)
	}))
	defer storage.Close()
	signed := func(n int, path string) []byte {
		return fmt.Appendf(nil, `{"eventId":"evt_%d","eventType":"extract_run.processed","payload":{"object":"signed_data_url","id":"exr_fetched","data":%q}}`,
			n, storage.URL+path+"?X-Amz-Signature=s")
	}
	record := filepath.Join(t.TempDir(), "session.jsonl")
	p := startTail(t, bin, "--secret", tailSecret, "--fetch-signed-urls", "--record", record)
	postDelivery(t, p.url, signed(1, "/good.json"), tailSecret, http.StatusOK)
	postDelivery(t, p.url, signed(2, "/forged.json"), "wss_someone_else", http.StatusOK)
	postDelivery(t, p.url, signed(3, "/gone.json"), tailSecret, http.StatusOK)
	for range 3 {
		p.next(t)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(asked)
		mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("storage was asked for %v", asked)
		}
	}
	if _, code := p.interrupt(t); code != 0 {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
	mu.Lock()
	slices.Sort(asked)
	if got := strings.Join(asked, " "); got != "/gone.json /good.json" {
		t.Errorf("storage was asked for %q, want the two verified links only", got)
	}
	mu.Unlock()
	if !strings.Contains(p.stderr.String(), "--fetch-signed-urls: the link of #3 gave no payload: 403: the link has probably expired") {
		t.Errorf("stderr:\n%s", p.stderr)
	}
	events, warn, err := session.ReadFile(record, session.Options{MaxBody: 1 << 20})
	if err != nil || warn != nil || len(events) != 3 {
		t.Fatalf("the recording: %d events, warn %v, err %v", len(events), warn, err)
	}
	if f := events[0].Fetched(); f == nil || !strings.Contains(string(f.Payload), `"exr_fetched"`) {
		t.Errorf("#1's fetched payload in the recording: %+v", f)
	}
	for _, ev := range events[1:] {
		if ev.Fetched() != nil {
			t.Errorf("#%d has a fetched payload", ev.Seq)
		}
	}
}
