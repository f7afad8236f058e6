package main

import (
	"context"
	"time"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/store"
)

// screenReplayer replays events for the screen (ui.Replayer) and stores
// each replay, with the app's answer, as a new event linked to the
// original.
type screenReplayer struct {
	store  *store.Store
	target string // --forward-to, "" without it
	secret string
	now    func() time.Time
}

func newScreenReplayer(st *store.Store, target, secret string) *screenReplayer {
	return &screenReplayer{store: st, target: target, secret: secret, now: time.Now}
}

// Target is the forward target, the replay prompt's first suggestion.
func (r *screenReplayer) Target() string { return r.target }

// Replay sends ev to target, re-signed with a fresh timestamp or verbatim,
// and appends the replay to the store.
func (r *screenReplayer) Replay(ctx context.Context, ev *store.Event, target string, verbatim bool) (*store.Event, error) {
	mode := deliver.Resign
	if verbatim {
		mode = deliver.Verbatim
	}
	out, err := deliver.Replay(ctx, nil, target, ev, mode, r.secret, r.now())
	if err != nil {
		return nil, err
	}
	r.store.Append(out)
	return out, nil
}

// screenLinks fetches a delivery's signed link for the screen's L
// (ui.LinkFetcher) and keeps the payload on the event.
type screenLinks struct {
	store   *store.Store
	fetcher deliver.Fetcher
}

// Fetch downloads ev's signed link into the store.
func (l screenLinks) Fetch(ctx context.Context, ev *store.Event) (time.Time, error) {
	got, err := deliver.FetchInto(ctx, l.store, l.fetcher, ev)
	return got.At, err
}
