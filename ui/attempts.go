package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// attemptTrail is what the screen has seen of the deliveries of one
// eventId: Extend's retries of a delivery it counted failed. The first
// attempt's item and every later one point at the same trail, so the trail
// lives exactly as long as the items do, with no map to prune.
type attemptTrail struct {
	times []time.Time // received times by attempt number - 1; zero when not seen
}

func (t *attemptTrail) total() int { return len(t.times) }

func (t *attemptTrail) set(attempt int, at time.Time) {
	if attempt < 1 {
		return
	}
	for len(t.times) < attempt {
		t.times = append(t.times, time.Time{})
	}
	t.times[attempt-1] = at
}

// sincePrevious is the time between an attempt and the one before it, or 0
// when either was not seen.
func (t *attemptTrail) sincePrevious(attempt int) time.Duration {
	if attempt < 2 || attempt > len(t.times) {
		return 0
	}
	prev, cur := t.times[attempt-2], t.times[attempt-1]
	if prev.IsZero() || cur.IsZero() {
		return 0
	}
	return cur.Sub(prev)
}

// trackAttempts links the retries among new arrivals to the first attempt
// of their eventId, in Update. A retry whose first attempt was evicted
// before it arrived keeps the plain "×N" marker. It reports whether any
// retry was linked.
func (l *eventList) trackAttempts(news []*item) bool {
	linked := false
	for _, it := range news {
		ev := it.ev
		if ev.Attempt < 2 || ev.DuplicateOf() == 0 {
			continue
		}
		first := l.find(ev.DuplicateOf())
		if first == nil {
			continue
		}
		if first.trail == nil {
			first.trail = &attemptTrail{}
			first.trail.set(1, first.ev.ReceivedAt)
		}
		first.trail.set(int(ev.Attempt), ev.ReceivedAt)
		it.trail = first.trail
		linked = true
	}
	return linked
}

// find returns the live item of seq, or nil.
func (l *eventList) find(seq uint64) *item {
	i, ok := slices.BinarySearchFunc(l.items, seq, func(it *item, seq uint64) int { return cmpSeq(it.ev.Seq, seq) })
	if !ok {
		return nil
	}
	return l.items[i]
}

// eventAbout is what the screen knows of an event beyond the event itself,
// copied in Update for a document rendered in a command.
type eventAbout struct {
	attempts  int           // deliveries of its eventId seen; 0 when unknown
	sincePrev time.Duration // since the previous attempt; 0 when unknown
}

func aboutOf(it *item) eventAbout {
	if it.trail == nil {
		return eventAbout{}
	}
	return eventAbout{attempts: it.trail.total(), sincePrev: it.trail.sincePrevious(int(it.ev.Attempt))}
}

// with returns a copy of the kit that knows about it.
func (k *renderKit) with(it *item) *renderKit {
	c := *k
	c.about = aboutOf(it)
	return &c
}

// liveState is what changes about an event after it arrived: its forward
// result, the count of its eventId's attempts, the payload fetched from its
// signed link and the minutes that link has left. It is part of a
// document's key, so a document drawn before a change is drawn again.
type liveState struct {
	forwarded bool
	attempts  int
	fetched   *store.Fetched
	linkLeft  int64
	run       uint32 // the changes to its run, for the Run view only (runfilter.go)
}

func liveOf(it *item, v view, now time.Time) liveState {
	s := liveState{forwarded: it.ev.Forward() != nil, fetched: it.ev.Fetched(), linkLeft: minutesLeft(it.ev, now)}
	if it.trail != nil {
		s.attempts = it.trail.total()
	}
	if v == viewRun && it.run != nil {
		s.run = it.run.changes
	}
	return s
}

// refreshShown draws the document on screen again when the event changed
// since it was drawn (a forward result came in).
func (m *Model) refreshShown() tea.Cmd {
	if it := m.list.sel; it != nil && liveOf(it, m.pane.view, m.now()) != m.pane.shown.live {
		return m.showSelected()
	}
	return nil
}

// rowMarker is the compact mark at the end of a row: "↻12" for a replay of
// #12, "2/3" for the second of three attempts of one eventId, followed by
// the time since the previous attempt when the column is wide enough.
func rowMarker(it *item, room int) string {
	ev := it.ev
	switch {
	case ev.ReplayOf() != 0:
		return "↻" + strconv.FormatUint(ev.ReplayOf(), 10)
	case it.trail != nil && it.trail.total() > 1:
		mark := fmt.Sprintf("%d/%d", ev.Attempt, it.trail.total())
		if gap := it.trail.sincePrevious(int(ev.Attempt)); gap > 0 && room >= len(mark)+1+len(shortGap(gap)) {
			mark += " " + shortGap(gap)
		}
		return mark
	case ev.Attempt > 1:
		return "×" + strconv.Itoa(int(ev.Attempt))
	}
	return ""
}

// shortGap writes a gap between attempts in at most six cells: "+45s",
// "+12m", "+3h05m".
func shortGap(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("+%ds", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("+%dm", int(d/time.Minute))
	case d < 100*time.Hour:
		return fmt.Sprintf("+%dh%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return "+days"
}

// attempt writes the Summary's line about Extend's retries of the event.
func (s summarizer) attempt(ev *store.Event, about eventAbout) {
	if ev.Attempt < 2 && about.attempts < 2 {
		return
	}
	text := fmt.Sprintf("attempt %d", ev.Attempt)
	if about.attempts > 1 {
		text += fmt.Sprintf(" of %d", about.attempts)
	}
	if about.sincePrev > 0 {
		text += fmt.Sprintf(", %s after attempt %d", about.sincePrev.Round(time.Second), ev.Attempt-1)
	}
	if ev.DuplicateOf() != 0 {
		text += fmt.Sprintf(" (the first is #%d)", ev.DuplicateOf())
	}
	text += ": Extend retries a delivery its endpoint failed or answered too slowly"
	s.warn("Attempt", text)
}
