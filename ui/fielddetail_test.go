package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/store"
)

func detailOf(m *Model) *fieldDetail { d, _ := m.dialog.(*fieldDetail); return d }

// pressRunning sends key and hands the model what the command it returns
// answers, as the runtime would.
func pressRunning(t *testing.T, m *Model, key string) tea.Msg {
	t.Helper()
	_, cmd := m.Update(keyPress(key))
	if cmd == nil {
		return nil
	}
	msg := cmd()
	m.Update(msg)
	settle(m)
	return msg
}

// fieldsCursor selects seq, shows its Fields view with the pane focused,
// and puts the cursor on the row of field (counted from 1).
func fieldsCursor(t *testing.T, m *Model, seq uint64, field int32) {
	t.Helper()
	if !m.list.selectSeq(seq) {
		t.Fatalf("#%d is not in the list", seq)
	}
	m.focus = focusList
	press(m, "x", "tab")
	if !m.pane.cursorToFirst(func(a anchor) bool { return a.field == field }) {
		t.Fatalf("#%d's Fields view has no row %d", seq, field)
	}
}

// openFieldDetail opens the detail of field (counted from 1) of seq.
func openFieldDetail(t *testing.T, m *Model, seq uint64, field int32) {
	t.Helper()
	fieldsCursor(t, m, seq, field)
	pressRunning(t, m, "enter")
	if detailOf(m) == nil {
		t.Fatalf("enter on field %d of #%d opened no detail", field, seq)
	}
}

// cursorLine is the plain text of the cursor's row.
func cursorLine(m *Model) string {
	d := m.pane.current()
	return stripped(d.rows[m.pane.cursor])
}

func TestTheCursorStepsOverTheFieldsRows(t *testing.T) {
	held, _ := reviewEvents(t, newEventMaker())
	m := outputModel(t, held)
	press(m, "x", "tab")
	if at, _ := m.pane.at(); at.field != 0 {
		t.Fatalf("the heading's line points at field %d", at.field)
	}
	var seen []int32
	for range 30 {
		press(m, "down")
		if at, _ := m.pane.at(); at.field != 0 {
			seen = append(seen, at.field)
		}
	}
	if len(seen) < 10 || seen[0] != 1 {
		t.Fatalf("the cursor met the fields %v", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] != seen[i-1]+1 && seen[i] != seen[i-1] {
			t.Fatalf("the cursor skipped from field %d to %d: %v", seen[i-1], seen[i], seen)
		}
	}
	if fieldRowOf(t, m, "! total.amount ") < 0 {
		t.Error("no field row of total.amount points at a field")
	}
}

// fieldRowOf is the first row of the document on screen that points at a
// field and holds text; -1 when none does.
func fieldRowOf(t *testing.T, m *Model, text string) int {
	t.Helper()
	d := m.pane.current()
	for r, a := range d.anchors {
		if a.field > 0 && strings.Contains(stripped(d.rows[r]), text) {
			return r
		}
	}
	return -1
}

// A classification's reasoning line belongs to its row: one cursor line.
func TestAClassificationIsOneCursorLine(t *testing.T) {
	m := outputModel(t, newEventMaker().event(t, "classify_run.processed"))
	press(m, "x", "tab")
	var rows []anchor
	for _, a := range m.pane.current().anchors {
		if a.field == 1 {
			rows = append(rows, a)
		}
	}
	if len(rows) != 2 || rows[0].line != rows[1].line {
		t.Fatalf("the classification's rows %v, want two (its type and its reasoning) of one line", rows)
	}
	press(m, "end", "up")
	if at, _ := m.pane.at(); at.field != 1 || m.pane.lineStart(m.pane.cursor) != m.pane.cursor {
		t.Errorf("up from the reasoning left the cursor on row %d (%+v); want the classification's first row, "+
			"the only field: the heading and the table's header are stepped over", m.pane.cursor, at)
	}
}

// In a view whose lines stand for fields, the cursor steps over the lines
// that stand for none (section titles, the table's header, blanks).
func TestTheCursorStepsOverLinesThatAreNoField(t *testing.T) {
	m := outputModel(t, newEventMaker().event(t, "extract_run.processed"))
	press(m, "x", "tab")
	press(m, "down")
	for range 5 {
		if at, _ := m.pane.at(); at.field == 0 {
			t.Fatalf("the cursor stopped on row %d, which is no field", m.pane.cursor)
		}
		press(m, "down")
	}
}

// heldAtField is a screen on the review scenario's held run, showing view
// key with the pane focused and the cursor on the field row that holds
// text.
func heldAtField(t *testing.T, key, text string) (*Model, *store.Event) {
	t.Helper()
	held, _ := reviewEvents(t, newEventMaker())
	m := outputModel(t, held)
	press(m, key, "tab")
	r := fieldRowOf(t, m, text)
	if r < 0 {
		t.Fatalf("no field row holds %q:\n%s", text, screen(m))
	}
	m.pane.setCursor(r)
	return m, held
}

func TestEnterShowsTheFieldsDetailAndEscGoesBack(t *testing.T) {
	m, _ := heldAtField(t, "x", "! total.amount ")
	cursor, scroll := m.pane.cursor, m.pane.scroll
	msg := pressRunning(t, m, "enter")
	if _, ok := msg.(fieldMsg); !ok {
		t.Fatalf("enter answered %T, want the field looked up in a command", msg)
	}
	d := detailOf(m)
	if d == nil {
		t.Fatal("no detail")
	}
	wantScreen(t, m, "#1's total.amount", "value", "confidence", "! below the threshold", "citations (", "page ")
	press(m, "esc")
	if m.dialog != nil {
		t.Fatal("esc did not close the detail")
	}
	if m.pane.cursor != cursor || m.pane.scroll != scroll || m.pane.view != viewFields {
		t.Errorf("back from the detail: cursor %d scroll %d view %v, want %d %d Fields", m.pane.cursor, m.pane.scroll, m.pane.view, cursor, scroll)
	}
	if len(m.list.filt.labels()) != 0 {
		t.Error("esc closing the detail reached the filters")
	}
}

// enter on a line that is no field (the heading) opens nothing.
func TestEnterOffAFieldOpensNothing(t *testing.T) {
	held, _ := reviewEvents(t, newEventMaker())
	m := outputModel(t, held)
	press(m, "x", "tab")
	if msg := pressRunning(t, m, "enter"); msg != nil || m.dialog != nil {
		t.Errorf("enter on the heading gave %v, dialog %v", msg, m.dialog)
	}
}

// A detail that arrives after the user moved on is not opened.
func TestAStaleFieldDetailIsDropped(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	fieldsCursor(t, m, 2, 1)
	_, cmd := m.Update(keyPress("enter"))
	press(m, "tab", "down")
	m.Update(cmd())
	if m.dialog != nil {
		t.Error("the detail opened over another event")
	}
}

func TestCopyValueCopiesTheFieldUnderTheCursor(t *testing.T) {
	m, held := heldAtField(t, "x", "! total.amount ")
	at, _ := m.pane.at()
	row, ok := fieldRow(held, viewFields, int(at.field)-1, m.kit)
	if !ok || row.Path != "total.amount" {
		t.Fatalf("the row under the cursor is %q", row.Path)
	}
	want := fieldValue(row, row.Detail())
	text, ok := copiedValue(t, m)
	if !ok || text != want {
		t.Fatalf("c copied %q, want %q", text, want)
	}
	if f := footer(m); !strings.Contains(f, "copied #1's total.amount to the clipboard") {
		t.Errorf("footer: %s", f)
	}
}

// copiedValue presses c, runs the lookup it starts, and returns what the
// answer hands the clipboard.
func copiedValue(t *testing.T, m *Model) (string, bool) {
	t.Helper()
	_, cmd := m.Update(keyPress("c"))
	if cmd == nil {
		return "", false
	}
	_, clip := m.Update(cmd())
	if clip == nil {
		return "", false
	}
	msg := clip()
	if got := fmt.Sprintf("%T", msg); got != "tea.setClipboardMsg" {
		t.Fatalf("c gave %s, want a clipboard message", got)
	}
	return fmt.Sprint(msg), true
}

func TestCopyValueOffAFieldSaysSo(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	press(m, "p")
	if _, ok := copiedValue(t, m); ok {
		t.Fatal("c copied with the list focused")
	}
	if f := footer(m); !strings.Contains(f, "nothing under the cursor to copy: press tab to focus the pane") {
		t.Errorf("footer with the list focused: %s", f)
	}
	press(m, "tab", "h") // the Headers view has no values to copy
	if _, ok := copiedValue(t, m); ok {
		t.Fatal("c copied in the Headers view")
	}
	if f := footer(m); !strings.Contains(f, "nothing under the cursor to copy") || strings.Contains(f, "press tab") {
		t.Errorf("footer in the Headers view: %s", f)
	}
}

// A value copies with its control bytes spelled out, as y copies a payload.
func TestCopyValueEscapesControlBytes(t *testing.T) {
	g := newEventMaker()
	held, _ := reviewEvents(t, g)
	body := strings.Replace(string(bodyOf(t, held)), `"invoice_number": "`, `"invoice_number": "\u001b[201~rm -rf ~ `, 1)
	if body == string(bodyOf(t, held)) {
		t.Fatal("the sample has no invoice_number")
	}
	m := outputModel(t, g.raw([]byte(body)))
	press(m, "x", "tab")
	r := fieldRowOf(t, m, "invoice_number")
	if r < 0 {
		t.Fatal("no row of invoice_number")
	}
	m.pane.setCursor(r)
	s, ok := copiedValue(t, m)
	if !ok || strings.ContainsRune(s, 0x1b) || !strings.Contains(s, `\x1b[201~rm -rf ~`) {
		t.Errorf("copied %q", s)
	}
	if !strings.Contains(footer(m), "(control bytes escaped)") {
		t.Errorf("footer: %s", footer(m))
	}
}

func TestTheDetailCopiesItsValue(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	openFieldDetail(t, m, 2, 1)
	_, cmd := m.Update(keyPress("c"))
	if cmd == nil || detailOf(m) == nil {
		t.Fatal("c in the detail copied nothing, or closed it")
	}
	if !strings.HasPrefix(m.status.text, "copied #2's ") {
		t.Errorf("status: %s", m.status.text)
	}
}

func TestGoldenFieldsCursorAndDetail(t *testing.T) {
	held, _ := reviewEvents(t, newEventMaker())
	m := outputModel(t, held)
	fieldsCursor(t, m, 1, 6) // total.amount, below the threshold
	if !strings.Contains(cursorLine(m), "! total.amount") {
		t.Fatalf("field 6 is %q", cursorLine(m))
	}
	// In colour: the plain text would not show where the cursor is.
	checkGolden(t, "fields-cursor-120x40.ansi256", m.View().Content)
	pressRunning(t, m, "enter")
	checkGolden(t, "fields-detail-120x40", m.View().Content)
}

// The fields a run held for review lists open and copy as the Fields
// view's do.
func TestTheReviewersFieldsOpenToo(t *testing.T) {
	m, _ := heldAtField(t, "d", "! line_items[2].amount ")
	pressRunning(t, m, "enter")
	if detailOf(m) == nil {
		t.Fatal("enter on a pending field opened nothing")
	}
	wantScreen(t, m, "#1's line_items[2].amount", "! below the threshold")
	press(m, "esc")
	text, ok := copiedValue(t, m)
	if !ok || text != "1046.88" {
		t.Errorf("c copied %q", text)
	}
}

// Over a table written in many chunks, the rows point at every field in
// order, and each index finds its own row again.
func TestEveryChunkPointsAtItsOwnFields(t *testing.T) {
	ev := newEventMaker().raw(bigBody(60 << 10))
	m := outputModel(t, ev)
	press(m, "x")
	d := m.pane.current()
	var fields []int32
	checked := map[int]int32{} // a field's first row, by row
	for r, a := range d.anchors {
		if a.field == 0 || len(fields) > 0 && fields[len(fields)-1] == a.field {
			continue
		}
		fields = append(fields, a.field)
		if int(a.field) != len(fields) {
			t.Fatalf("row %d points at field %d after %d fields", r, a.field, len(fields)-1)
		}
		checked[r] = a.field
	}
	var all []output.Row
	for _, s := range readFields(ev, m.kit).Sections {
		all = append(all, s.Rows...)
	}
	for r, field := range checked {
		shown := strings.TrimSuffix(strings.Fields(stripped(d.rows[r]))[0], "…")
		if path := all[field-1].Path; !strings.HasPrefix(path, shown) {
			t.Fatalf("field %d is %q, its row shows %q", field, path, shown)
		}
	}
	if len(fields) != len(all) || len(all) < 2*firstChunkLines {
		t.Errorf("%d rows point at fields, of %d (more than two chunks: %v)", len(fields), len(all), len(all) >= 2*firstChunkLines)
	}
	if row, ok := fieldRow(ev, viewFields, len(all)-1, m.kit); !ok || row.Path != all[len(all)-1].Path {
		t.Errorf("the last field looks up as %q", row.Path)
	}
}
