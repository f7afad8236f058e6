package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/wrap"
)

// invoiceBody is an extract run's output with four line items.
const invoiceBody = `{"eventId":"event_inv","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_Inv1",` +
	`"output":{"value":{"invoice_number":"INV-0042","line_items":[{"description":"Hex bolt","amount":1.5},{"description":"Nut","amount":0.25},` +
	`{"description":"Washer","amount":0.1},{"description":"Bracket","amount":12.75}]},"metadata":{"invoice_number":{"ocrConfidence":0.99}}},` +
	`"dashboardUrl":"https://dashboard.extend.ai/runs/exr_Inv1"}}`

// readingModel is a screen showing the Payload view of each body (the
// last one selected), with the pane focused.
func readingModel(t *testing.T, w, h int, bodies ...string) (*Model, *store.Store) {
	t.Helper()
	s := store.New(100, 0)
	g := newEventMaker()
	m := newTestModel(t, s, w, h)
	for _, b := range bodies {
		s.Append(g.raw([]byte(b)))
	}
	pull(m)
	press(m, "tab")
	if m.pane.jsonDoc() == nil {
		t.Fatal("the Payload view of a JSON body has no JSON document")
	}
	return m, s
}

// cursorTo puts the cursor on the first printed line containing text.
func cursorTo(t *testing.T, m *Model, text string) {
	t.Helper()
	j := m.pane.jsonDoc()
	if !m.pane.cursorToFirst(func(a anchor) bool { return strings.Contains(j.lines[a.line].text, text) }) {
		t.Fatalf("no line shows %q", text)
	}
}

// cursorText is the printed line the cursor is on.
func cursorText(m *Model) string {
	line, _ := m.pane.cursorLine()
	return m.pane.jsonDoc().lines[line].text
}

func TestTheFooterShowsTheCursorsJSONPath(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	cursorTo(t, m, `"amount": 12.75`)
	if f := footer(m); !strings.Contains(f, "payload.output.value.line_items[3].amount") {
		t.Errorf("footer: %s", f)
	}
	press(m, "g")
	if f := footer(m); !strings.HasPrefix(strings.TrimSpace(f), ". ") {
		t.Errorf("on the top line the footer says %s, want the path .", f)
	}
	press(m, "tab")
	if f := footer(m); strings.Contains(f, "payload.") {
		t.Errorf("with the list focused the footer still shows a path: %s", f)
	}
}

func TestFoldAndUnfoldAtTheCursor(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	rows := m.pane.total()
	cursorTo(t, m, `"line_items": [`)
	press(m, "z")
	if sc := screen(m); !strings.Contains(sc, `"line_items": […] 4 items`) || strings.Contains(sc, "Bracket") {
		t.Fatalf("line_items not folded:\n%s", sc)
	}
	if got := m.pane.total(); got != rows-17 {
		t.Errorf("folded: %d rows, want %d", got, rows-17)
	}
	if !strings.Contains(cursorText(m), `"line_items"`) {
		t.Errorf("the cursor left the folded line for %q", cursorText(m))
	}
	press(m, "z")
	if got := m.pane.total(); got != rows || !strings.Contains(screen(m), "Bracket") {
		t.Errorf("unfolded: %d rows, want %d", got, rows)
	}
	// On a member, z folds the object it is in, and the cursor goes to its
	// first line.
	cursorTo(t, m, `"description": "Nut"`)
	press(m, "z")
	if sc := screen(m); !strings.Contains(sc, "{…} 2 keys,") || strings.Contains(sc, `"Nut"`) {
		t.Errorf("the member's object is not folded:\n%s", sc)
	}
	if f := footer(m); !strings.Contains(f, "payload.output.value.line_items[1] ") {
		t.Errorf("footer after folding: %s", f)
	}
}

func TestFoldAllFoldsBelowTheTopTwoLevelsAndAgainUnfolds(t *testing.T) {
	m, s := readingModel(t, 120, 40, invoiceBody)
	rows := m.pane.total()
	press(m, "Z")
	sc := screen(m)
	for _, want := range []string{`"output": {…} 2 keys,`, `"id": "exr_Inv1",`, `"dashboardUrl"`} {
		if !strings.Contains(sc, want) {
			t.Errorf("after Z the pane lacks %s:\n%s", want, sc)
		}
	}
	if strings.Contains(sc, "line_items") {
		t.Errorf("after Z the line items still show:\n%s", sc)
	}
	// Folds are kept per event.
	s.Append(newEventMaker().raw([]byte(`{"eventType":"workflow.deployed","payload":{"id":"wf_1"}}`)))
	pull(m)
	press(m, "tab", "j", "k", "tab")
	if !strings.Contains(screen(m), `"output": {…} 2 keys,`) {
		t.Errorf("the folds were lost on coming back:\n%s", screen(m))
	}
	press(m, "Z")
	if got := m.pane.total(); got != rows {
		t.Errorf("after Z again: %d rows, want all %d", got, rows)
	}
}

func TestMatchNextAndPrevWithinAndAcrossEvents(t *testing.T) {
	other := strings.Replace(invoiceBody, "INV-0042", "INV-0043", 1)
	m, _ := readingModel(t, 120, 40, invoiceBody, other)
	press(m, "tab", "k", "/")
	typeText(m, "invoice_number")
	press(m, "enter")
	first := m.list.sel
	press(m, "n")
	if m.focus != focusPane || !strings.Contains(cursorText(m), `"invoice_number": "INV-0042"`) {
		t.Fatalf("n: focus %v, cursor on %q", m.focus, cursorText(m))
	}
	if f := footer(m); !strings.Contains(f, "match 1 of 2") {
		t.Errorf("footer: %s", f)
	}
	if !strings.Contains(m.View().Content, m.inks.Match.pre+"invoice_number") {
		t.Error("the match is not drawn in the match ink")
	}
	press(m, "n")
	if f := footer(m); !strings.Contains(f, "match 2 of 2") || !strings.Contains(f, "payload.output.metadata.invoice_number") {
		t.Errorf("second n: footer %s", f)
	}
	press(m, "n")
	if m.list.sel == first || !strings.Contains(cursorText(m), "INV-0043") {
		t.Fatalf("n past the last match: selected #%d, cursor on %q", m.list.sel.ev.Seq, cursorText(m))
	}
	if f := footer(m); !strings.Contains(f, "match 1 of 2") {
		t.Errorf("footer in the next event: %s", f)
	}
	press(m, "N")
	if m.list.sel != first || !strings.Contains(footer(m), "match 2 of 2") {
		t.Errorf("N before the first match: selected #%d, footer %s", m.list.sel.ev.Seq, footer(m))
	}
	press(m, "N")
	if !strings.Contains(footer(m), "match 1 of 2") {
		t.Errorf("N: footer %s", footer(m))
	}
}

func TestMatchNextUnfoldsWhatHidesTheMatch(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	press(m, "Z", "/")
	typeText(m, "bracket")
	press(m, "enter", "n")
	if !strings.Contains(cursorText(m), "Bracket") || !strings.Contains(screen(m), `"Bracket"`) {
		t.Errorf("n did not unfold its match: cursor on %q\n%s", cursorText(m), screen(m))
	}
}

func TestCopyValueAndPath(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	cursorTo(t, m, `"description": "Bracket"`)
	press(m, "up")
	if text, ok := clipboardOf(t, m, "c"); !ok || text != "{\n  \"description\": \"Bracket\",\n  \"amount\": 12.75\n}" {
		t.Errorf("c on an opening line copied %q", text)
	}
	if text, _ := clipboardOf(t, m, "P"); text != "payload.output.value.line_items[3]" {
		t.Errorf("P copied %q", text)
	}
	cursorTo(t, m, `"dashboardUrl"`)
	if text, _ := clipboardOf(t, m, "c"); text != "https://dashboard.extend.ai/runs/exr_Inv1" {
		t.Errorf("c on a string copied %q", text)
	}
	if f := footer(m); !strings.Contains(f, "copied the value of payload.dashboardUrl") {
		t.Errorf("footer: %s", f)
	}
	cursorTo(t, m, `"amount": 0.25`)
	if text, _ := clipboardOf(t, m, "c"); text != "0.25" {
		t.Errorf("c on a number copied %q", text)
	}
}

func TestCopyValueAbove64KBSaysToExport(t *testing.T) {
	big := `{"eventType":"workflow_run.completed","payload":{"items":["` + strings.Repeat("a", 70<<10) + `"]}}`
	m, _ := readingModel(t, 120, 40, big)
	cursorTo(t, m, `"items": [`)
	if text, ok := clipboardOf(t, m, "c"); ok {
		t.Errorf("copied %d bytes", len(text))
	}
	if f := footer(m); !strings.Contains(f, "more than the clipboard takes (64 KB): press e to export") {
		t.Errorf("footer %s", f)
	}
}

func TestWrapTogglesAndScrollsSideways(t *testing.T) {
	long := `{"eventType":"workflow_run.completed","payload":{"note":"` + strings.Repeat("lorem ipsum ", 40) + `end","url":"https://x.test/a"}}`
	m, _ := readingModel(t, 120, 40, long)
	wrapped := m.pane.total()
	lines := len(m.pane.jsonDoc().lines)
	if wrapped <= lines {
		t.Fatalf("the long line is not wrapped: %d rows for %d lines", wrapped, lines)
	}
	cursorTo(t, m, `"url"`)
	press(m, "W")
	if got := m.pane.total(); got != lines {
		t.Errorf("without wrapping: %d rows, want %d", got, lines)
	}
	if !strings.Contains(cursorText(m), `"url"`) {
		t.Errorf("W moved the cursor to %q", cursorText(m))
	}
	if strings.Contains(screen(m), "end\"") {
		t.Error("the end of the long line shows without scrolling")
	}
	for range 100 {
		press(m, ">")
	}
	if m.pane.hscroll == 0 || !strings.Contains(screen(m), "end\"") {
		t.Errorf("> did not scroll to the end of the long line (hscroll %d)", m.pane.hscroll)
	}
	press(m, "<")
	press(m, "W")
	if got := m.pane.total(); got != wrapped || m.pane.hscroll != 0 {
		t.Errorf("wrapping again: %d rows (want %d), hscroll %d", got, wrapped, m.pane.hscroll)
	}
}

// W in a view that always wraps says so and changes nothing: the Payload
// view still wraps when the user comes back to it.
func TestWrapElsewhereLeavesThePayloadWrapped(t *testing.T) {
	long := `{"eventType":"workflow_run.completed","payload":{"note":"` + strings.Repeat("lorem ipsum ", 40) + `end"}}`
	m, _ := readingModel(t, 120, 40, long)
	wrapped := m.pane.total()
	press(m, "s", "W")
	if f := footer(m); !strings.Contains(f, "the others always wrap") {
		t.Errorf("footer %s", f)
	}
	press(m, "p")
	pull(m)
	if m.pane.noWrap || m.pane.total() != wrapped {
		t.Errorf("after W in the Summary the Payload view has %d rows (noWrap %v), want %d", m.pane.total(), m.pane.noWrap, wrapped)
	}
}

func TestGoldenReadingScreens(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	cursorTo(t, m, `"line_items": [`)
	press(m, "z")
	checkGolden(t, "payload-folded-120x40", m.View().Content)

	long := `{"eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_Rw3KmMwhNpQy9lbRNHdl",` +
		`"note":"The reviewer checked the remit-to block against the vendor master and found the bank account changed on 2026-06-30, so the run waits for a second approval before payment.",` +
		`"signedUrl":"https://extend-prod-outputs.s3.amazonaws.com/workflow_run_Rw3KmMwhNpQy9lbRNHdl/output.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=3f1c9a0b7d2e4f6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a"}}`
	m, _ = readingModel(t, 120, 40, long)
	checkGolden(t, "payload-wrapped-120x40", m.View().Content)
}

func TestAFoldBeforeItsContainerIsPrintedHidesTheRestUntilItIs(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	d := m.pane.current()
	all := d.text.lines
	// The document as it is while still rendering: up to a line inside
	// line_items.
	cut := 0
	for i, l := range all {
		if strings.Contains(l.text, `"Nut"`) {
			cut = i
		}
	}
	partial := newLineDoc(true)
	partial.add(all[:cut])
	d.text, d.found = partial, matchList{}
	m.Update(nil)
	cursorTo(t, m, `"line_items": [`)
	press(m, "z")
	if sc := screen(m); strings.Contains(sc, "Hex bolt") || !strings.Contains(sc, `"line_items": […]`) {
		t.Fatalf("folded while rendering:\n%s", sc)
	}
	rows := m.pane.total()
	partial.add(all[cut:])
	m.Update(nil)
	if got := m.pane.total(); got <= rows || !strings.Contains(screen(m), `"line_items": […] 4 items`) || !strings.Contains(screen(m), `"metadata"`) {
		t.Errorf("once printed, the fold is not the container's: %d rows\n%s", got, screen(m))
	}
}

func TestMatchesAreMarkedInTheOtherViews(t *testing.T) {
	m, _ := readingModel(t, 120, 40, invoiceBody)
	press(m, "tab", "/")
	typeText(m, "exr_Inv1")
	press(m, "enter", "s")
	if !strings.Contains(m.View().Content, m.inks.Match.pre+"exr_Inv1") {
		t.Errorf("the Summary view does not mark the match:\n%s", screen(m))
	}
	press(m, "n")
	if i, n, ok := m.pane.matchCount(); !ok || i != 1 || n < 1 {
		t.Errorf("n in the Summary view: match %d of %d (%v)", i, n, ok)
	}
}

func TestTheSummaryWrapsAURLWhole(t *testing.T) {
	url := "https://files.example.test/9lbRNHdl.pdf"
	body := `{"eventType":"workflow_run.failed","payload":{"object":"workflow_run","id":"workflow_run_9lbRNHdl","status":"FAILED",` +
		`"failureReason":"FILE_FETCH","failureMessage":"The file could not be fetched from ` + url + ` (403 Forbidden)"}}`
	m, _ := readingModel(t, 130, 40, body)
	press(m, "s")
	sc := screen(m)
	if !strings.Contains(sc, url) || !strings.Contains(sc, "The file could not be fetched from") {
		t.Errorf("the URL in the failure message is split:\n%s", sc)
	}
}

// On a payload of more lines than Update searches, the first n leaves the
// search to a command and the cursor goes to the match when it is done.
func TestFirstNOnALargePayloadSearchesInACommand(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"eventType":"extract_run.processed","payload":{"items":[`)
	for i := range 3 * matchSyncLines {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"n":%d}`, i)
	}
	b.WriteString(`],"needle":"invoice_number"}}`)
	s := store.New(10, 0)
	m := newTestModel(t, s, 120, 40)
	s.Append(newEventMaker().raw([]byte(b.String())))
	pull(m)
	press(m, "/")
	typeText(m, "invoice_number")
	press(m, "enter")
	if d := m.pane.current(); d == nil || d.more != nil || d.lineCount() <= matchSyncLines {
		t.Fatal("the payload is not rendered whole, or too small for the test")
	}
	_, cmd := m.Update(keyPress("n"))
	if m.pane.current().found.lines != 0 || cmd == nil {
		t.Fatalf("n searched %d lines in Update (command %v); want none, and a command", m.pane.current().found.lines, cmd != nil)
	}
	run(m, cmd)
	if !m.pane.onMatch || !strings.Contains(screen(m), `"needle": "invoice_number"`) || !strings.Contains(footer(m), "match 1 of 1") {
		t.Errorf("after the search the cursor is not on the match:\n%s", screen(m))
	}
}

// longNoteBody is a delivery whose note is one string of 40,000 numbered
// words, some 280 KB: thousands of rows at any width.
func longNoteBody() (body, note string) {
	words := make([]string, 40_000)
	for i := range words {
		words[i] = fmt.Sprintf("w%05d", i)
	}
	note = strings.Join(words, " ")
	return `{"eventId":"event_long","eventType":"workflow_run.completed","payload":{"id":"wr_1","note":"` + note + `","status":"COMPLETED"}}`, note
}

// wantRows is what the rows of line i must show, worked out from the whole
// line at once: the pane breaks a long line a few screens at a time.
func wantRows(m *Model, i int) []string {
	l := m.pane.jsonDoc().lines[i]
	hang := int(l.wrap.hang)
	var rows []string
	start := 0
	for _, b := range wrap.Breaks(l.text, m.pane.width, hang) {
		rows = append(rows, l.text[start:b])
		start = b
	}
	rows = append(rows, l.text[start:])
	for r := 1; r < len(rows); r++ {
		rows[r] = strings.Repeat(" ", hang) + rows[r]
	}
	return rows
}

// checkShownRows checks that each row on screen from the line at row first
// of the layout is its row of want.
func checkShownRows(t *testing.T, m *Model, first int, want []string) {
	t.Helper()
	p := &m.pane
	shown := p.lines(m.inks, false)
	checked := 0
	for i, row := range shown {
		sub := p.scroll + i - first
		if sub < 0 || sub >= len(want) {
			continue
		}
		if got := strings.TrimRight(stripped(row), " "); got != strings.TrimRight(want[sub], " ") {
			t.Fatalf("row %d of the long line (screen row %d) shows\n%q\nwant\n%q", sub, i, got, want[sub])
		}
		checked++
	}
	if checked == 0 {
		t.Fatalf("no row of the long line on screen (scroll %d, its first row %d)", p.scroll, first)
	}
}

func TestPagingIntoALongLineShowsItsRowsThere(t *testing.T) {
	body, _ := longNoteBody()
	m, _ := readingModel(t, 120, 40, body)
	cursorTo(t, m, `"note": "w00000`)
	line, _ := m.pane.cursorLine()
	first := m.pane.cursor
	want := wantRows(m, line)
	if l := m.pane.jsonDoc().lines[line]; l.wrap.done {
		t.Fatalf("all %d breaks of the long line were worked out before it was scrolled to", len(l.wrap.breaks))
	}
	for range 60 {
		press(m, "pgdown")
	}
	if sub := m.pane.scroll - first; sub < 4*wrapAhead || sub > len(want)-m.pane.height {
		t.Fatalf("paged to row %d of the line's %d, want one in its middle", sub, len(want))
	}
	checkShownRows(t, m, first, want)
	if got, _ := m.pane.cursorLine(); got != line {
		t.Errorf("paging inside the long line moved the cursor to line %d, want %d", got, line)
	}
	for _, w := range []int{90, 120} { // drawn again at another width, and back
		m.Update(tea.WindowSizeMsg{Width: w, Height: 40})
		settle(m)
		if got, _ := m.pane.cursorLine(); got != line {
			t.Fatalf("at %d columns the cursor is on line %d, want the long line %d", w, got, line)
		}
		press(m, "pgdown", "pgdown")
		first, _ := m.pane.lay.RowOf(line, m.pane.laidStarts())
		checkShownRows(t, m, first, wantRows(m, line))
	}
	press(m, "W", ">", ">") // not wrapping, from inside the line: it is one row, scrolled sideways
	l := m.pane.jsonDoc().lines[line]
	row := stripped(m.pane.textRow(m.pane.current(), m.pane.cursor, m.inks, false))
	if got, _ := m.pane.cursorLine(); got != line || row != l.text[m.pane.hscroll:m.pane.hscroll+m.pane.width] {
		t.Fatalf("W then > > on line %d shows %q on the cursor's line %d", line, row, got)
	}
	press(m, "W")
	press(m, "j")
	if !strings.Contains(cursorText(m), `"status"`) {
		t.Errorf("j from inside the long line went to %q, want the next line", cursorText(m))
	}
	press(m, "G")
	if got, want := m.pane.total(), len(m.pane.jsonDoc().lines)+len(want)-1; got != want {
		t.Errorf("at the end the document has %d rows, want %d once the long line is broken to its end", got, want)
	}
	if !strings.Contains(cursorText(m), "}") {
		t.Errorf("G put the cursor on %q, want the last line", cursorText(m))
	}
	checkShownRows(t, m, first, want)
}

func TestNGoesToAMatchDeepInALongLine(t *testing.T) {
	body, _ := longNoteBody()
	m, _ := readingModel(t, 120, 40, body)
	press(m, "/")
	typeText(m, "w31234")
	press(m, "enter", "n")
	if i, n, ok := m.pane.matchCount(); !ok || i != 1 || n != 1 {
		t.Fatalf("match %d of %d (%v), want 1 of 1", i, n, ok)
	}
	if row := stripped(m.pane.textRow(m.pane.current(), m.pane.cursor, m.inks, false)); !strings.Contains(row, "w31234") {
		t.Errorf("the cursor's row shows %q, not the match", row)
	}
	cursorTo(t, m, `"note": "w00000`)
	line, _ := m.pane.cursorLine()
	press(m, "n")
	first, _ := m.pane.lay.RowOf(line, m.pane.laidStarts())
	checkShownRows(t, m, first, wantRows(m, line))
}

// Scrolling the pane (J, ctrl+d) takes the cursor along, so the next cursor
// key goes on from what is on screen rather than jumping back.
func TestScrollingThePaneTakesTheCursorAlong(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"eventType":"workflow_run.completed","payload":{"items":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"n":%d}`, i)
	}
	b.WriteString(`]}}`)
	m, _ := readingModel(t, 120, 40, b.String())
	press(m, "g", "J", "J", "J")
	p := &m.pane
	if p.scroll == 0 || p.cursor < p.scroll || p.cursor >= p.scroll+p.height {
		t.Fatalf("after J: scroll %d, cursor %d, height %d: the cursor is off the screen", p.scroll, p.cursor, p.height)
	}
	scroll := p.scroll
	press(m, "j")
	if p.scroll < scroll {
		t.Errorf("j after J scrolled back from %d to %d", scroll, p.scroll)
	}
	press(m, "K", "K", "K", "K")
	if p.cursor < p.scroll || p.cursor >= p.scroll+p.height {
		t.Errorf("after K: scroll %d, cursor %d: the cursor is off the screen", p.scroll, p.cursor)
	}
}

// G goes to the last row of a long line of words, whose rows are only
// estimated until they are broken (each row of words is short of full, so
// there are more rows than the estimate): in the Payload and Raw views.
func TestBottomReachesTheEndOfALongLineOfWords(t *testing.T) {
	body := `{"eventType":"workflow_run.completed","note":"` + strings.Repeat("lorem ipsum dolor sit amet ", 4000) + `THE-END"}`
	for _, view := range []string{"p", "w"} {
		m, _ := readingModel(t, 120, 40, body)
		press(m, view)
		pull(m)
		press(m, "G")
		if !strings.Contains(screen(m), "THE-END") {
			t.Errorf("view %s: G does not show the end of the line; the cursor is on row %d of %d", view, m.pane.cursor, m.pane.total())
		}
	}
}
