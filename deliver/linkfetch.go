package deliver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// DefaultLinkFetches bounds the signed links fetched at once by a
// LinkFetcher.
const DefaultLinkFetches = 4

// FetchInto downloads ev's signed link with f and keeps the payload on the
// event in st (store.Store.SetFetched): the one way a fetched payload
// lands, for the screen's L and for --fetch-signed-urls.
func FetchInto(ctx context.Context, st *store.Store, f Fetcher, ev *store.Event) (Fetched, error) {
	if !ev.Envelope.IsSignedURL() {
		return Fetched{}, fmt.Errorf("#%d has no signed link", ev.Seq)
	}
	got, err := f.Fetch(ctx, ev.Envelope.SignedURL())
	if err != nil {
		return Fetched{}, err
	}
	if err := st.SetFetched(ev.Seq, got.Payload, got.At); err != nil {
		return Fetched{}, err
	}
	return got, nil
}

// LinkFetchConfig configures a LinkFetcher. Zero values take the defaults.
type LinkFetchConfig struct {
	Fetcher  Fetcher // MaxBytes is the receiver's --max-body
	InFlight int     // fetches under way at once; DefaultLinkFetches
	// Warn gets a line for each link that gave no payload and for
	// deliveries dropped from memory before their turn; nil discards them
	// (the counts stay).
	Warn io.Writer
}

// LinkFetcher fetches the signed link of each delivery a store takes
// (--fetch-signed-urls), as it arrives, but only of deliveries whose
// signature is verified: the link is a URL the sender chose, and only a
// sender holding the signing secret may make the inspector request one.
//
// It follows the store like every other reader, from the oldest event,
// and takes the next delivery only once a slot is free, so what waits for
// a fetch waits in the store. A delivery evicted before its turn is
// counted in Missed and reported on Warn.
type LinkFetcher struct {
	store    *store.Store
	fetcher  Fetcher
	follower *store.Follower
	slots    chan struct{}
	warnMu   sync.Mutex
	warn     io.Writer

	stopTaking context.CancelFunc // ends the follower's run
	abort      context.CancelFunc // ends the fetches under way
	done       chan struct{}      // closed when the follower's run has returned
	running    sync.WaitGroup

	fetched, failed, missed atomic.Uint64
}

// StartLinkFetcher starts fetching the links of what st holds and takes
// from now on. Call Close to stop.
func StartLinkFetcher(st *store.Store, cfg LinkFetchConfig) *LinkFetcher {
	if cfg.Warn == nil {
		cfg.Warn = io.Discard
	}
	taking, stopTaking := context.WithCancel(context.Background())
	fetching, abort := context.WithCancel(context.Background())
	l := &LinkFetcher{store: st, fetcher: cfg.Fetcher, follower: st.Follow(0), warn: cfg.Warn,
		slots:      make(chan struct{}, orDefault(cfg.InFlight, DefaultLinkFetches)),
		stopTaking: stopTaking, abort: abort, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.follower.Run(taking, nil, func(b store.Batch) error { return l.batch(fetching, b) })
	}()
	return l
}

// wantsFetch says whether ev's link is fetched without being asked: a
// signed link, on a delivery whose signature verified, not fetched yet.
func wantsFetch(ev *store.Event) bool {
	return ev.Envelope.IsSignedURL() && ev.Verification.Outcome == extend.Verified && ev.Fetched() == nil
}

func (l *LinkFetcher) batch(ctx context.Context, b store.Batch) error {
	if b.Missed > 0 {
		l.missed.Add(b.Missed)
		l.warnf("--fetch-signed-urls: %d %s dropped from memory before their link could be fetched; raise --capacity or --max-memory",
			b.Missed, plural(int(b.Missed), "delivery was", "deliveries were"))
	}
	for _, ev := range b.Events {
		if !wantsFetch(ev) {
			continue
		}
		select {
		case l.slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		if ctx.Err() != nil {
			<-l.slots
			return nil
		}
		l.running.Add(1)
		go func() {
			defer l.running.Done()
			defer func() { <-l.slots }()
			l.fetch(ctx, ev)
		}()
	}
	return nil
}

func (l *LinkFetcher) fetch(ctx context.Context, ev *store.Event) {
	_, err := FetchInto(ctx, l.store, l.fetcher, ev)
	switch {
	case err == nil:
		l.fetched.Add(1)
	case errors.Is(err, context.Canceled):
	default:
		l.failed.Add(1)
		l.warnf("--fetch-signed-urls: the link of #%d gave no payload: %v", ev.Seq, err)
	}
}

func (l *LinkFetcher) warnf(format string, args ...any) {
	l.warnMu.Lock()
	defer l.warnMu.Unlock()
	fmt.Fprintf(l.warn, "extend-inspect: "+format+"\n", args...)
}

// Fetched, Failed and Missed count the links fetched, the links that gave
// no payload, and the deliveries evicted before their turn.
func (l *LinkFetcher) Fetched() uint64 { return l.fetched.Load() }
func (l *LinkFetcher) Failed() uint64  { return l.failed.Load() }
func (l *LinkFetcher) Missed() uint64  { return l.missed.Load() }

// Close stops taking deliveries, fetches the links of those stored before
// it was called, and returns once every fetch has ended; when ctx ends
// first, the fetches under way are cancelled.
func (l *LinkFetcher) Close(ctx context.Context) {
	l.stopTaking()
	defer context.AfterFunc(ctx, l.abort)()
	<-l.done
	l.running.Wait()
	l.abort()
	l.follower.Close()
}
