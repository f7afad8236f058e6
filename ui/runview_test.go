package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

// scenarioEvents builds the deliveries of a built-in scenario, each body
// stamped at its own time (the scenario's delays), as the player sends it.
func scenarioEvents(t testing.TB, g *eventMaker, name string) []*store.Event {
	t.Helper()
	sc, ok := sample.ScenarioByName(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	var sent [][]byte
	var events []*store.Event
	at := g.at.Truncate(time.Second) // the payloads' times are whole seconds
	for _, st := range sc.Steps {
		at = at.Add(st.Delay)
		body, err := st.Body(sent, sample.Options{Now: at, Rand: g.rand})
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, body)
		ev := g.raw(body)
		ev.ReceivedAt = at // received as it was sent
		events = append(events, ev)
	}
	g.at = at
	return events
}

// runLinesOf is the event lines of the Run view on screen: the pane's rows
// from the column heading on, with the pane's left margin and its rule
// trimmed, a line's continuation row joined to it.
func runLinesOf(t *testing.T, m *Model) []string {
	t.Helper()
	var out []string
	started := false
	for _, line := range strings.Split(screen(m), "\n") {
		_, pane, ok := strings.Cut(line, "│")
		if !ok {
			continue // the header or the footer
		}
		continued := strings.HasPrefix(pane, strings.Repeat(" ", runIndent))
		pane = strings.TrimSpace(pane)
		switch {
		case strings.HasPrefix(pane, "at ") && strings.Contains(pane, "event"):
			started = true
		case started && continued && len(out) > 0:
			out[len(out)-1] += " " + pane
		case started && pane != "":
			out = append(out, pane)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no Run view lines on screen:\n%s", screen(m))
	}
	return out
}

var stepWord = regexp.MustCompile(`PARSE|CLASSIFY|EXTRACT|RULE_VALIDATION|completed|needs_review|failed`)

// stepsOf is the step (or final event) each line names, in order.
func stepsOf(lines []string) string {
	var steps []string
	for _, l := range lines {
		steps = append(steps, stepWord.FindString(l))
	}
	return strings.Join(steps, " ")
}

func TestRunViewOrdersByPayloadTime(t *testing.T) {
	g := newEventMaker()
	events := scenarioEvents(t, g, "run")
	st := store.New(100, 0)
	for _, i := range []int{0, 2, 3, 1, 4} { // the classify step delivered after the extract step
		st.Append(events[i])
	}
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "T")
	if m.pane.view != viewRun {
		t.Fatalf("view %v after T, want Run", m.pane.view)
	}
	lines := runLinesOf(t, m)
	if got, want := stepsOf(lines), "PARSE CLASSIFY EXTRACT RULE_VALIDATION completed"; got != want {
		t.Errorf("steps %q, want the payload's order %q:\n%s", got, want, strings.Join(lines, "\n"))
	}
	// Offsets count from the run's startTime, 38.8 s before its first step
	// ended; the scenario's steps are then 6 s apart.
	if !strings.HasPrefix(lines[0], "+38.8s") || !strings.HasPrefix(lines[2], "+44.8s") {
		t.Errorf("offsets: first line %q, third %q; want +38.8s and +44.8s (the scenario's timings)", lines[0], lines[2])
	}
	head := screen(m)
	for _, want := range []string{"Workflow run workflow_run_", "PROCESSED, finished", "5 stored, 4 of them step runs"} {
		if !strings.Contains(head, want) {
			t.Errorf("heading lacks %q:\n%s", want, head)
		}
	}
}

func TestRunViewMarksSupersededSteps(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	for _, ev := range scenarioEvents(t, g, "reclassify") {
		st.Append(ev)
	}
	m := newTestModel(t, st, 160, 48)
	pull(m)
	press(m, "T")
	lines := runLinesOf(t, m)
	if got, want := stepsOf(lines), "PARSE CLASSIFY EXTRACT needs_review CLASSIFY EXTRACT completed"; got != want {
		t.Fatalf("steps %q, want %q", got, want)
	}
	for i, l := range lines {
		if got, want := strings.HasSuffix(l, "superseded"), i == 1 || i == 2; got != want {
			t.Errorf("line %d %q: superseded %v, want %v", i, l, got, want)
		}
	}
}

func TestRunViewShowsRetries(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	for _, ev := range scenarioEvents(t, g, "retry") {
		st.Append(ev)
	}
	m := newTestModel(t, st, 160, 48)
	pull(m)
	press(m, "T")
	lines := runLinesOf(t, m)
	if got := stepsOf(lines); got != "PARSE EXTRACT EXTRACT completed" {
		t.Fatalf("steps %q", got)
	}
	if !strings.Contains(lines[1], " 1/2") || !strings.Contains(lines[2], " 2/2") {
		t.Errorf("the extract step's deliveries do not say 1/2 and 2/2:\n%s", strings.Join(lines, "\n"))
	}
}

func TestRunViewSaysFirstEventsWereEvicted(t *testing.T) {
	g := newEventMaker()
	st := store.New(3, 0)
	for _, ev := range scenarioEvents(t, g, "run") {
		st.Append(ev)
	}
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "T")
	if s := screen(m); !strings.Contains(s, "first 2 events evicted") {
		t.Errorf("the heading does not say the first 2 events were evicted:\n%s", s)
	}
	if got := stepsOf(runLinesOf(t, m)); got != "EXTRACT RULE_VALIDATION completed" {
		t.Errorf("steps %q, want the 3 stored", got)
	}
}

func TestRunViewOfAnEventWithoutRun(t *testing.T) {
	g := newEventMaker()
	st := store.New(10, 0)
	st.Append(g.raw([]byte("not json at all")))
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "T")
	if s := screen(m); !strings.Contains(s, "No run: the body is not JSON") {
		t.Errorf("no line says why there is no run:\n%s", s)
	}
	press(m, "i")
	if s := screen(m); !strings.Contains(s, "No run: the body is not JSON") || m.list.filt.run != "" {
		t.Errorf("i on an event without a run: filter %q, screen:\n%s", m.list.filt.run, s)
	}
}

func TestRunViewCursorStartsOnTheSelectedEventAndEnterSelects(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	events := scenarioEvents(t, g, "run")
	for _, ev := range events[:4] {
		st.Append(ev)
	}
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "k", "T") // the EXTRACT step run, seq 3
	if at, _ := m.pane.at(); at.seq != 3 || m.list.sel.ev.Seq != 3 {
		t.Fatalf("cursor on seq %d with seq %d selected, want both 3", at.seq, m.list.sel.ev.Seq)
	}
	press(m, "tab", "up", "up", "enter")
	if m.list.sel.ev.Seq != 1 || m.pane.view != viewRun {
		t.Fatalf("enter on the first line: selected #%d in view %v, want #1 in Run", m.list.sel.ev.Seq, m.pane.view)
	}
	if at, _ := m.pane.at(); at.seq != 1 {
		t.Errorf("after enter the cursor is on seq %d, want the newly selected 1", at.seq)
	}
	press(m, "down", "down") // the user moves: the redraw for the run's next event keeps the cursor there
	if at, _ := m.pane.at(); at.seq != 3 {
		t.Fatalf("down, down: the cursor is on seq %d, want 3", at.seq)
	}
	st.Append(events[4])
	pull(m)
	if got := stepsOf(runLinesOf(t, m)); got != "PARSE CLASSIFY EXTRACT RULE_VALIDATION completed" {
		t.Errorf("the view was not drawn again for the completion: %q", got)
	}
	if at, _ := m.pane.at(); at.seq != 3 {
		t.Errorf("after the arrival the cursor is on seq %d, want 3 where the user left it", at.seq)
	}
}

func TestRunViewGrowsWithItsRun(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	events := scenarioEvents(t, g, "run")
	for _, ev := range events[:2] {
		st.Append(ev)
	}
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "k", "T") // stop following: stay on the first step run
	if got := stepsOf(runLinesOf(t, m)); got != "PARSE CLASSIFY" {
		t.Fatalf("steps %q", got)
	}
	for _, ev := range events[2:] {
		st.Append(ev)
	}
	pull(m)
	if got := stepsOf(runLinesOf(t, m)); got != "PARSE CLASSIFY EXTRACT RULE_VALIDATION completed" {
		t.Errorf("after the run's other events arrived: steps %q", got)
	}
}

func TestRunFilterAndEsc(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	fill(t, st, g, "extract_run.failed", "workflow.deployed")
	run := scenarioEvents(t, g, "run")
	for _, ev := range run {
		st.Append(ev)
	}
	fill(t, st, g, "classify_run.processed")
	m := newTestModel(t, st, 120, 40)
	pull(m)
	m.list.selectSeq(run[4].Seq) // the run's completion
	press(m, "i")
	id := run[0].RunID()
	if m.list.shownCount() != 5 || m.list.filt.run != id {
		t.Fatalf("i: %d shown, filter %q; want the run's 5 events of %s", m.list.shownCount(), m.list.filt.run, id)
	}
	if s := screen(m); !strings.Contains(s, "run "+id) {
		t.Errorf("the header does not say run %s:\n%s", id, s)
	}
	st.Append(g.event(t, "workflow.deployed"))
	pull(m)
	if m.list.shownCount() != 5 {
		t.Errorf("an arrival of another run is shown: %d", m.list.shownCount())
	}
	press(m, "esc")
	if m.list.shownCount() != 9 || m.list.filt.run != "" {
		t.Errorf("esc: %d shown, filter %q; want all 9", m.list.shownCount(), m.list.filt.run)
	}
}

// A processor run delivered before the step run that contains it joins the
// workflow run when the step run arrives: its row's run follows, and so
// does a run filter set on it.
func TestRunFilterFollowsAJoin(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	child := g.raw([]byte(`{"eventId":"e1","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_1","status":"PROCESSED","updatedAt":"2026-07-08T14:03:05Z"}}`))
	st.Append(child)
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "i")
	if m.list.filt.run != "exr_1" {
		t.Fatalf("filter %q, want exr_1", m.list.filt.run)
	}
	st.Append(g.raw([]byte(`{"eventId":"e2","eventType":"workflow_run.step_run.processed","payload":{"object":"workflow_step_run","id":"wsr_1",
		"workflowRunId":"workflow_run_A","status":"PROCESSED","step":{"object":"workflow_step","name":"Extract","type":"EXTRACT"},
		"result":{"extractRun":{"object":"extract_run","id":"exr_1","status":"PROCESSED","updatedAt":"2026-07-08T14:03:05Z"}}}}`)))
	pull(m)
	if m.list.filt.run != "workflow_run_A" || m.list.shownCount() != 2 {
		t.Errorf("after the join: filter %q with %d shown, want workflow_run_A with 2", m.list.filt.run, m.list.shownCount())
	}
	if it := m.list.find(1); it.run == nil || it.run.id != "workflow_run_A" || it.run != m.list.find(2).run {
		t.Errorf("the processor run's row is not tagged with the workflow run")
	}
}

func TestRowsOfOneRunShareTheirClockInk(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	for _, ev := range scenarioEvents(t, g, "run") {
		st.Append(ev)
	}
	other := g.raw([]byte("not json"))
	st.Append(other)
	m := newTestModel(t, st, 120, 40)
	pull(m)
	inkOfRow := func(seq uint64) ink { return runInk(m.inks, m.list.find(seq)) }
	for seq := uint64(2); seq <= 5; seq++ {
		if inkOfRow(seq) != inkOfRow(1) {
			t.Errorf("row #%d of the run has another marker than #1", seq)
		}
	}
	if inkOfRow(6) != m.inks.Time {
		t.Errorf("a row without a run is marked")
	}
	if got := len(m.list.runs); got != 1 {
		t.Errorf("%d runs tagged, want 1", got)
	}
}

func TestRunTagsForgetEvictedEvents(t *testing.T) {
	g := newEventMaker()
	st := store.New(2, 0)
	m := newTestModel(t, st, 120, 40)
	for _, ev := range scenarioEvents(t, g, "run") {
		st.Append(ev)
		pull(m)
	}
	fill(t, st, g, "workflow.deployed", "workflow.deployed")
	pull(m)
	if len(m.list.runs) != 2 {
		t.Errorf("%d runs tagged, want the two deployed workflows' only", len(m.list.runs))
	}
	for id, tag := range m.list.runs {
		if tag.items != 1 {
			t.Errorf("run %s tags %d items, want 1", id, tag.items)
		}
	}
}

func TestGoldenRunView(t *testing.T) {
	g := newEventMaker()
	st := store.New(100, 0)
	fill(t, st, g, "extract_run.failed")
	for _, ev := range scenarioEvents(t, g, "reclassify") {
		st.Append(ev)
	}
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "k", "k", "T")
	checkGolden(t, "run-120x40", m.View().Content)
}

// Opening the Run view of a run of 200 events with 100,000 stored: the
// document's command (the store read, the summary, the rows) must stay
// under a millisecond. The run's 199 step runs (of as many steps) arrive
// newest first, so the summary's sort has work.
func BenchmarkRunViewOf200In100k(b *testing.B) {
	g := newEventMaker()
	st := store.New(100_000, 1<<40)
	base := time.Date(2026, 7, 8, 14, 0, 0, 0, time.UTC)
	for i := range 100_000 - 200 {
		st.Append(g.raw(fmt.Appendf(nil, `{"eventId":"x%d","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_%d","status":"PROCESSED","updatedAt":%q}}`,
			i, i, base.Add(time.Duration(i)*time.Second).Format(time.RFC3339))))
	}
	var last *store.Event
	for i := range 199 {
		last = g.raw(fmt.Appendf(nil, `{"eventId":"s%d","eventType":"workflow_run.step_run.processed","payload":{"object":"workflow_step_run","id":"wsr_%d",
			"workflowRunId":"workflow_run_BIG","status":"PROCESSED","step":{"object":"workflow_step","name":"Extract %d","type":"EXTRACT"},
			"result":{"extractRun":{"object":"extract_run","id":"exr_big%d","status":"PROCESSED","updatedAt":%q}}}}`,
			i, i, i, i, base.Add(time.Duration(200-i)*time.Second).Format(time.RFC3339)))
		st.Append(last)
	}
	st.Append(g.raw([]byte(`{"eventId":"f","eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_BIG","status":"PROCESSED"}}`)))
	m := newTestModel(b, st, 120, 40)
	b.ReportAllocs()
	for b.Loop() {
		p := newProducer(last, viewRun, m.pane.width, m.kit)
		if c, _ := p.produce(true); len(c.rows) < 200 {
			b.Fatalf("%d rows", len(c.rows))
		}
	}
}

// Every text of the Run view that a payload wrote reaches the screen
// escaped: the run's name and id, a step's type and name, a status.
func TestRunViewEscapesPayloadText(t *testing.T) {
	g := newEventMaker()
	st := store.New(10, 0)
	st.Append(g.raw([]byte(`{"eventId":"e1","eventType":"workflow_run.step_run.processed","payload":{"object":"workflow_step_run","id":"wsr_1",
		"workflowRunId":"workflow_run_\u001b[2J","status":"PROC\u001b]2;pwned\u0007","step":{"object":"workflow_step","name":"x","type":"EX\u009b31mTRACT"}}}`)))
	st.Append(g.raw([]byte(`{"eventId":"e2","eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_\u001b[2J","status":"PROCESSED",
		"workflow":{"object":"workflow","id":"w","name":"AP \u202eevil"}}}`)))
	m := newTestModel(t, st, 160, 48)
	pull(m)
	press(m, "T")
	frame := m.View().Content
	for _, raw := range []string{"\x1b[2J", "\x1b]2;pwned", "\u009b31m", "\u202e"} {
		if strings.Contains(frame, raw) {
			t.Errorf("the frame holds %q unescaped", raw)
		}
	}
	s := screen(m)
	for _, shown := range []string{`workflow_run_\x1b[2J`, `PROC\x1b]2;…`, `EX\u009b31mTRACT`, `AP \u202eevil`} {
		if !strings.Contains(s, shown) {
			t.Errorf("the screen lacks %q:\n%s", shown, s)
		}
	}
}

// With the Run view the tab bar holds eight titles: it fits the pane of
// every screen from 60 columns, and every title stays distinct.
func TestTabBarFitsFromSixtyColumns(t *testing.T) {
	for w := 60; w <= 240; w++ {
		bar := computeLayout(w, 40, false).tabs.w
		used, seen := 0, map[string]bool{}
		for v := range numViews {
			name := tabName(v, bar)
			used += width(name)
			seen[strings.TrimSpace(name)] = true
		}
		if used > bar || len(seen) != int(numViews) {
			t.Errorf("screen %d wide: tabs take %d of %d cells, %d distinct titles", w, used, bar, len(seen))
		}
	}
}

func TestOffsetText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "+0.0s", 12400 * time.Millisecond: "+12.4s", 185 * time.Second: "+3m05s",
		2*time.Hour + 10*time.Minute: "+2h10m", 200 * time.Hour: "+days",
	} {
		if got := offsetText(d); got != want {
			t.Errorf("offsetText(%v) = %q, want %q", d, got, want)
		}
	}
}

// A resource's lifecycle is no run: its heading names it, without a status
// it does not have or a duration "so far" that never ends.
func TestRunViewOfAResourceLifecycle(t *testing.T) {
	g := newEventMaker()
	st := store.New(10, 0)
	st.Append(g.event(t, "workflow.deployed"))
	m := newTestModel(t, st, 120, 40)
	pull(m)
	press(m, "T")
	sc := screen(m)
	for _, bad := range []string{"Processor  ", "so far", "(not stated)", "step runs"} {
		if strings.Contains(sc, bad) {
			t.Errorf("the lifecycle heading says %q:\n%s", bad, sc)
		}
	}
	if !strings.Contains(sc, "Name ") || !strings.Contains(sc, "1 stored") {
		t.Errorf("the lifecycle heading lacks its name or events:\n%s", sc)
	}
}
