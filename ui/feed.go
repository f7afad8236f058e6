package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// Source is what the screen reads events from: the store, or a stand-in in
// tests. It is declared here, where it is consumed.
type Source interface {
	// Since returns the stored events after seq, oldest first, and how many
	// after seq were evicted before they could be read.
	Since(seq uint64) (events []*store.Event, missed uint64)
	// Subscribe returns a capacity-one channel signalled after appends.
	Subscribe() (<-chan struct{}, func())
	Stats() store.Stats
}

// arrivalsMsg carries everything new since the last one: the feed's only
// message. Building the items (display texts, search filters) happens in
// the command, off the update loop.
type arrivalsMsg struct {
	items  []*item
	missed uint64      // evicted before the screen read them
	stats  store.Stats // the store's counters, read after the events
	at     time.Time
}

// feed pulls arrivals from a source, one command at a time: the command
// waits for the store's change signal, then for coalesceWindow so that a
// burst gathers, then takes everything new in one message. Update starts
// the next wait only after handling that message, so exactly one is in
// flight and a burst of thousands of deliveries costs a handful of updates.
type feed struct {
	src     Source
	changed <-chan struct{}
	stop    func()
	after   uint64 // the last seq read
	window  time.Duration
	maker   *itemMaker // used only by the command in flight
	now     func() time.Time
}

func newFeed(src Source, loc *time.Location, now func() time.Time) *feed {
	changed, stop := src.Subscribe()
	return &feed{src: src, changed: changed, stop: stop, window: coalesceWindow,
		maker: &itemMaker{loc: loc}, now: now}
}

// pull reads what is there now, without waiting: the first command.
func (f *feed) pull() tea.Cmd {
	after, maker := f.after, f.maker
	return func() tea.Msg { return f.read(after, maker) }
}

// wait reads after the next change signal and the coalescing window.
func (f *feed) wait() tea.Cmd {
	after, maker, changed, window := f.after, f.maker, f.changed, f.window
	return func() tea.Msg {
		<-changed
		time.Sleep(window)
		return f.read(after, maker)
	}
}

func (f *feed) read(after uint64, maker *itemMaker) arrivalsMsg {
	events, missed := f.src.Since(after)
	msg := arrivalsMsg{items: maker.makeAll(events), missed: missed, at: f.now()}
	msg.stats = f.src.Stats()
	return msg
}

// advance records what a message delivered; call it in Update.
func (f *feed) advance(msg arrivalsMsg) {
	if n := len(msg.items); n > 0 {
		f.after = msg.items[n-1].seq
	} else {
		f.after += msg.missed
	}
}

// firstLive is the oldest seq the store still holds, by its counters: seqs
// are contiguous and Received is the last one assigned.
func firstLive(st store.Stats) uint64 {
	return st.Received - uint64(st.Stored) + 1
}
