package connect_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/connect/connecttest"
	"github.com/extend-inspect/extend-inspect/extend"
)

// The sequence the commands will run, with the loopback tunnel in ngrok's
// place: open the tunnel, serve the receiver on it, register its URL,
// verify a delivery with the secret kept in memory, then delete the
// endpoint and close the tunnel.
func TestTunnelRegisterDeliverClose(t *testing.T) {
	fake, c := world(t)
	var tunneler connect.Tunneler = connecttest.Loopback{}
	ctx := context.Background()
	tunnel, err := tunneler.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var secret atomic.Value
	verified := make(chan extend.Verification, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v := extend.NewVerifier(secret.Load().(string))
		verified <- v.Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, time.Now()).Outcome
	})}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(tunnel) }()

	reg, err := c.Register(ctx, connect.Options{PublicURL: tunnel.URL(), Subscribe: []string{connect.AllWorkflows}, Session: session})
	if err != nil {
		t.Fatal(err)
	}
	secret.Store(reg.SigningSecret())
	resp, err := fake.Deliver(ctx, reg.ID(), []byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := <-verified; got != extend.Verified {
		t.Errorf("the delivery through the tunnel is %s", got)
	}

	if err := reg.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	<-served
	if len(fake.Endpoints()) != 0 {
		t.Error("the endpoint outlived the session")
	}
	if _, err := http.Get(tunnel.URL()); err == nil {
		t.Error("the tunnel still answers after the session")
	}
}
