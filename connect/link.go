package connect

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// Link is how Extend reaches a session: a tunnel, an endpoint registered
// for a public URL, or both. The command serves its receiver on Tunnel;
// with a Registration, the receiver verifies with its signing secret. A
// nil *Link is a session with neither: its methods say so.
type Link struct {
	Tunnel       Tunnel        // nil without a tunnel
	Registration *Registration // nil when not registering
	publicURL    string
}

// Dial opens the tunnel when tunneler is not nil, then, when client is not
// nil, registers an endpoint for the tunnel's URL (or o.PublicURL without a
// tunnel). A failure closes the tunnel again, and Register leaves nothing
// registered, so an error leaves nothing open.
func Dial(ctx context.Context, tunneler Tunneler, client *Client, o Options) (*Link, error) {
	l := &Link{publicURL: o.PublicURL}
	if tunneler != nil {
		tunnel, err := tunneler.Open(ctx)
		if err != nil {
			return nil, err
		}
		l.Tunnel, l.publicURL, o.PublicURL = tunnel, tunnel.URL(), tunnel.URL()
	}
	if client != nil {
		reg, err := client.Register(ctx, o)
		if err != nil {
			return nil, errors.Join(err, l.CloseTunnel())
		}
		l.Registration = reg
	}
	return l, nil
}

// PublicURL is where Extend posts: the registered endpoint's URL (with its
// ?api_version=), else the tunnel's; "" when the session has neither.
func (l *Link) PublicURL() string {
	if l == nil {
		return ""
	}
	if l.Registration != nil {
		return l.Registration.Endpoint.URL
	}
	return l.publicURL
}

// EndpointID is the registered endpoint's id; "" when not registering.
func (l *Link) EndpointID() string {
	if l == nil || l.Registration == nil {
		return ""
	}
	return l.Registration.ID()
}

// String says what the link is, for a line on stderr: the endpoint and its
// subscriptions, or the tunnel's public URL. It never shows the secret.
func (l *Link) String() string {
	switch {
	case l == nil:
		return ""
	case l.Registration != nil:
		n := len(l.Registration.Subscriptions)
		return fmt.Sprintf("registered %v (%d %s)", l.Registration, n, plural(n, "subscription", "subscriptions"))
	case l.Tunnel != nil:
		return "tunnel open: " + l.publicURL + " reaches this receiver"
	}
	return ""
}

// Unregister deletes the endpoint, when there is one, bounded by
// CleanupTimeout whatever ctx says: it runs on the way out, often after a
// signal ended ctx. It returns what to tell the user on success ("deleted
// webhook endpoint whe_…"), or a *StillRegisteredError.
func (l *Link) Unregister(ctx context.Context) (string, error) {
	if l == nil || l.Registration == nil {
		return "", nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
	defer cancel()
	if err := l.Registration.Close(ctx); err != nil {
		return "", err
	}
	return "deleted webhook endpoint " + l.Registration.ID(), nil
}

// CloseTunnel takes the tunnel down. The receiver's shutdown may have
// closed its listener already; that is not an error.
func (l *Link) CloseTunnel() error {
	if l == nil || l.Tunnel == nil {
		return nil
	}
	if err := l.Tunnel.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close the tunnel: %w", err)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
