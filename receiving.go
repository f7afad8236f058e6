package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/receiver"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/watch"
)

// receiving is a running receiver and, with --forward-to, the forwarder
// that follows the store and passes each delivery on to the app under test.
type receiving struct {
	*receiver.Server
	forward *deliver.Forwarder   // nil without --forward-to
	links   *deliver.LinkFetcher // nil without --fetch-signed-urls
	warn    io.Writer            // stderr, for forwards abandoned on the way out
}

// startForwarding starts forwarding what st stores from now on, when
// --forward-to is given; under --respond pass-through the receiver
// forwards before it stores, through cfg.PassThrough.
func (r *receiving) startForwarding(target string, st *store.Store, cfg *receiver.Config) error {
	if target == "" {
		return nil
	}
	fw, err := deliver.NewForwarder(st, deliver.ForwardConfig{URL: target})
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

// stop stops the receiver, then forwards what it took. Forwards abandoned
// because ctx ended first are reported on stderr rather than failing the
// command: every delivery was received, and each line says what became of
// its forward.
func (r *receiving) stop(ctx context.Context) error {
	err := r.Shutdown(ctx)
	if r.links != nil {
		r.links.Close(ctx)
	}
	if r.forward == nil {
		return err
	}
	var abandoned *deliver.AbandonedError
	if fwErr := r.forward.Close(ctx); errors.As(fwErr, &abandoned) {
		fmt.Fprintf(r.warn, "extend-inspect: warning: %v\n", abandoned)
	} else {
		err = errors.Join(err, fwErr)
	}
	return err
}
