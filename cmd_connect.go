package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"

	"github.com/spf13/pflag"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/extend"
)

// connectFlags are the flags that connect a receiving command to Extend:
// a tunnel, and an endpoint registered for the session (connect/).
type connectFlags struct {
	register   bool
	publicURL  string
	events     []string
	subscribe  []string
	apiVersion apiVersion
	tunnel     tunnelFlag
}

// addConnectFlags registers the connect flags on a receiving command (the
// screen, tail, wait).
func addConnectFlags(fs *pflag.FlagSet, o *connectFlags) {
	o.apiVersion = apiVersion(connect.DefaultAPIVersion)
	fs.BoolVar(&o.register, "register", false, "create a webhook endpoint for this session with $"+connect.EnvAPIKey+", verify with its secret, delete it on exit")
	fs.StringVar(&o.publicURL, "public-url", "", "the public `URL` of a tunnel of your own, which --register registers")
	fs.StringSliceVar(&o.events, "events", nil, "event `TYPES` the endpoint enables, comma-separated or repeated (default: all an endpoint of --api-version may enable)")
	fs.StringArrayVar(&o.subscribe, "subscribe", nil, "subscribe the endpoint to resource `ID` (workflow_, ex_, cl_, spl_) or "+connect.AllWorkflows+" (repeatable)")
	fs.Var(&o.apiVersion, "api-version", "the API version the registered endpoint is pinned to ("+versionList()+")")
	fs.Var(&o.tunnel, "tunnel", "open a public tunnel to the receiver: ngrok (in process, with $"+connect.EnvNgrokAuthtoken+")")
}

// newTunneler makes the tunnel --tunnel ngrok opens. Tests put
// connecttest.Loopback in its place: they cannot reach ngrok's service.
var newTunneler = func(logger *slog.Logger) (connect.Tunneler, error) {
	return connect.NgrokFromEnv(os.Getenv, versionString(), logger)
}

// dialPlan is what the connect flags ask for, checked and not yet dialled.
type dialPlan struct {
	tunneler connect.Tunneler // nil without --tunnel
	client   *connect.Client  // nil without --register
	options  connect.Options
}

// plan checks the connect flags against each other and the
// environment, before any network: every error is a usage error. errorLog
// is where the tunnel's own log goes (discarded under the screen).
func (o *connectFlags) plan(secret secretFlag, demo bool, errorLog *log.Logger, stderr io.Writer) (dialPlan, error) {
	plan := dialPlan{options: connect.Options{
		PublicURL: o.publicURL, APIVersion: extend.Version(o.apiVersion), Events: o.events, Subscribe: o.subscribe,
	}}
	if err := o.check(secret, demo); err != nil {
		return plan, usageError(err)
	}
	if err := plan.options.Check(); err != nil {
		return plan, usageError(err)
	}
	if o.tunnel != "" {
		logger := slog.New(slog.NewTextHandler(errorLog.Writer(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		tunneler, err := newTunneler(logger)
		if err != nil {
			return plan, usageError(err)
		}
		plan.tunneler = tunneler
	}
	if !o.register {
		return plan, nil
	}
	if os.Getenv(envSecret) != "" {
		fmt.Fprintf(stderr, "extend-inspect: ignoring $%s: this session verifies with its endpoint's own secret\n", envSecret)
	}
	cfg, err := connect.ConfigFromEnv(os.Getenv, versionString())
	if err != nil {
		return plan, usageError(fmt.Errorf("--register: %w", err))
	}
	if plan.client, err = connect.New(cfg); err != nil {
		return plan, usageError(fmt.Errorf("--register: %w", err))
	}
	return plan, nil
}

// check refuses the combinations that cannot work.
func (o *connectFlags) check(secret secretFlag, demo bool) error {
	switch {
	case demo && (o.register || o.tunnel != ""):
		return errors.New("--demo plays its own deliveries on this machine: drop --register and --tunnel")
	case o.register && secret.given:
		return errors.New("--register verifies with the signing secret of the endpoint it creates: drop --secret")
	case o.register && o.publicURL == "" && o.tunnel == "":
		return errors.New("--register needs a URL Extend can reach: give --tunnel ngrok, or --public-url URL of your own tunnel")
	case !o.register && (len(o.events) > 0 || len(o.subscribe) > 0):
		return errors.New("--events and --subscribe set up the endpoint --register creates: add --register")
	case o.publicURL != "" && o.tunnel != "":
		return errors.New("--public-url and --tunnel both give the public URL: give one of them")
	}
	return nil
}

// tunnelFlag is --tunnel: ngrok, the only tunnel built in.
type tunnelFlag string

// tunnelNgrok is --tunnel's one value.
const tunnelNgrok = "ngrok"

func (t *tunnelFlag) Set(s string) error {
	if s != tunnelNgrok {
		return errors.New("the only tunnel built in is ngrok")
	}
	*t = tunnelFlag(s)
	return nil
}

func (t *tunnelFlag) String() string { return string(*t) }
func (t *tunnelFlag) Type() string   { return tunnelNgrok }
