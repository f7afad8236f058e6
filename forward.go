package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/receiver"
	"github.com/extend-inspect/extend-inspect/store"
)

// receiving is a running receiver and, with --forward-to, the forwarder
// that passes each delivery on to the app under test.
type receiving struct {
	*receiver.Server
	forward *forwarding // nil without --forward-to
}

// forwarding forwards every stored delivery to the app, in sequence order.
// A pump goroutine woken by the store's change signal hands the deliveries
// to the forwarder, so the receiver's answer to Extend never waits for the
// app (except under --respond pass-through, where that is the point).
type forwarding struct {
	fw        *deliver.Forwarder
	store     *store.Store
	forwarded chan struct{} // capacity 1: some delivery's forward finished
	done      chan struct{}
	wg        sync.WaitGroup
	last      uint64
}

func newForwarding(target string, st *store.Store) (*forwarding, error) {
	f := &forwarding{store: st, forwarded: make(chan struct{}, 1), done: make(chan struct{})}
	fw, err := deliver.NewForwarder(deliver.ForwardConfig{URL: target, OnDone: f.signal})
	if err != nil {
		return nil, fmt.Errorf("--forward-to: %w", err)
	}
	f.fw = fw
	return f, nil
}

func (f *forwarding) signal(*store.Event) {
	select {
	case f.forwarded <- struct{}{}:
	default:
	}
}

// passThrough forwards a delivery before it is stored and answers with the
// app's status: the receiver's PassThrough hook.
func (f *forwarding) passThrough(ctx context.Context, ev *store.Event) int {
	return deliver.PassThroughStatus(f.fw.ForwardSync(ctx, ev))
}

// start runs the pump. Deliveries forwarded already (pass-through) are
// passed over.
func (f *forwarding) start() {
	changed, unsubscribe := f.store.Subscribe()
	f.wg.Go(func() {
		defer unsubscribe()
		for {
			select {
			case <-changed:
				f.pump()
			case <-f.done:
				f.pump()
				return
			}
		}
	})
}

func (f *forwarding) pump() {
	events, _ := f.store.Since(f.last)
	for _, ev := range events {
		f.last = ev.Seq
		if ev.Forward() == nil {
			f.fw.Forward(ev)
		}
	}
}

// stop hands over what is left and lets the forwards under way finish.
func (f *forwarding) stop(ctx context.Context) error {
	close(f.done)
	f.wg.Wait()
	return f.fw.Close(ctx)
}

// Forwarded wakes whoever waits for forward results; nil without
// --forward-to, which never fires in a select.
func (r *receiving) Forwarded() <-chan struct{} {
	if r.forward == nil {
		return nil
	}
	return r.forward.forwarded
}

// Forwarding reports whether deliveries are forwarded to an app.
func (r *receiving) Forwarding() bool { return r.forward != nil }

// stop stops the receiver, then the forwarding of what it took.
func (r *receiving) stop(ctx context.Context) error {
	err := r.Shutdown(ctx)
	if r.forward != nil {
		err = errors.Join(err, r.forward.stop(ctx))
	}
	return err
}
