package ui

import (
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// longUserAgent and signedLink are the long header values of longLines.
var (
	longUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 " +
		"Safari/537.36 Edg/131.0.2903.70 ExtendWebhookRelay/2.4.1 (+https://docs.extend.ai/webhooks; build 7f3a9c1e)"
	signedLink = "https://extend-prod-outputs.s3.amazonaws.com/workflow_run_Rw3KmMwhNpQy9lbRNHdl/output.json?" +
		"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260708%2Fus-east-1%2Fs3%2Faws4_request&" +
		"X-Amz-Date=20260708T140300Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=" +
		strings.Repeat("IQoJb3JpZ2luX2VjEJr", 90) + "&X-Amz-Signature=3f1c9a0b7d2e4f6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a"
	longRawLine = `  "content": "` + strings.Repeat("Header reads INVOICE from Adventure Works Cycles, with a remit-to block. ", 4) + `"`
)

// longLines is a screen showing a delivery with a long User-Agent, a
// 2 KB signed link in a header and a long line in its body, the pane
// focused on view key's view.
func longLines(t *testing.T, w, h int, key string) *Model {
	t.Helper()
	s := store.New(10, 0)
	g := newEventMaker()
	m := newTestModel(t, s, w, h)
	ev := g.raw([]byte("{\n  \"eventType\": \"workflow_run.completed\",\n" + longRawLine + "\n}\n"))
	ev.SetHeaders(append(storetest.Headers(ev), store.Header{Name: "User-Agent", Value: longUserAgent}, store.Header{Name: "X-Signed-Url", Value: signedLink}))
	s.Append(ev)
	pull(m)
	press(m, key, "tab")
	if m.pane.lineDoc() == nil {
		t.Fatalf("the %s view is not a line document", m.pane.view)
	}
	return m
}

// rowsOfLine is the plain rows the pane draws for the first line whose
// text starts with prefix, while wrapping.
func rowsOfLine(t *testing.T, m *Model, prefix string) []string {
	t.Helper()
	p := &m.pane
	if !p.cursorToFirst(func(a anchor) bool {
		return a.line >= 0 && strings.HasPrefix(p.lineDoc().lines[a.line].text, prefix)
	}) {
		t.Fatalf("no line starts with %q", prefix)
	}
	settle(m)
	first, n := p.rowOf(int(p.anchorAt(p.current(), p.cursor).line))
	p.scroll = first
	rows := p.lines(m.inks, false)[:min(n, p.height)]
	for i, r := range rows {
		rows[i] = strings.TrimRight(stripped(r), " ")
	}
	return rows
}

// checkHanging checks that value, after label, is drawn over rows of at
// most w cells whose continuation rows start hang blanks in, each word of
// the value that fits on a row kept whole.
func checkHanging(t *testing.T, rows []string, label, value string, w, hang int) {
	t.Helper()
	if len(rows) < 2 || !strings.HasPrefix(rows[0], label) {
		t.Fatalf("%q is not wrapped: %q", label, rows)
	}
	joined := strings.TrimPrefix(rows[0], label)
	for _, r := range rows[1:] {
		if width(r) > w || !strings.HasPrefix(r, strings.Repeat(" ", hang)) || r[hang] == ' ' {
			t.Errorf("continuation row %q is not %d cells in under the value, or is wider than %d", r, hang, w)
		}
		joined += r[min(hang, len(r)):]
	}
	if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(value, " ", "") {
		t.Errorf("the rows do not show the value:\n%q\n%q", joined, value)
	}
	for _, word := range strings.Fields(value) {
		if width(word) > w-hang {
			continue
		}
		whole := false
		for _, r := range rows {
			whole = whole || strings.Contains(r, word)
		}
		if !whole {
			t.Errorf("%q, which fits on a row, is split", word)
		}
	}
}

// A long header value wraps at token boundaries, its continuation rows
// under where the value starts, as the Payload view wraps a string; a
// signed link longer than a row is cut at its punctuation.
func TestHeadersWrapLongValuesUnderTheValue(t *testing.T) {
	m := longLines(t, 120, 40, "h")
	w := m.pane.width
	checkHanging(t, rowsOfLine(t, m, "User-Agent: "), "User-Agent: ", longUserAgent, w, len("User-Agent: "))
	rows := rowsOfLine(t, m, "X-Signed-Url: ")
	if len(rows) < 2000/w {
		t.Fatalf("the signed link takes %d rows", len(rows))
	}
	hang := len("X-Signed-Url: ")
	for _, r := range rows[1 : len(rows)-1] {
		if !strings.HasPrefix(r, strings.Repeat(" ", hang)) || width(r) > w || width(r) < w-hang-16 {
			t.Errorf("signed link row %q: want %d cells in, filled to within a token of %d", r, hang, w)
		}
	}
}

// A long line of the raw body wraps the same way.
func TestRawWrapsLongLinesUnderTheValue(t *testing.T) {
	m := longLines(t, 120, 40, "w")
	label := `  "content": "`
	value := strings.TrimPrefix(longRawLine, label)
	checkHanging(t, rowsOfLine(t, m, label), label, value, m.pane.width, len(`  "content": `))
}

// W switches wrapping off in the Headers and Raw views too: a long line
// is one row cut at the pane's edge, and > scrolls it sideways.
func TestWrapSwitchesOffInHeadersAndRaw(t *testing.T) {
	for _, key := range []string{"h", "w"} {
		m := longLines(t, 120, 40, key)
		wrapped := m.pane.total()
		press(m, "W")
		if m.pane.total() >= wrapped {
			t.Errorf("%s: W left %d rows of %d", m.pane.view, m.pane.total(), wrapped)
		}
		j := m.pane.lineDoc()
		long := 0
		for i, l := range j.lines {
			if len(l.text) > len(j.lines[long].text) {
				long = i
			}
		}
		row, n := m.pane.rowOf(long)
		m.pane.scroll = row
		if got := stripped(m.pane.lines(m.inks, false)[0]); n != 1 || got != j.lines[long].text[:m.pane.width] {
			t.Errorf("%s without wrapping: the long line takes %d rows, shows %q", m.pane.view, n, got)
		}
		press(m, ">")
		shift := m.pane.width / 4
		if got := stripped(m.pane.lines(m.inks, false)[0]); m.pane.hscroll != shift || got != j.lines[long].text[shift:shift+m.pane.width] {
			t.Errorf("%s: > scrolled %d cells, shows %q", m.pane.view, m.pane.hscroll, got)
		}
		if f := footer(m); strings.Contains(f, "works without wrapping") || strings.Contains(f, "always wrap") {
			t.Errorf("%s: footer says %q", m.pane.view, f)
		}
	}
}

func TestGoldenLongHeaderAndRawLines(t *testing.T) {
	m := longLines(t, 120, 40, "h")
	press(m, "tab")
	checkGolden(t, "headers-long-120x40", m.View().Content)
	press(m, "w")
	checkGolden(t, "raw-long-120x40", m.View().Content)
}

// A body that is not JSON is shown in the Payload view as its lines, under
// the note that says why: the note is a row above them, and the lines wrap,
// or not, as the Raw view's.
func TestAPayloadThatIsNotJSONIsItsLinesUnderTheNote(t *testing.T) {
	s := store.New(10, 0)
	g := newEventMaker()
	m := newTestModel(t, s, 120, 40)
	body := "status=ok\n" + strings.Repeat("word ", 40) + "\n"
	s.Append(g.raw([]byte(body)))
	pull(m)
	d := m.pane.current()
	lead := d.lead()
	if d.text == nil || d.text.json || len(d.text.lines) != 2 || lead < 2 {
		t.Fatalf("not JSON: %d rows above the lines; want the body's two lines under the note and a blank row", lead)
	}
	rows := m.pane.lines(m.inks, false)
	if !strings.HasPrefix(stripped(rows[0]), "Not JSON (") || stripped(rows[lead]) != "status=ok"+strings.Repeat(" ", m.pane.width-9) {
		t.Errorf("rows %q, %q: want the note, then the body", stripped(rows[0]), stripped(rows[lead]))
	}
	if m.pane.total() != lead+1+ceilDiv(200, m.pane.width) {
		t.Errorf("%d rows: want the note, a blank row, the first line and the second wrapped", m.pane.total())
	}
	press(m, "W")
	if m.pane.total() != lead+2 {
		t.Errorf("W: %d rows, want the note, a blank row and two lines", m.pane.total())
	}
}
