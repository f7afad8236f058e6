package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// A burst of 5,000 deliveries within one second reaches the screen as a
// handful of updates: one per coalescing window, not one per delivery.
func TestBurstIsCoalesced(t *testing.T) {
	s := store.New(10_000, 0)
	m := newTestModel(t, s, 160, 48)
	m.feed.window = coalesceWindow
	defer m.Close()
	g := newEventMaker()
	// Small bodies keep the test quick under the race detector: it counts
	// messages, it does not time anything.
	body := []byte(`{"eventId":"e","eventType":"workflow.created","payload":{}}`)

	const burst = 5000
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		for i := range burst {
			s.Append(g.raw(body))
			// spread the burst over about a second
			if want := start.Add(time.Duration(i) * time.Second / burst); time.Until(want) > 0 {
				time.Sleep(time.Until(want))
			}
		}
	}()
	updates := 0
	for len(m.list.items) < burst {
		msg := m.feed.wait()()
		m.Update(msg)
		updates++
	}
	<-done
	t.Logf("%d deliveries in %d updates", burst, updates)
	if updates > 40 {
		t.Errorf("%d updates for a burst of %d, want at most 40", updates, burst)
	}
}

// Only one wait is ever in flight: handling arrivals starts the next.
func TestArrivalsStartTheNextWait(t *testing.T) {
	s := store.New(100, 0)
	m := newTestModel(t, s, 80, 24)
	fill(t, s, newEventMaker(), "workflow.created")
	_, cmd := m.Update(m.feed.take())
	if cmd == nil {
		t.Fatal("arrivals returned no command: the feed would stop")
	}
	if got := m.feed.follower.After(); got != 1 {
		t.Errorf("the feed's follower is after #%d, want #1", got)
	}
}

// Closing the screen ends the commands still waiting, for arrivals and for
// forward results: their goroutines do not outlive it.
func TestCloseEndsTheWaits(t *testing.T) {
	m, _, _ := newForwardModel(t, Config{Forwarded: make(chan struct{})})
	done := make(chan tea.Msg, 2)
	for _, cmd := range []tea.Cmd{m.feed.wait(), m.waitForwarded()} {
		go func() { done <- cmd() }()
	}
	m.Close()
	for range 2 {
		select {
		case msg := <-done:
			if msg != nil {
				t.Errorf("a wait ended by Close returned %T, want no message", msg)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a wait outlived the screen")
		}
	}
}

func TestRate(t *testing.T) {
	var r rateMeter
	t0 := testEpoch
	r.add(t0, 10)
	r.add(t0.Add(2*time.Second), 15)
	if got := r.perSecond(t0.Add(3 * time.Second)); got != 5 {
		t.Errorf("rate = %v, want 25 over 5 s = 5", got)
	}
	if got := r.perSecond(t0.Add(6 * time.Second)); got != 3 {
		t.Errorf("rate after the first mark expired = %v, want 3", got)
	}
	r.expire(t0.Add(time.Minute))
	if len(r.marks) != 0 {
		t.Error("old marks kept")
	}
}

// The screen's heavy commands run one at a time: while the feed builds a
// batch's items, or a payload is formatted, the background slot is taken,
// and the other waits for it.
func TestHeavyCommandsShareOneSlot(t *testing.T) {
	s := store.New(10, 0)
	m := newTestModel(t, s, 160, 48)
	defer m.Close()
	free := func() bool {
		select {
		case m.work.slot <- struct{}{}:
			<-m.work.slot
			return true
		default:
			return false
		}
	}
	var heldWhileRunning bool
	cmd := m.work.run(func() tea.Msg { heldWhileRunning = !free(); return nil })
	cmd()
	if !heldWhileRunning || !free() {
		t.Errorf("a gated command: slot held while running %v, free after %v", heldWhileRunning, free())
	}

	fill(t, s, newEventMaker(), "workflow.created")
	release := m.work.hold()
	taken := make(chan tea.Msg)
	go func() { taken <- m.feed.wait()() }()
	select {
	case <-taken:
		t.Fatal("the feed took arrivals while the slot was held")
	case <-time.After(100 * time.Millisecond):
	}
	release()
	msg, ok := (<-taken).(arrivalsMsg)
	if !ok || len(msg.items) != 1 {
		t.Fatalf("after the slot was released the feed sent %#v", msg)
	}

	m.Update(msg)
	_, raw := m.Update(keyPress("w")) // the raw view: a document to make
	release = m.work.hold()
	shown := make(chan tea.Msg)
	go func() { shown <- raw() }()
	select {
	case <-shown:
		t.Fatal("the payload was formatted while the slot was held")
	case <-time.After(100 * time.Millisecond):
	}
	release()
	if _, ok := (<-shown).(docMsg); !ok {
		t.Error("the payload's first chunk did not follow the release")
	}
}

// While following, arrivals leave the payload being made alone; its chunk,
// when it comes, moves the pane on to the newest delivery: one followed
// document in the making at a time, and none made only to be dropped.
func TestFollowingMakesOneDocumentAtATime(t *testing.T) {
	s := store.New(10, 0)
	g := newEventMaker()
	m := newTestModel(t, s, 160, 48)
	defer m.Close()
	fill(t, s, g, "workflow_run.completed")
	m.Update(m.feed.take()) // its document's command is not run yet
	first := m.pane.shown
	if d := m.pane.current(); d == nil || !d.busy {
		t.Fatalf("the first delivery's document is not being made: %+v", d)
	}
	fill(t, s, g, "extract_run.failed")
	m.Update(m.feed.take())
	if m.list.sel.ev.Seq != 2 || m.pane.shown != first {
		t.Fatalf("after a second arrival: selected #%d, pane on #%d; want 2 and 1", m.list.sel.ev.Seq, m.pane.shown.seq)
	}
	d := m.pane.current()
	c, done := d.more.produce(true)
	msg := docMsg{key: first, chunk: c, progress: d.more.progress()}
	if !done {
		msg.more = d.more
	}
	m.Update(msg)
	if m.pane.shown.seq != 2 || !m.pane.current().busy {
		t.Errorf("after the first document's chunk the pane is on #%d (busy %v); want #2 being made", m.pane.shown.seq, m.pane.current().busy)
	}
	settle(m)
	if d := m.pane.current(); m.pane.shown.seq != 2 || d == nil || d.more != nil || m.pane.total() == 0 {
		t.Errorf("the newest delivery's payload is not made whole: pane on #%d, %+v", m.pane.shown.seq, d)
	}
}

// While following, the pane moves on to the newest delivery at most once
// every followPaneEvery; a command brings it there when the interval is
// over.
func TestFollowedPaneMovesAtMostEveryInterval(t *testing.T) {
	s := store.New(10, 0)
	g := newEventMaker()
	m := newTestModel(t, s, 160, 48)
	defer m.Close()
	clock := testEpoch
	m.now = func() time.Time { return clock }
	m.followPaneEvery = 250 * time.Millisecond
	fill(t, s, g, "workflow_run.completed")
	pull(m)
	if m.pane.shown.seq != 1 {
		t.Fatalf("pane on #%d after the first arrival", m.pane.shown.seq)
	}
	clock = clock.Add(100 * time.Millisecond)
	fill(t, s, g, "extract_run.failed")
	pull(m)
	if m.list.sel.ev.Seq != 2 || m.pane.shown.seq != 1 || !m.paneDue {
		t.Fatalf("100 ms later: selected #%d, pane on #%d, due %v; want 2, 1 and a move due", m.list.sel.ev.Seq, m.pane.shown.seq, m.paneDue)
	}
	clock = clock.Add(200 * time.Millisecond)
	m.Update(paneDueMsg{})
	settle(m)
	if m.pane.shown.seq != 2 || m.paneDue {
		t.Errorf("once the interval is over: pane on #%d, due %v; want 2 and none", m.pane.shown.seq, m.paneDue)
	}
}

// A panic in the background slot's work is raised again on the command's
// own goroutine, where Bubble Tea catches it and restores the terminal,
// and the slot is free afterwards.
func TestAPanicInBackgroundWorkReachesTheCommand(t *testing.T) {
	b := newBackground()
	got := func() (r any) {
		defer func() { r = recover() }()
		b.run(func() tea.Msg { panic("boom") })()
		return nil
	}()
	if s, _ := got.(string); !strings.Contains(s, "boom") {
		t.Fatalf("recovered %v on the command's goroutine; want the work's panic", got)
	}
	select {
	case b.slot <- struct{}{}:
		<-b.slot
	default:
		t.Error("the slot is still held after the panic")
	}
}
