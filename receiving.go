package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/receiver"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/watch"
)

// receiving is a running receiver; with --forward-to, the forwarder that
// follows the store and passes each delivery on to the app under test; and
// its link to Extend (--tunnel, --register).
type receiving struct {
	*receiver.Server
	forward *deliver.Forwarder   // nil without --forward-to
	link    *connect.Link        // nil without the connect flags
	links   *deliver.LinkFetcher // nil without --fetch-signed-urls
	warn    io.Writer            // stderr, for forwards abandoned and the endpoint deleted on the way out
}

// dial opens the tunnel and registers the endpoint the plan asks for. The
// commands' ctx ends on SIGINT and SIGTERM, which ends dial, and Register
// deletes what it created. The registered endpoint's secret becomes the one
// the session verifies and replays with, in memory only.
func (r *receiving) dial(ctx context.Context, plan dialPlan, o *options) error {
	link, err := connect.Dial(ctx, plan.tunneler, plan.client, plan.options)
	if err != nil {
		return err
	}
	r.link = link
	if link.Registration != nil {
		o.secret = secretFlag{secret: link.Registration.SigningSecret(), given: true}
	}
	return nil
}

// serve serves the receiver on the --listen socket and on the tunnel.
func (r *receiving) serve(ln net.Listener) {
	r.Serve(ln)
	if r.link != nil && r.link.Tunnel != nil {
		r.Serve(r.link.Tunnel)
	}
}

// announceLink follows the readiness line with the public URL and the
// endpoint, when the session has them.
func (r *receiving) announceLink(stderr io.Writer) {
	if s := r.link.String(); s != "" {
		fmt.Fprintf(stderr, "extend-inspect: %s\n", s)
	}
}

// startForwarding starts forwarding what st stores from now on, when
// --forward-to is given; under --respond pass-through the receiver
// forwards before it stores, through cfg.PassThrough.
func (r *receiving) startForwarding(target string, trust deliver.Trust, st *store.Store, cfg *receiver.Config) error {
	if target == "" {
		return nil
	}
	fw, err := deliver.NewForwarder(st, deliver.ForwardConfig{URL: target, Trust: trust})
	if err != nil {
		return usageError(fmt.Errorf("--forward-to: %w", err))
	}
	r.forward = fw
	cfg.PassThrough = fw.PassThrough
	return nil
}

// Forwarded wakes whoever waits for forward results; nil without
// --forward-to, which never fires in a select.
func (r *receiving) Forwarded() <-chan struct{} {
	if r.forward == nil {
		return nil
	}
	return r.forward.Forwarded()
}

// forwards is the forwarder as tail reads it; nil without --forward-to.
func (r *receiving) forwards() watch.Forwards {
	if r.forward == nil {
		return nil
	}
	return r.forward
}

// fetchLinks starts fetching the signed link of each verified delivery st
// takes, with --fetch-signed-urls; warn gets the links that gave no
// payload (the screen passes what it shows once it is gone).
func (r *receiving) fetchLinks(o *options, st *store.Store, warn io.Writer) {
	if o.fetchSigned {
		r.links = deliver.StartLinkFetcher(st, deliver.LinkFetchConfig{Fetcher: deliver.Fetcher{MaxBytes: int64(o.maxBody)}, Warn: warn})
	}
}

// stop deletes the registered endpoint first, so that Extend stops
// sending, then stops the receiver, finishes the link fetches, forwards
// what it took, and closes the tunnel. Forwards abandoned because ctx ended first are reported on
// stderr rather than failing the command: every delivery was received, and
// each line says what became of its forward.
func (r *receiving) stop(ctx context.Context) error {
	err := r.unregister(ctx)
	if r.Server != nil {
		err = errors.Join(err, r.Shutdown(ctx))
	}
	if r.links != nil {
		r.links.Close(ctx)
	}
	return errors.Join(err, r.stopForwarding(ctx), r.link.CloseTunnel())
}

// unregister deletes the session's endpoint and says so on stderr.
func (r *receiving) unregister(ctx context.Context) error {
	done, err := r.link.Unregister(ctx)
	if done != "" {
		fmt.Fprintf(r.warn, "extend-inspect: %s\n", done)
	}
	return err
}

func (r *receiving) stopForwarding(ctx context.Context) error {
	if r.forward == nil {
		return nil
	}
	err := r.forward.Close(ctx)
	var abandoned *deliver.AbandonedError
	if errors.As(err, &abandoned) {
		fmt.Fprintf(r.warn, "extend-inspect: warning: %v\n", abandoned)
		return nil
	}
	return err
}
