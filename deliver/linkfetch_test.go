package deliver

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func linkDelivery(link string, outcome extend.Verification) *store.Event {
	body := fmt.Sprintf(`{"eventId":"evt_%d","eventType":"extract_run.processed","payload":{"object":"signed_data_url","id":"exr_1","data":%q}}`,
		time.Now().UnixNano(), link)
	ev := &store.Event{Method: "POST", Path: "/", ReceivedAt: time.Now(),
		Verification: extend.Check{Outcome: outcome}}
	ev.SetBody([]byte(body))
	ev.Classify()
	return ev
}

// --fetch-signed-urls fetches the link of verified deliveries only: an
// invalid, missing or unchecked signature could be anyone's, and a
// delivery without a link has nothing to fetch. A link that fails is
// counted and reported.
func TestLinkFetcherFetchesOnlyVerifiedDeliveries(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/gone.json" {
			http.Error(w, "expired", http.StatusForbidden)
			return
		}
		fmt.Fprintf(w, `{"object":"extract_run","id":"exr_1","status":"PROCESSED","path":%q}`, r.URL.Path)
	}))
	defer srv.Close()
	st := store.New(100, 0)
	var warn storetest.SyncBuffer
	l := StartLinkFetcher(st, LinkFetchConfig{Fetcher: tlsFetcher(srv, 1<<20), Warn: &warn})
	events := []*store.Event{
		linkDelivery(srv.URL+"/verified.json", extend.Verified),
		linkDelivery(srv.URL+"/invalid.json", extend.Invalid),
		linkDelivery(srv.URL+"/missing.json", extend.Missing),
		linkDelivery(srv.URL+"/unchecked.json", extend.Unchecked),
		storetest.Delivery(0, storetest.Envelope("extract_run.processed", "evt_inline")),
		linkDelivery(srv.URL+"/gone.json", extend.Verified),
	}
	for _, ev := range events {
		st.Append(ev)
	}
	for deadline := time.Now().Add(10 * time.Second); l.Fetched()+l.Failed() < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("fetched %d, failed %d, want 1 and 1", l.Fetched(), l.Failed())
		}
	}
	l.Close(context.Background())
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(asked, " "); got != "/verified.json /gone.json" && got != "/gone.json /verified.json" {
		t.Errorf("requested %q, want only the two verified links", got)
	}
	if f := events[0].Fetched(); f == nil || !strings.Contains(string(f.Payload), `"/verified.json"`) {
		t.Errorf("the verified delivery's fetched payload = %+v", f)
	}
	for _, ev := range events[1:] {
		if ev.Fetched() != nil {
			t.Errorf("#%d was fetched", ev.Seq)
		}
	}
	if w := warn.String(); !strings.Contains(w, "the link of #6 gave no payload: 403: the link has probably expired") {
		t.Errorf("warnings: %q", w)
	}
}
