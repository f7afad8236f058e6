package connect

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"

	"golang.ngrok.com/ngrok/v2"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Tunnel is a public URL whose requests arrive on a listener of this
// process: serve the receiver's handler on it. Closing it takes the public
// URL down.
type Tunnel interface {
	net.Listener
	URL() string // the public base URL, e.g. https://abc123.ngrok-free.app
}

// Tunneler opens a tunnel. Ngrok is the real one; tests put a loopback
// listener in its place (connecttest.Loopback), since they cannot reach
// ngrok's service.
type Tunneler interface {
	Open(ctx context.Context) (Tunnel, error)
}

// EnvNgrokAuthtoken is where the ngrok authtoken comes from.
const EnvNgrokAuthtoken = "NGROK_AUTHTOKEN"

// Ngrok opens an HTTP tunnel through ngrok's service with its agent SDK,
// in process: no ngrok binary, no local port.
type Ngrok struct {
	Authtoken extend.Secret
	Version   string       // this tool's version, reported to ngrok with the client's name
	Logger    *slog.Logger // the SDK's log; nil discards it, since nothing may write to the terminal under the screen

	newAgent func(...ngrok.AgentOption) (ngrokAgent, error) // ngrok.NewAgent outside tests
}

// ngrokAgent is the part of ngrok.Agent a tunnel uses.
type ngrokAgent interface {
	Listen(context.Context, ...ngrok.EndpointOption) (ngrok.EndpointListener, error)
	Disconnect() error
}

// NgrokFromEnv reads the authtoken from NGROK_AUTHTOKEN.
func NgrokFromEnv(getenv func(string) string, version string, logger *slog.Logger) (*Ngrok, error) {
	token := getenv(EnvNgrokAuthtoken)
	if token == "" {
		return nil, fmt.Errorf("%s is not set: --tunnel ngrok needs an ngrok authtoken (from your ngrok dashboard)", EnvNgrokAuthtoken)
	}
	return &Ngrok{Authtoken: extend.Secret(token), Version: version, Logger: logger}, nil
}

// Open connects to ngrok's service and starts an HTTP endpoint with a URL
// ngrok assigns.
func (n *Ngrok) Open(ctx context.Context) (Tunnel, error) {
	if n.Authtoken == "" {
		return nil, fmt.Errorf("open ngrok tunnel: no authtoken (set %s)", EnvNgrokAuthtoken)
	}
	agent, err := n.agent()
	if err != nil {
		return nil, n.failed(err)
	}
	ln, err := agent.Listen(ctx, ngrok.WithDescription("extend-inspect receiver"))
	if err != nil {
		_ = agent.Disconnect() // abandoning the session; its error would add nothing to this one
		return nil, n.failed(err)
	}
	return &ngrokTunnel{EndpointListener: ln, agent: agent}, nil
}

func (n *Ngrok) agent() (ngrokAgent, error) {
	logger := n.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	opts := []ngrok.AgentOption{
		ngrok.WithAuthtoken(n.Authtoken.Reveal()),
		ngrok.WithClientInfo("extend-inspect", UserAgentVersion(n.Version)),
		ngrok.WithLogger(logger),
	}
	if n.newAgent != nil {
		return n.newAgent(opts...)
	}
	return ngrok.NewAgent(opts...)
}

// failed wraps an SDK error on one line (ngrok's span several, with an
// ERR_NGROK_ code), masking the authtoken should the text repeat it.
func (n *Ngrok) failed(err error) error {
	text := strings.ReplaceAll(err.Error(), n.Authtoken.Reveal(), n.Authtoken.String())
	return fmt.Errorf("open ngrok tunnel: %s", oneLine(text, 500))
}

// ngrokTunnel closes the endpoint and then the agent's session with it.
// Close may run twice (http.Server.Shutdown closes the listeners it serves,
// and the command closes the tunnel on exit); the second does nothing.
type ngrokTunnel struct {
	ngrok.EndpointListener
	agent ngrokAgent
	once  sync.Once
	err   error
}

func (t *ngrokTunnel) URL() string { return t.EndpointListener.URL().String() }

func (t *ngrokTunnel) Close() error {
	t.once.Do(func() {
		endpointErr := t.EndpointListener.Close()
		agentErr := t.agent.Disconnect()
		t.err = cmp.Or(endpointErr, agentErr)
	})
	return t.err
}
