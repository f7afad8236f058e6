package connect_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.ngrok.com/ngrok/v2"

	"github.com/extend-inspect/extend-inspect/connect"
)

const authtoken = "2abcDEFghiJKLmnoPQRstu_3vwxYZ0123456789abcdefg"

// fakeAgent stands in for ngrok's agent: its endpoint is a loopback
// listener with a made-up public URL.
type fakeAgent struct {
	mu           sync.Mutex
	listenErr    error
	endpoint     *fakeEndpoint
	disconnected int
}

func (a *fakeAgent) Listen(ctx context.Context, _ ...ngrok.EndpointOption) (ngrok.EndpointListener, error) {
	if a.listenErr != nil {
		return nil, a.listenErr
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a.endpoint = &fakeEndpoint{Listener: ln}
	return a.endpoint, nil
}

func (a *fakeAgent) Disconnect() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.disconnected++
	return nil
}

// fakeEndpoint implements what a tunnel uses of ngrok.EndpointListener; the
// rest of the interface is left nil and would panic if called.
type fakeEndpoint struct {
	ngrok.EndpointListener
	net.Listener
}

func (e *fakeEndpoint) Accept() (net.Conn, error) { return e.Listener.Accept() }
func (e *fakeEndpoint) Addr() net.Addr            { return e.Listener.Addr() }
func (e *fakeEndpoint) Close() error              { return e.Listener.Close() }
func (e *fakeEndpoint) URL() *url.URL {
	return &url.URL{Scheme: "https", Host: "abc123.ngrok-free.test"}
}

func ngrokWith(agent *fakeAgent, options *int) *connect.Ngrok {
	n, err := connect.NgrokFromEnv(env(map[string]string{"NGROK_AUTHTOKEN": authtoken}), version, nil)
	if err != nil {
		panic(err)
	}
	n.SetAgent(func(opts ...ngrok.AgentOption) (connect.NgrokAgent, error) {
		*options = len(opts)
		return agent, nil
	})
	return n
}

func TestNgrokTunnelServesAndCloses(t *testing.T) {
	agent := &fakeAgent{}
	var options int
	tunnel, err := ngrokWith(agent, &options).Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if options != 3 {
		t.Errorf("the agent got %d options, want authtoken, client info and logger", options)
	}
	if tunnel.URL() != "https://abc123.ngrok-free.test" {
		t.Errorf("URL() = %q", tunnel.URL())
	}
	served := make(chan error, 1)
	go func() {
		served <- http.Serve(tunnel, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	}()
	resp, err := http.Get("http://" + tunnel.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot {
		t.Errorf("status %d through the tunnel", resp.StatusCode)
	}
	if err := tunnel.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve ended with %v", err)
	}
	tunnel.Close()
	if agent.disconnected != 1 {
		t.Errorf("agent disconnected %d times, want once", agent.disconnected)
	}
}

func TestNgrokListenFails(t *testing.T) {
	agent := &fakeAgent{listenErr: errors.New("authentication failed: token " + authtoken + " is invalid\nERR_NGROK_107")}
	var options int
	_, err := ngrokWith(agent, &options).Open(context.Background())
	checkMessage(t, err, authtoken, "2abcDEFghi")
	if !strings.HasPrefix(err.Error(), "open ngrok tunnel: authentication failed") {
		t.Errorf("error %q", err)
	}
	if agent.disconnected != 1 {
		t.Errorf("agent disconnected %d times after a failed listen", agent.disconnected)
	}
}

func TestNgrokNeedsAuthtoken(t *testing.T) {
	_, err := connect.NgrokFromEnv(env(nil), version, nil)
	checkMessage(t, err)
	if !strings.Contains(err.Error(), "NGROK_AUTHTOKEN") {
		t.Errorf("error %q", err)
	}
	var n connect.Ngrok
	n.SetAgent(func(...ngrok.AgentOption) (connect.NgrokAgent, error) {
		t.Error("an agent was made without an authtoken")
		return &fakeAgent{}, nil
	})
	if _, err := n.Open(context.Background()); err == nil {
		t.Error("Open without an authtoken")
	}
}
