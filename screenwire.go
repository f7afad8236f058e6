package main

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/cli/browser"
	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/store"
)

// screenReplayer replays events for the screen (ui.Replayer) and stores
// each replay, with the app's answer, as a new event linked to the
// original.
type screenReplayer struct {
	store  *store.Store
	client *http.Client
	target string // --forward-to, "" without it
	secret string
	now    func() time.Time
}

func newScreenReplayer(st *store.Store, target, secret string, trust deliver.Trust) *screenReplayer {
	client := deliver.NewClient(deliver.DefaultForwardTimeout, trust)
	return &screenReplayer{store: st, client: client, target: target, secret: secret, now: time.Now}
}

// Target is the forward target, the replay prompt's first suggestion.
func (r *screenReplayer) Target() string { return r.target }

// CanResign says a secret is at hand to re-sign replays with.
func (r *screenReplayer) CanResign() bool { return r.secret != "" }

// Replay sends ev to target, re-signed with a fresh timestamp or verbatim,
// and appends the replay to the store.
func (r *screenReplayer) Replay(ctx context.Context, ev *store.Event, target string, verbatim bool) (*store.Event, error) {
	mode := deliver.Resign
	if verbatim {
		mode = deliver.Verbatim
	}
	out, err := deliver.Replay(ctx, r.client, target, ev, mode, r.secret, r.now())
	if err != nil {
		return nil, err
	}
	r.store.Append(out)
	return out, nil
}

// openInBrowser opens link with the platform's opener, silenced: its
// output would land on the screen.
func openInBrowser(link string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(link)
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
