package connect_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/connect/connecttest"
)

// Dial registers the tunnel's URL, with a path, and Unregister and
// CloseTunnel undo it, each once.
func TestDialTunnelAndRegister(t *testing.T) {
	fake, c := world(t)
	ctx := context.Background()
	link, err := connect.Dial(ctx, connecttest.Loopback{}, c, connect.Options{PublicURL: "ignored", Session: session})
	if err != nil {
		t.Fatal(err)
	}
	if want := link.Tunnel.URL() + "/?api_version=2026-02-09"; link.PublicURL() != want || fake.Endpoints()[0].URL != want {
		t.Errorf("public URL %q, registered %q, want %q", link.PublicURL(), fake.Endpoints()[0].URL, want)
	}
	if s := link.String(); s != "registered webhook endpoint "+link.EndpointID()+" for "+link.PublicURL()+" (0 subscriptions)" {
		t.Errorf("String() = %q", s)
	}
	for range 2 {
		if done, err := link.Unregister(ctx); err != nil || !strings.HasPrefix(done, "deleted webhook endpoint ") {
			t.Errorf("Unregister: %q, %v", done, err)
		}
		if err := link.CloseTunnel(); err != nil {
			t.Errorf("CloseTunnel: %v", err)
		}
	}
	if len(fake.Endpoints()) != 0 {
		t.Error("the endpoint outlived Unregister")
	}
}

// A registration that fails closes the tunnel it was for.
func TestDialRegisterFailsClosesTheTunnel(t *testing.T) {
	fake, c := world(t)
	fake.Fail("POST /webhook_endpoints", connecttest.Fault{Status: 400, Code: "INVALID_URL", Message: "no"})
	opened := &recordingTunneler{}
	_, err := connect.Dial(context.Background(), opened, c, connect.Options{Session: session})
	if err == nil || !strings.Contains(err.Error(), "INVALID_URL") {
		t.Fatalf("Dial: %v", err)
	}
	if resp, err := http.Get(opened.url); err == nil {
		resp.Body.Close()
		t.Error("the tunnel still answers after a failed registration")
	}
}

// A nil link is a session with neither.
func TestNilLink(t *testing.T) {
	var link *connect.Link
	if done, err := link.Unregister(context.Background()); link.PublicURL() != "" || link.EndpointID() != "" || link.String() != "" || done != "" || err != nil || link.CloseTunnel() != nil {
		t.Error("a nil link is not empty")
	}
}

// Without a tunnel or a client, a link only carries the URL given.
func TestDialNothing(t *testing.T) {
	link, err := connect.Dial(context.Background(), nil, nil, connect.Options{PublicURL: "https://mine.test/"})
	if err != nil || link.PublicURL() != "https://mine.test/" || link.EndpointID() != "" || link.String() != "" {
		t.Errorf("link %+v, %v", link, err)
	}
	if done, err := link.Unregister(context.Background()); done != "" || err != nil || link.CloseTunnel() != nil {
		t.Errorf("Unregister: %q, %v", done, err)
	}
}

type recordingTunneler struct{ url string }

func (r *recordingTunneler) Open(ctx context.Context) (connect.Tunnel, error) {
	tunnel, err := connecttest.Loopback{}.Open(ctx)
	if err == nil {
		r.url = tunnel.URL()
	}
	return tunnel, err
}
