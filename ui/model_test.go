package ui

import (
	"cmp"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// populated returns a screen showing one delivery of each of mixedTypes.
func populated(t *testing.T, w, h int) (*Model, *store.Store, *eventMaker) {
	t.Helper()
	s := store.New(1000, 0)
	g := newEventMaker()
	m := newTestModel(t, s, w, h)
	fill(t, s, g, mixedTypes...)
	pull(m)
	return m, s, g
}

// shownTypes lists the event types on the list's rows, in row order, with
// headings as "# Title".
func shownTypes(m *Model) []string {
	var out []string
	for r := range m.list.rowCount() {
		c, it := m.list.rowAt(r)
		if it == nil {
			out = append(out, "# "+c.Title())
			continue
		}
		out = append(out, it.ev.EventType())
	}
	return out
}

func TestArrivalsAreGroupedByCategory(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	want := []string{
		"# Workflow runs", "workflow_run.step_run.processed", "workflow_run.completed", "workflow_run.needs_review", "workflow_run.failed",
		"# Processor runs", "extract_run.failed", "classify_run.processed", "parse_run.processed", "batch_parse_run.failed",
		"# Global", "workflow.deployed", "extractor.version.published",
	}
	if got := shownTypes(m); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sc := screen(m)
	for _, s := range []string{"Workflow runs 4", "Processor runs 4", "Global 2", "10 received", "10 of 10 shown"} {
		if !strings.Contains(sc, s) {
			t.Errorf("screen lacks %q:\n%s", s, sc)
		}
	}
}

func TestFollowSelectsTheNewestAsItArrives(t *testing.T) {
	m, s, g := populated(t, 160, 48)
	if !m.list.following || m.list.sel.ev.EventType() != "batch_parse_run.failed" {
		t.Fatalf("following=%v selected %s, want the newest", m.list.following, m.list.sel.ev.EventType())
	}
	fill(t, s, g, "workflow.created")
	pull(m)
	if m.list.sel.ev.EventType() != "workflow.created" {
		t.Errorf("selected %s after an arrival, want the new workflow.created", m.list.sel.ev.EventType())
	}
	if !strings.Contains(screen(m), "● following") {
		t.Error("header does not say following")
	}
}

func TestMovingAwayPausesAndCountsNewDeliveries(t *testing.T) {
	m, s, g := populated(t, 160, 12) // the list scrolls: 13 rows in 8
	press(m, "k")
	sel := m.list.sel
	if m.list.following {
		t.Fatal("moving up did not pause following")
	}
	row := m.list.screenRow()
	fill(t, s, g, "extract_run.processed", "workflow_run.completed", "classify_run.failed")
	pull(m)
	if m.list.sel != sel {
		t.Errorf("selection moved to %s while paused", m.list.sel.ev.EventType())
	}
	if m.list.screenRow() != row {
		t.Errorf("the selected row moved on screen from %d to %d", row, m.list.screenRow())
	}
	if m.list.unseen != 3 || !strings.Contains(screen(m), "‖ paused · 3 new") {
		t.Errorf("unseen = %d; header:\n%s", m.list.unseen, strings.SplitN(screen(m), "\n", 2)[0])
	}
	press(m, "F")
	if !m.list.following || m.list.unseen != 0 || m.list.sel.ev.EventType() != "classify_run.failed" {
		t.Errorf("F: following=%v unseen=%d selected %s", m.list.following, m.list.unseen, m.list.sel.ev.EventType())
	}
}

func TestReturningToTheNewestRowResumesFollowing(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	press(m, "k", "k")
	if m.list.following {
		t.Fatal("still following after moving up")
	}
	press(m, "j", "j")
	if !m.list.following {
		t.Error("back on the newest row, but not following")
	}
}

func TestSelectionSkipsHeadings(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	press(m, "g")
	if got := m.list.sel.ev.EventType(); got != "workflow_run.step_run.processed" {
		t.Errorf("top selects %s", got)
	}
	press(m, "j", "j", "j", "j") // past the last workflow run, over the heading
	if got := m.list.sel.ev.EventType(); got != "extract_run.failed" {
		t.Errorf("four rows down selects %s, want the first processor run", got)
	}
	press(m, "k")
	if got := m.list.sel.ev.EventType(); got != "workflow_run.failed" {
		t.Errorf("back up selects %s", got)
	}
}

func TestCategoryKeys(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	cases := []struct {
		key  string
		want int
		head string
	}{{"1", 4, "# Workflow runs"}, {"2", 4, "# Processor runs"}, {"3", 2, "# Global"}, {"0", 10, "# Workflow runs"}}
	for _, c := range cases {
		press(m, c.key)
		rows := shownTypes(m)
		if m.list.shownCount() != c.want || rows[0] != c.head {
			t.Errorf("key %s: %d shown, first row %q; want %d under %q", c.key, m.list.shownCount(), rows[0], c.want, c.head)
		}
	}
}

func TestOrderToggle(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	press(m, "o")
	rows := shownTypes(m)
	if rows[1] != "workflow_run.failed" || rows[4] != "workflow_run.step_run.processed" {
		t.Errorf("newest first: %q", rows[:5])
	}
	if !strings.Contains(screen(m), "newest first") {
		t.Error("header does not say newest first")
	}
	press(m, "o")
	if shownTypes(m)[1] != "workflow_run.step_run.processed" {
		t.Error("second toggle did not restore oldest first")
	}
}

func TestTextFilterIsLiveAndNewArrivalsObeyIt(t *testing.T) {
	m, s, g := populated(t, 160, 48)
	press(m, "/")
	if !m.typing {
		t.Fatal("/ did not open the filter")
	}
	typeText(m, "FAILED")
	for _, it := range m.list.groups {
		for _, x := range it {
			if !strings.Contains(strings.ToLower(string(storetest.Body(x.ev))), "failed") {
				t.Errorf("%s shown for 'FAILED' without the word", x.ev.EventType())
			}
		}
	}
	n := m.list.shownCount()
	if n == 0 || n == 10 {
		t.Fatalf("'FAILED' shows %d of 10", n)
	}
	fill(t, s, g, "workflow.created", "split_run.failed")
	pull(m)
	if m.list.shownCount() != n+1 {
		t.Errorf("after a failed and a created arrival, %d shown, want %d", m.list.shownCount(), n+1)
	}
	press(m, "enter")
	if m.typing || m.list.text.text() != "FAILED" || !strings.Contains(screen(m), `text "FAILED"`) {
		t.Errorf("enter: typing=%v query=%q", m.typing, m.list.text.text())
	}
	press(m, "esc")
	if m.list.shownCount() != 12 || m.list.text.active() {
		t.Errorf("esc: %d shown, filter active %v", m.list.shownCount(), m.list.text.active())
	}
}

func TestTextFilterMatchesIdsAndStatus(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	target := m.list.items[3].ev
	press(m, "/")
	typeText(m, target.Envelope.EventID)
	if m.list.shownCount() != 1 || m.list.sel.ev != target {
		t.Errorf("eventId filter: %d shown", m.list.shownCount())
	}
	// Backspace widens the query again; the result must equal a fresh search.
	for range len(target.Envelope.EventID) - 6 {
		press(m, "backspace")
	}
	fresh := textFilter{}
	fresh.set(m.list.text.text(), m.list.items)
	if len(fresh.cur.hits) != m.list.shownCount() {
		t.Errorf("after backspace %d shown, a fresh search finds %d", m.list.shownCount(), len(fresh.cur.hits))
	}
}

func TestQuickTogglesCombine(t *testing.T) {
	m, s, g := populated(t, 160, 48)
	bad := g.event(t, "workflow_run.failed")
	bad.Verification = extend.Check{Outcome: extend.Invalid, Reason: "Invalid signature"}
	s.Append(bad)
	pull(m)
	press(m, "f")
	for _, it := range m.list.items {
		shown := m.list.rowOf(it) >= 0
		if shown != it.failure {
			t.Errorf("failures only: %s shown=%v", it.ev.EventType(), shown)
		}
	}
	press(m, "u")
	if m.list.shownCount() != 1 || m.list.sel.ev != bad {
		t.Errorf("failures and unverified: %d shown", m.list.shownCount())
	}
	sc := screen(m)
	if !strings.Contains(sc, "failures only · unverified only") || !strings.Contains(sc, "1 of 11 shown") {
		t.Errorf("header does not show the filters:\n%s", sc)
	}
	press(m, "esc")
	if m.list.shownCount() != 11 {
		t.Errorf("esc cleared to %d shown", m.list.shownCount())
	}
}

func TestTypePicker(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	press(m, "t")
	p, ok := m.dialog.(*typePicker)
	if !ok {
		t.Fatal("t did not open the type picker")
	}
	if len(p.entries) < len(extend.Catalogue()) {
		t.Errorf("picker lists %d types, fewer than the catalogue", len(p.entries))
	}
	sc := screen(m)
	if !strings.Contains(sc, "workflow_run.completed") || !strings.Contains(sc, "splitter.version.published") && !strings.Contains(sc, "processor.created") {
		t.Logf("picker screen:\n%s", sc)
	}
	press(m, "space", "space") // workflow_run.completed, then the next: workflow_run.failed
	press(m, "enter")
	if m.dialog != nil {
		t.Fatal("enter did not close the picker")
	}
	got := shownTypes(m)
	if strings.Join(got, ",") != "# Workflow runs,workflow_run.completed,workflow_run.failed" {
		t.Errorf("rows after picking two types: %q", got)
	}
	if !strings.Contains(screen(m), "2 types (workflow_run.completed, workflow_run.failed)") {
		t.Error("header does not name the picked types")
	}
	press(m, "t", "esc")
	if m.list.shownCount() != 2 {
		t.Error("esc in the picker changed the filter")
	}
}

// The type picker says how many types are below the screen, as help does,
// and the count's row never hides the cursor.
func TestTypePickerSaysHowManyAreBelow(t *testing.T) {
	m, _, _ := populated(t, 80, 24)
	press(m, "t")
	p := m.dialog.(*typePicker)
	rows := p.h - 2 // the title, the count
	if want := fmt.Sprintf("↓ %d more", len(p.entries)-rows); !strings.Contains(screen(m), want) {
		t.Fatalf("the picker does not say %q:\n%s", want, screen(m))
	}
	for range len(p.entries) - 1 {
		press(m, "down")
		if !strings.Contains(screen(m), typeLabel(p.entries[p.cursor].name)) {
			t.Fatalf("the cursor's type %s is not on screen", p.entries[p.cursor].name)
		}
	}
	if strings.Contains(screen(m), "more") {
		t.Errorf("at the last type the picker still says more are below:\n%s", screen(m))
	}
	if shown := strings.Join(p.render(), "\n"); strings.Count(shown, "[ ]")+strings.Count(shown, "[x]") != rows+1 {
		t.Errorf("at the last type the picker leaves its count's row blank:\n%s", shown)
	}
}

func TestTypePickerListsUnknownTypesWithCounts(t *testing.T) {
	s := store.New(100, 0)
	g := newEventMaker()
	m := newTestModel(t, s, 160, 48)
	s.Append(g.raw([]byte(`{"eventId":"e1","eventType":"extract_run.cancelled","payload":{}}`)))
	s.Append(g.raw([]byte(`{"eventId":"e2","eventType":"extract_run.cancelled","payload":{}}`)))
	pull(m)
	press(m, "t")
	p := m.dialog.(*typePicker)
	last := p.entries[len(p.entries)-1]
	if last.name != "extract_run.cancelled" || last.count != 2 || last.category != extend.CategoryProcessorRun {
		t.Errorf("last picker entry = %+v", last)
	}
}

func TestResizeReflows(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}, {60, 15}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		settle(m)
		lines := strings.Split(m.View().Content, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := width(stripped(l)); w != size[0] {
				t.Errorf("%dx%d: line %d is %d cells: %q", size[0], size[1], i, w, stripped(l))
				break
			}
		}
		if m.lay.sideBySide != (size[0] >= sideBySideWidth) {
			t.Errorf("%dx%d: side by side = %v", size[0], size[1], m.lay.sideBySide)
		}
	}
}

func TestMouse(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	y := m.lay.list.y + 2 // the second workflow run
	m.Update(tea.MouseClickMsg{X: 5, Y: y, Button: tea.MouseLeft})
	if got := m.list.sel.ev.EventType(); got != "workflow_run.completed" {
		t.Errorf("click selected %s", got)
	}
	m.Update(tea.MouseWheelMsg{X: 5, Y: y, Button: tea.MouseWheelDown})
	if got := m.list.sel.ev.EventType(); got != "workflow_run.needs_review" {
		t.Errorf("wheel down selected %s", got)
	}
	m.Update(tea.MouseClickMsg{X: m.lay.tabs.x + 20, Y: m.lay.tabs.y, Button: tea.MouseLeft})
	if m.pane.view != viewRaw || m.focus != focusPane {
		t.Errorf("click on the tab bar: view %v focus %v", m.pane.view, m.focus)
	}
	settle(m)
	m.Update(tea.MouseWheelMsg{X: m.lay.pane.x + 5, Y: m.lay.pane.y + 5, Button: tea.MouseWheelDown})
	if m.pane.scroll != wheelLines {
		t.Errorf("wheel over the pane scrolled to %d", m.pane.scroll)
	}
}

func TestEvictedBeforeReadIsCountedAndShown(t *testing.T) {
	s := store.New(5, 0)
	g := newEventMaker()
	m := newTestModel(t, s, 160, 48)
	fill(t, s, g, mixedTypes...) // 10 into a store of 5
	pull(m)
	if m.missed != 5 || len(m.list.items) != 5 {
		t.Errorf("missed %d, items %d; want 5 and 5", m.missed, len(m.list.items))
	}
	if sc := screen(m); !strings.Contains(sc, "5 evicted (5 never shown)") {
		t.Errorf("header does not count the missed events:\n%s", sc)
	}
	fill(t, s, g, "workflow.created", "workflow.deleted")
	pull(m)
	if len(m.list.items) != 5 || m.list.items[0].ev.Seq != 8 {
		t.Errorf("after 2 more: %d items from seq %d; want 5 from 8", len(m.list.items), m.list.items[0].ev.Seq)
	}
	if m.missed != 5 {
		t.Errorf("events read then evicted counted as missed: %d", m.missed)
	}
	if got, want := m.Summary(), "12 received, 7 evicted, 5 never shown"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

func TestSummaryIsEmptyWhenNothingWasReceived(t *testing.T) {
	m := newTestModel(t, store.New(5, 0), 160, 48)
	pull(m)
	if got := m.Summary(); got != "" {
		t.Errorf("summary %q of an empty screen", got)
	}
}

func TestViews(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	cases := map[string][]string{
		"p": {`"eventType": "batch_parse_run.failed"`},
		"h": {"POST /webhook", "x-extend-request-signature: "},
		"w": {`{"eventId":` + "", `"batch_parse_run.failed"`},
		"s": {"batch_parse_run.failed", "A batch of parse runs failed.", "Signature    ✓ verified", "API version  2026-02-09"},
	}
	for key, wants := range cases {
		press(m, key)
		sc := screen(m)
		for _, w := range wants {
			if key == "w" && w == `{"eventId":` {
				continue // samples are indented; the raw view keeps that
			}
			if !strings.Contains(sc, w) {
				t.Errorf("view %s lacks %q:\n%s", key, w, sc)
			}
		}
	}
}

func TestStaleDocumentsAreNotShown(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	shown := m.pane.shown
	before := len(m.pane.current().rows)
	stale := docMsg{key: docKey{seq: 1, view: viewPayload, width: 3, theme: "dark"}, chunk: chunk{rows: []string{"stale"}, anchors: []anchor{{}}}}
	m.Update(stale)
	if m.pane.shown != shown || len(m.pane.current().rows) != before || strings.Contains(screen(m), "stale") {
		t.Error("a result for another document changed the pane")
	}
}

func TestRefusedDelivery(t *testing.T) {
	s := store.New(100, 0)
	m := newTestModel(t, s, 160, 48)
	ev := &store.Event{ReceivedAt: testEpoch, Method: "POST", Path: "/", Status: 413}
	ev.Reject("body larger than --max-body (10 MiB)", 20<<20)
	ev.Classify()
	s.Append(ev)
	pull(m)
	sc := screen(m)
	if !strings.Contains(sc, "(refused: body larger") || !strings.Contains(sc, "413") {
		t.Errorf("refused delivery row:\n%s", sc)
	}
	if !strings.Contains(sc, "No body: the receiver refused this delivery") {
		t.Errorf("payload of a refused delivery:\n%s", sc)
	}
}

func TestHelpListsEveryBinding(t *testing.T) {
	m, _, _ := populated(t, 160, 120)
	press(m, "?")
	sc := screen(m)
	d := m.dialog.(*helpDialog)
	var wide strings.Builder // the sections unwrapped, for a dialog's run-on hints
	for _, b := range d.blocks(1000) {
		wide.WriteString(ansi.Strip(strings.Join(b, "\n")))
	}
	for _, b := range m.keys.Bindings() {
		switch {
		case d.sameAsOnTheList(b):
		case screenScope(b.Scope) && !strings.Contains(sc, b.Help().Desc):
			t.Errorf("help lacks %q", b.Help().Desc)
		case !screenScope(b.Scope) && !strings.Contains(wide.String(), compactKeys(b.Help().Key)+" "+cmp.Or(b.Short, b.Help().Desc)):
			t.Errorf("help lacks the %s's %s %q", b.Scope, b.Help().Key, cmp.Or(b.Short, b.Help().Desc))
		}
	}
	if !strings.Contains(sc, "movement keys as on the list") {
		t.Error("help does not say the list's movement keys work in the pane and dialogs")
	}
	press(m, "?")
	if m.dialog != nil {
		t.Error("? did not close help")
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m, _, _ := populated(t, 80, 24)
		_, cmd := m.Update(keyPress(k))
		if cmd == nil || fmt.Sprintf("%T", cmd()) != "tea.QuitMsg" {
			t.Errorf("%s did not quit", k)
		}
	}
	m, _, _ := populated(t, 80, 24)
	press(m, "/")
	_, cmd := m.Update(keyPress("q"))
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Error("q typed into the filter quit")
		}
	}
}

// A search over many events runs in a command; the previous result stays on
// screen meanwhile, and a result for a query no longer wanted is dropped.
func TestLargeSearchRunsInACommand(t *testing.T) {
	const events = 13_000 // more than three first slices
	s := store.New(events, 0)
	g := newEventMaker()
	for i := range events {
		s.Append(g.raw([]byte(fmt.Sprintf(`{"eventId":"e%d","eventType":"workflow.created","payload":{"n":%d}}`, i, i))))
	}
	m := newTestModel(t, s, 120, 40)
	pull(m)
	all := m.list.shownCount()

	stale := m.list.setQuery(`"n":7`)
	if stale == nil || m.list.shownCount() != all || !strings.Contains(screen(m), "filtering…") {
		t.Fatalf("a large search ran in Update (cmd %v, %d shown)", stale != nil, m.list.shownCount())
	}
	wanted := m.list.setQuery(`"n":12`)
	staleMsg := stale()
	if msg, _ := staleMsg.(textSearchMsg); msg.job != nil || msg.hits != nil {
		t.Error("the superseded search was not stopped")
	}
	m.Update(staleMsg)
	if m.list.shownCount() != all || m.list.text.pending == nil {
		t.Error("the result of an abandoned query was installed")
	}
	fill(t, s, g, "workflow.deleted") // arrives during the search: not a match
	s.Append(g.raw([]byte(`{"eventId":"late","eventType":"workflow.created","payload":{"n":12}}`)))
	msg := wanted()
	pull(m)
	_, next := m.Update(msg)
	// The newest slice (12000..12999 among them, firstSearchSlice being
	// between 1,000 and 1,976) is on screen, with the late one; the older
	// events are still to search.
	progress := fmt.Sprintf("filtering… %d%%", 100*firstSearchSlice/events)
	if m.list.shownCount() != 1000+1 || !strings.Contains(screen(m), progress) {
		t.Errorf("after the first slice: %d shown, header %q", m.list.shownCount(), screen(m))
	}
	finishSearch(m, next)
	// "n":12 and "n":120..129, 1200..1299, 12000..12999, and the late one
	if want := 1 + 10 + 100 + 1000 + 1; m.list.shownCount() != want {
		t.Errorf("%d shown, want %d", m.list.shownCount(), want)
	}
	if strings.Contains(screen(m), "filtering…") {
		t.Error("still filtering after the result arrived")
	}
}
