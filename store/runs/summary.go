// Package runs summarises one run from its stored events: the heading and
// the per-event lines the Run view draws, and the one line per run that
// `extend-inspect runs` prints. It is pure (events in, values out), so the
// screen calls it in a command and tests call it directly; it lives beside
// the store rather than in it because the ring buffer does not need it, and
// in store's family rather than ui's because the command line needs it too.
package runs

import (
	"slices"
	"strconv"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// Summary is one run as its stored events tell it.
type Summary struct {
	ID, Kind      string
	Name, Version string // workflow or processor, where a payload says

	// Status is the run's status as its latest own event (by the payload's
	// time, then arrival) states it, e.g. PROCESSED; a step run or a child
	// processor run speaks for its run only when nothing else has.
	Status   string
	Finished bool // a terminal event arrived (extend.EndsRun)

	Started, Ended time.Time     // Ended is zero until Finished
	Duration       time.Duration // start to end, or to the latest event while running

	FailureReason, FailureMessage string

	NeedsReview   bool
	Reviewed      bool
	ReviewedBy    string
	RejectionNote string

	Credits    float64
	HasCredits bool

	Evicted int // the run's first events that the store evicted
	Steps   int // step-run events, retries included
	Lines   []Line
}

// Line is one stored event of the run, in the run's order.
type Line struct {
	Event              *store.Event
	Offset             time.Duration // from the run's start (see Summary.origin)
	Since              time.Duration // from the previous line: how long that step took
	Type               string
	StepName, StepType string
	Status             string
	Attempt, Attempts  int // this delivery of its eventId, and how many the run holds
	Signature          extend.Verification
	Forward            *store.Forward // nil when not forwarded (yet)
	Superseded         bool           // a later run of the same step replaced it
}

// AttemptLabel is "2/3" for a repeated eventId, "" for a single delivery.
func (l Line) AttemptLabel() string {
	if l.Attempts < 2 {
		return ""
	}
	return strconv.Itoa(l.Attempt) + "/" + strconv.Itoa(l.Attempts)
}

// Failed reports whether the run did not succeed: it ended failed,
// rejected or cancelled, or it never ended though runs of its kind do.
func (s Summary) Failed() bool {
	if !s.Finished {
		return extend.RunKindEnds(s.Kind)
	}
	return s.FailureReason != "" || s.Status == "FAILED" || s.Status == "REJECTED" || s.Status == "CANCELLED"
}

// Seqs are the sequence numbers of the run's events, in the run's order.
func (s Summary) Seqs() []uint64 {
	seqs := make([]uint64, len(s.Lines))
	for i, l := range s.Lines {
		seqs[i] = l.Event.Seq
	}
	return seqs
}

// Summarize builds the summary of one run. Events are ordered by the
// payload's own time, then by arrival: Extend may deliver a run's events
// out of order, and retries arrive late. An event whose payload has no time
// (a run waiting for review) keeps its place after the event that arrived
// before it.
func Summarize(run store.RunEvents) Summary {
	s := Summary{ID: run.ID, Kind: run.Kind, Evicted: run.Evicted}
	events := placeInTime(run.Events)
	s.heading(events)
	s.Lines = lines(events, s.origin(events))
	for _, l := range s.Lines {
		if l.StepName != "" || l.StepType != "" {
			s.Steps++
		}
	}
	return s
}

// origin is the time the lines' offsets count from: the run's start, where
// its payload says it, the moment the heading's start and duration count
// from, so the first offset says how long the run went before its first
// event; else its first event. A start after the first event (another
// clock) is not used: no offset is negative.
func (s Summary) origin(events []timed) time.Time {
	if len(events) == 0 {
		return time.Time{}
	}
	first := events[0]
	if !s.Started.IsZero() && !s.Started.After(first.at) {
		return s.Started
	}
	return first.at
}

// timed is an event at its place in the run's time.
type timed struct {
	ev *store.Event
	at time.Time
}

func placeInTime(arrived []*store.Event) []timed {
	out := make([]timed, len(arrived))
	var last time.Time
	for i, ev := range arrived {
		if t := ev.Envelope.Run.Time(); !t.IsZero() {
			last = t
		}
		out[i] = timed{ev, last}
	}
	if len(out) > 0 && out[0].at.IsZero() {
		for i := range out { // no payload time before it: arrival times, then
			out[i].at = orTime(out[i].at, out[i].ev.ReceivedAt)
		}
	}
	slices.SortStableFunc(out, func(a, b timed) int { return a.at.Compare(b.at) })
	return out
}

// heading fills the run's facts from its events, latest last.
func (s *Summary) heading(events []timed) {
	if len(events) == 0 {
		return
	}
	own := ownEvents(s.ID, events)
	for _, te := range own {
		ev, r := te.ev, te.ev.Envelope.Run
		s.Name, s.Version = orKeep(r.Name, s.Name), orKeep(r.Version, s.Version)
		if started := r.Started(); !started.IsZero() && (s.Started.IsZero() || started.Before(s.Started)) {
			s.Started = started
		}
		if r.HasCredits {
			s.Credits, s.HasCredits = r.Credits, true
		}
		if extend.EndsRun(s.Kind, ev.EventType()) {
			s.Finished = true
			s.Ended = orTime(r.Finished(), te.at)
		}
	}
	latest := own[len(own)-1].ev
	s.Status = latest.Envelope.Status
	s.FailureReason, s.FailureMessage = latest.Envelope.FailureReason, latest.Envelope.FailureMessage()
	r := latest.Envelope.Run
	s.Reviewed, s.ReviewedBy, s.RejectionNote = r.Reviewed, r.ReviewedBy(), r.RejectionNote()
	s.NeedsReview = s.Status == "NEEDS_REVIEW"
	if s.Started.IsZero() {
		s.Started = events[0].at
	}
	end := s.Ended
	if end.IsZero() {
		end = events[len(events)-1].at
	}
	s.Duration = max(end.Sub(s.Started), 0)
}

// ownEvents are the events that speak for the run itself: not its step
// runs nor the processor runs it contains, unless nothing else has arrived.
func ownEvents(id string, events []timed) []timed {
	var own []timed
	for _, te := range events {
		if te.ev.RunID() == id && te.ev.Envelope.Object != "workflow_step_run" {
			own = append(own, te)
		}
	}
	if len(own) == 0 {
		return events
	}
	return own
}

func lines(events []timed, origin time.Time) []Line {
	attempts := map[string]int{}
	for _, te := range events {
		attempts[te.ev.Envelope.EventID]++
	}
	out := make([]Line, len(events))
	for i, te := range events {
		ev, r := te.ev, te.ev.Envelope.Run
		out[i] = Line{
			Event: ev, Offset: te.at.Sub(origin),
			Type: ev.EventType(), StepName: r.StepName, StepType: ev.Envelope.StepType, Status: ev.Envelope.Status,
			Attempt: int(ev.Attempt), Attempts: attempts[ev.Envelope.EventID],
			Signature: ev.Verification.Outcome, Forward: ev.Forward(),
		}
		if i > 0 {
			out[i].Since = te.at.Sub(events[i-1].at)
		}
	}
	markSuperseded(out)
	return out
}

// markSuperseded marks a step run that a later step run of the same step
// (another event, not a retry of this one) replaced, as when a reviewer
// re-classifies and the run restarts at the classify step.
func markSuperseded(lines []Line) {
	type step struct{ typ, name string }
	latest := map[step]string{} // eventId of the step's latest run
	for _, l := range lines {
		if l.Event.Envelope.Object == "workflow_step_run" {
			latest[step{l.StepType, l.StepName}] = l.Event.Envelope.EventID
		}
	}
	for i, l := range lines {
		if l.Event.Envelope.Object == "workflow_step_run" && latest[step{l.StepType, l.StepName}] != l.Event.Envelope.EventID {
			lines[i].Superseded = true
		}
	}
}

func orKeep(v, old string) string {
	if v != "" {
		return v
	}
	return old
}

func orTime(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}
