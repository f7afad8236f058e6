package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/runs"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// The Run view: the selected event's run, as the store's run index joins
// it, with a heading of the run's facts and one line per stored event in
// the run's order. Its producer runs in a command: the store is read there,
// under the store's lock through its API, and runs.Summarize costs the
// run's events, not the store's.

// runRows draws the Run view of ev.
func runRows(ev *store.Event, rw *rowWriter, kit *renderKit) chunk {
	k := kit.inks
	if why := noRunReason(ev); why != "" {
		rw.write(why, k.Dim)
		return rw.take(true)
	}
	s := runs.Summarize(kit.runs.RunOf(ev))
	if len(s.Lines) == 0 {
		rw.write("Every event of run "+s.ID+" has been evicted from the store.", k.Dim)
		return rw.take(true)
	}
	runHeading(s, summarizer{rw: rw, k: k}, kit.loc)
	runLines(s, ev.Seq, rw, kit)
	return rw.take(true)
}

// noRunReason says why an event has no run, or "" when it has one.
func noRunReason(ev *store.Event) string {
	switch {
	case ev.Rejected() != "":
		return fmt.Sprintf("No run: the receiver refused this delivery (%s).", ev.Rejected())
	case ev.Envelope.Err() != nil:
		return "No run: the body is not JSON (" + ev.Envelope.Err().Error() + ")."
	case ev.RunID() != "":
		return ""
	case ev.Envelope.Run.Note() != "":
		return "No run: " + ev.Envelope.Run.Note()
	}
	return "No run: this event names none."
}

// runHeading writes the run's facts, one labelled line each.
func runHeading(s runs.Summary, out summarizer, loc *time.Location) {
	out.rw.write(kindName(s.Kind)+" ", out.k.Heading)
	out.rw.write(s.ID, out.k.Text)
	out.rw.endLine()
	out.blank()
	name := s.Name
	if s.Version != "" {
		name = joinParts(name, "version "+s.Version)
	}
	ends := extend.RunKindEnds(s.Kind)
	switch {
	case s.Kind == "workflow_run":
		out.line("Workflow", name)
	case ends:
		out.line("Processor", name)
	default: // a resource's lifecycle: no status, nothing that finishes
		out.line("Name", name)
		out.line("Time", lifecycleTimes(s, loc))
		headingTail(s, out)
		return
	}
	status := orText(s.Status, "(not stated)")
	switch {
	case s.Finished:
		status += ", finished"
	case s.Failed():
		status += ", not finished yet"
	}
	if s.Failed() && s.Finished {
		out.warn("Status", status)
	} else {
		out.line("Status", status)
	}
	out.line("Time", runTimes(s, loc))
	if s.FailureReason != "" || s.FailureMessage != "" {
		out.warn("Failure", joinParts(s.FailureReason, s.FailureMessage))
	}
	out.line("Review", reviewState(s))
	headingTail(s, out)
}

// headingTail is what every heading ends with: credits, the events, and
// what was evicted.
func headingTail(s runs.Summary, out summarizer) {
	if s.HasCredits {
		out.line("Credits", strconv.FormatFloat(s.Credits, 'f', -1, 64))
	}
	events := fmt.Sprintf("%d stored", len(s.Lines))
	if s.Steps > 0 {
		events += fmt.Sprintf(", %d of them step runs", s.Steps)
	}
	out.line("Events", events)
	if s.Evicted > 0 {
		out.warn("Evicted", fmt.Sprintf("first %d events evicted: the run began before the oldest event the store holds", s.Evicted))
	}
	out.blank()
}

// kindName is a run kind in words: "Workflow run", "Extract run". The
// kind is a payload's object name: only a lower-case ASCII letter is
// capitalised, so no rune is ever cut.
func kindName(kind string) string {
	if kind == "" {
		return "Run"
	}
	words := strings.ReplaceAll(kind, "_", " ")
	if c := words[0]; c >= 'a' && c <= 'z' {
		return string(c-'a'+'A') + words[1:]
	}
	return words
}

func runTimes(s runs.Summary, loc *time.Location) string {
	const clock = "2006-01-02 15:04:05"
	took := s.Duration.Round(100 * time.Millisecond).String()
	if s.Finished {
		return s.Started.In(loc).Format(clock) + " → " + s.Ended.In(loc).Format(time.TimeOnly) + " (" + took + ")"
	}
	return "started " + s.Started.In(loc).Format(clock) + ", " + took + " so far"
}

// lifecycleTimes is when a resource's stored events span.
func lifecycleTimes(s runs.Summary, loc *time.Location) string {
	const clock = "2006-01-02 15:04:05"
	first := s.Started.In(loc).Format(clock)
	if s.Duration <= 0 {
		return first
	}
	return "from " + first + " to " + s.Started.Add(s.Duration).In(loc).Format(clock)
}

func reviewState(s runs.Summary) string {
	switch {
	case s.RejectionNote != "":
		return joinParts("rejected", s.ReviewedBy, "“"+s.RejectionNote+"”")
	case s.Reviewed && s.ReviewedBy != "":
		return "reviewed by " + s.ReviewedBy
	case s.Reviewed:
		return "reviewed"
	case s.NeedsReview:
		return "needs review"
	}
	return ""
}

func orText(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// runColumns are the widths of the event lines' columns, from the widest
// text of each (capped, so one odd value does not push the rest off), and
// whether step names fit beside step types.
type runColumns struct {
	typ, step, status, since int
	names                    bool
}

// runIndent is where a line's continuation starts: under its event type.
const runIndent = 12

// wideRunView is the narrowest pane whose lines name the steps as well as
// their types.
const wideRunView = 90

func runColumnsOf(s runs.Summary, w int) runColumns {
	c := runColumns{typ: 5, step: 4, status: 6, names: w >= wideRunView}
	var longest runs.Line
	for _, l := range s.Lines {
		c.typ = max(c.typ, min(24, safeWidth(shortType(s.Kind, l.Type))))
		c.step = max(c.step, min(18, safeWidth(stepText(l, c.names))))
		c.status = max(c.status, min(12, safeWidth(l.Status)))
		longest.Since = max(longest.Since, l.Since)
	}
	c.since = max(4, len(sinceText(longest)))
	return c
}

// runLines writes a column heading and one line per event. Each line
// stands for its event (rw.point), so enter on it selects that event; the
// selected event's line has a mark in the margin.
//
// It allocates little, since it runs again whenever a shown run grows and
// a run of hundreds of events must draw in well under a millisecond
// (BenchmarkRunViewOf200In100k): one column slice serves every line,
// padding is cut from one string of spaces, and each row's builder is
// sized once and filled to the width, so the writer need not pad it.
func runLines(s runs.Summary, selected uint64, rw *rowWriter, kit *renderKit) {
	c := runColumnsOf(s, rw.w)
	rw.rows = slices.Grow(rw.rows, len(s.Lines)+1)
	rw.anchors = slices.Grow(rw.anchors, len(s.Lines)+1)
	rw.write(fmt.Sprintf("%8s   %-*s %-*s %-*s %*s", "at", c.typ, "event", c.step, "step", c.status, "status", c.since, "took"), kit.inks.Label)
	rw.endLine()
	lw := lineWriter{rw: rw, blank: strings.Repeat(" ", rw.w+runIndent)}
	cols := make([]runCol, 0, 10)
	for _, l := range s.Lines {
		rw.point(l.Event.Seq, 0)
		cols = runLine(cols[:0], s.Kind, l, l.Event.Seq == selected, c, kit)
		lw.line(cols)
	}
	rw.point(0, 0)
}

// runCol is one column of a line: safe text, padded to w cells (or as wide
// as it is, when w is 0), after a space unless it is the first.
type runCol struct {
	text  string
	w     int
	ink   ink
	right bool // aligned right
}

func runLine(cols []runCol, kind string, l runs.Line, selected bool, c runColumns, kit *renderKit) []runCol {
	k := kit.inks
	text := k.Text
	if l.Superseded {
		text = k.Dim
	}
	mark := runCol{text: " ", w: 1}
	if selected {
		mark = runCol{text: "›", w: 1, ink: k.Key}
	}
	cols = append(cols,
		mark,
		runCol{text: offsetText(l.Offset), w: 7, ink: k.Time, right: true},
		runCol{text: badge(l.Signature), w: 1, ink: badgeInk(k, l.Signature)},
		runCol{text: sanitize.Text(shortType(kind, l.Type)), w: c.typ, ink: outcomeOrDim(k, l)},
		runCol{text: sanitize.Text(stepText(l, c.names)), w: c.step, ink: text},
		runCol{text: sanitize.Text(l.Status), w: c.status, ink: k.Dim},
		runCol{text: sinceText(l), w: c.since, ink: k.Time, right: true},
	)
	if a := l.AttemptLabel(); a != "" {
		cols = append(cols, runCol{text: a, ink: k.Repeat})
	}
	if kit.forwarding && l.Event.Rejected() == "" {
		cols = append(cols, runCol{text: forwardCell(l.Event), ink: forwardInk(k, l.Forward)})
	}
	if l.Superseded {
		cols = append(cols, runCol{text: "superseded", ink: k.Attention})
	}
	return cols
}

// lineWriter writes the Run view's event lines.
type lineWriter struct {
	rw    *rowWriter
	blank string // spaces, more than a row holds
}

// line writes one line's columns, going on to a row of its own, indented
// under the event type, at the first column that does not fit: a narrow
// pane breaks a line between columns, never inside one.
func (lw lineWriter) line(cols []runCol) {
	rw := lw.rw
	size := rw.w // the row's cells, and the escapes of each column's ink
	for _, col := range cols {
		size += len(col.ink.pre) + len(col.text) + len(col.ink.post)
	}
	rw.cur.Grow(size)
	for i, col := range cols {
		text, tw := col.text, width(col.text)
		if col.w > 0 && tw > col.w {
			text, tw = fit(text, col.w), col.w
		}
		cells := max(col.w, tw)
		if i > 1 && rw.used+1+cells > rw.w && runIndent+cells <= rw.w {
			rw.put(lw.blank[:rw.w-rw.used], ink{})
			rw.flush()
			rw.cur.Grow(size)
			rw.put(lw.blank[:runIndent-2], ink{})
		}
		if i > 1 {
			rw.put(" ", ink{}) // the mark and the offset touch
		}
		pad := lw.blank[:cells-tw]
		if col.right {
			rw.put(pad, ink{})
		}
		rw.write(text, col.ink) // escaped already; the writer makes sure
		if !col.right {
			rw.put(pad, ink{})
		}
	}
	if room := rw.w - rw.used; room > 0 {
		rw.put(lw.blank[:room], ink{})
	}
	rw.endLine()
}

func outcomeOrDim(k inks, l runs.Line) ink {
	if l.Superseded {
		return k.Dim
	}
	return outcomeInk(k, extend.OutcomeOf(l.Type))
}

// safeWidth is the cells a payload's text takes once escaped.
func safeWidth(text string) int { return width(sanitize.Text(text)) }

// shortType drops the run kind's prefix that every event of the run
// repeats: workflow_run.step_run.processed reads step_run.processed in a
// workflow run's view.
func shortType(kind, typ string) string {
	if rest, ok := strings.CutPrefix(typ, kind+"."); ok && kind != "" {
		return rest
	}
	return typ
}

// stepText is a step run's step: its type, and with names its name when
// that says more.
func stepText(l runs.Line, names bool) string {
	switch {
	case l.StepType == "":
		return l.StepName
	case !names || l.StepName == "" || l.StepName == l.StepType:
		return l.StepType
	}
	return l.StepType + " " + l.StepName
}

func sinceText(l runs.Line) string {
	if l.Since <= 0 {
		return ""
	}
	return offsetText(l.Since)
}

// offsetText writes a duration in at most seven cells: "+12.4s", "+3m05s",
// "+2h10m".
//
// It runs for every line of every redraw, so it appends to one small
// buffer rather than formatting: one allocation a call.
func offsetText(d time.Duration) string {
	b := append(make([]byte, 0, 8), '+')
	switch {
	case d < time.Minute:
		b = strconv.AppendFloat(b, d.Seconds(), 'f', 1, 64)
		return string(append(b, 's'))
	case d < time.Hour:
		return string(twoUnits(b, int64(d/time.Minute), 'm', int64(d%time.Minute/time.Second), 's'))
	case d < 100*time.Hour:
		return string(twoUnits(b, int64(d/time.Hour), 'h', int64(d%time.Hour/time.Minute), 'm'))
	}
	return "+days"
}

// twoUnits appends "3m05s": big, its unit, small in two digits, its unit.
func twoUnits(b []byte, big int64, bigUnit byte, small int64, smallUnit byte) []byte {
	b = append(strconv.AppendInt(b, big, 10), bigUnit)
	if small < 10 {
		b = append(b, '0')
	}
	return append(strconv.AppendInt(b, small, 10), smallUnit)
}
