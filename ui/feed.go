package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// Source is what the screen reads events from: the store. It is declared
// here, where it is consumed.
type Source interface {
	// Follow returns a follower of the events after seq (see store.Follow).
	Follow(after uint64) *store.Follower
	Stats() store.Stats
	// RunOf and RunIDsOf read the store's run index (see store.RunOf);
	// only commands call them.
	RunOf(ev *store.Event) store.RunEvents
	RunIDsOf(events []*store.Event) []string
}

// arrivalsMsg carries everything new since the last one: the feed's only
// message. Building the items (display texts, search filters) happens in
// the command, off the update loop.
type arrivalsMsg struct {
	items  []*item
	runs   runNews     // the items' runs (runfilter.go)
	missed uint64      // evicted before the screen read them
	stats  store.Stats // the store's counters, read after the events
	at     time.Time
	// initial is the first message: what the store held when the screen
	// opened (a session's deliveries), not arrivals to count in the rate.
	initial bool
}

// feed pulls arrivals from the store's follower, one command at a time: the
// command waits for the follower's wake-up, then for coalesceWindow so that
// a burst gathers, then takes everything new in one message. Update starts
// the next wait only after handling that message, so exactly one command
// uses the follower at a time, and a burst of thousands of deliveries costs
// a handful of updates. The wait in flight ends with ctx, the screen's
// lifetime, so its goroutine does not outlive the screen. Building the
// items runs in the background slot (background.go), behind the receiver.
type feed struct {
	src      Source
	follower *store.Follower
	ctx      context.Context
	window   time.Duration
	maker    *itemMaker // used only by the command in flight
	now      func() time.Time
	work     background
}

func newFeed(ctx context.Context, src Source, now func() time.Time, work background) *feed {
	return &feed{src: src, follower: src.Follow(0), ctx: ctx,
		window: coalesceWindow, maker: &itemMaker{}, now: now, work: work}
}

// pull reads what is there now, without waiting: the first command.
func (f *feed) pull() tea.Cmd {
	return func() tea.Msg {
		msg := f.take()
		msg.initial = true
		return msg
	}
}

// wait reads after the next wake-up and the coalescing window; it returns
// no message once the feed is closed.
func (f *feed) wait() tea.Cmd {
	return func() tea.Msg {
		if f.follower.Wait(f.ctx) != nil || !sleep(f.ctx, f.window) {
			return nil
		}
		return f.take()
	}
}

// sleep waits d, or less when ctx ends meanwhile; it reports whether ctx
// is still going.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// take builds the message of everything new. Only the command in flight
// calls it (and tests, which run no command meanwhile). What reads the
// store under its lock runs here; building the items, the heavy part, in
// the background slot (whose thread the kernel may keep waiting: it holds
// no lock the receiver needs).
func (f *feed) take() arrivalsMsg {
	batch := f.follower.Take()
	msg := arrivalsMsg{runs: readRuns(f.src, batch.Events), missed: batch.Missed, stats: f.src.Stats(), at: f.now()}
	f.work.do(func() tea.Msg {
		msg.items = f.maker.makeAll(batch.Events)
		return nil
	})
	return msg
}

// firstLive is the oldest seq the store still holds, by its counters: seqs
// are contiguous and Received is the last one assigned.
func firstLive(st store.Stats) uint64 {
	return st.Received - uint64(st.Stored) + 1
}
