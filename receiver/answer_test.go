package receiver

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/respond"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func TestFixedAnswerIsStoredAndSent(t *testing.T) {
	st, srv, url := startReceiver(t, Config{Respond: respond.Status(500)})
	if got := post(t, url, []byte(`{"eventId":"e1"}`), nil, false); got.status != 500 {
		t.Errorf("answer %d, want 500", got.status)
	}
	if ev := only(t, st); ev.Status != 500 || !ev.HasBody() {
		t.Errorf("stored status %d, body %q", ev.Status, storetest.Body(ev))
	}
	srv.SetRespond(respond.Mode{})
	if got := post(t, url, []byte(`{}`), nil, false); got.status != 200 {
		t.Errorf("after SetRespond(200): %d", got.status)
	}
}

func TestCycleRespondGoesRoundAndHome(t *testing.T) {
	_, srv, _ := startReceiver(t, Config{})
	var seen []string
	for range 5 {
		seen = append(seen, srv.CycleRespond().String())
	}
	want := []string{"500", "429", "slow", "200", "500"}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("cycle = %v, want %v", seen, want)
		}
	}
}

// The slow answer stores the delivery at once and holds the answer: a sender
// that gives up first (as Extend does after 30 s) gets nothing, and the
// delivery is still there.
func TestSlowAnswerHoldsTheAnswerNotTheDelivery(t *testing.T) {
	st, _, url := startReceiver(t, Config{Respond: respond.Slow})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d before the slow delay", resp.StatusCode)
	}
	if ev := only(t, st); ev.Status != 200 {
		t.Errorf("stored status %d", ev.Status)
	}
}

func TestShutdownEndsASlowAnswer(t *testing.T) {
	st := store.New(10, 0)
	srv := New(Config{Listen: "127.0.0.1:0", Respond: respond.Slow}, st)
	addr, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+addr, "application/json", nil)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	for st.Last() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown waited for the slow answer: %v", err)
	}
	if status := <-answered; status != 200 {
		t.Errorf("answer %d", status)
	}
}

func TestPassThroughAnswersWithTheAppsStatus(t *testing.T) {
	var forwarded *store.Event
	st, _, url := startReceiver(t, Config{Respond: respond.PassThrough, PassThrough: func(_ context.Context, ev *store.Event) int {
		forwarded = ev
		ev.SetForward(&store.Forward{Status: 418})
		return 418
	}})
	if got := post(t, url, []byte(`{}`), nil, false); got.status != 418 {
		t.Errorf("answer %d, want the app's 418", got.status)
	}
	ev := only(t, st)
	if ev != forwarded || ev.Status != 418 || ev.Forward() == nil {
		t.Errorf("stored %+v", ev)
	}
	_, _, url = startReceiver(t, Config{Respond: respond.PassThrough})
	if got := post(t, url, []byte(`{}`), nil, false); got.status != http.StatusBadGateway {
		t.Errorf("without an app: %d, want 502", got.status)
	}
}
