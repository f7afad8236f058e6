package receiver

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
)

// Serve takes listeners bound elsewhere (the --listen socket bound before
// registering, a tunnel): deliveries on each are stored, and Shutdown
// closes every one of them.
func TestServeOnSeveralListeners(t *testing.T) {
	st := store.New(1000, 0)
	srv := New(Config{Secret: testSecret}, st)
	var listeners []net.Listener
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		listeners = append(listeners, ln)
		srv.Serve(ln)
	}
	if srv.Addr() != listeners[0].Addr().String() {
		t.Errorf("Addr() = %q, want the first listener's %q", srv.Addr(), listeners[0].Addr())
	}
	body := []byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{}}`)
	for _, ln := range listeners {
		if a := post(t, "http://"+ln.Addr().String()+"/", body, signedHeaders(testSecret, body, time.Now()), false); a.status != http.StatusOK {
			t.Fatalf("POST on %s: status %d", ln.Addr(), a.status)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if got := st.Stats().Stored; got != 2 {
		t.Errorf("stored %d deliveries, want 2", got)
	}
	for _, ln := range listeners {
		if conn, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections after Shutdown", ln.Addr())
		}
	}
}
