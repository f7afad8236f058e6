package connecttest

import (
	"context"
	"net"

	"github.com/extend-inspect/extend-inspect/connect"
)

// Loopback stands in for connect.Ngrok in tests: its tunnel is a listener
// on 127.0.0.1 and its public URL that listener's http:// address, so the
// wiring of a tunnel (serve on it, register its URL, close it on exit) runs
// without ngrok's service.
type Loopback struct{}

// Open listens on a free loopback port.
func (Loopback) Open(ctx context.Context) (connect.Tunnel, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return loopbackTunnel{ln}, nil
}

type loopbackTunnel struct{ net.Listener }

func (t loopbackTunnel) URL() string { return "http://" + t.Addr().String() }

var _ connect.Tunneler = Loopback{}
