package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestThePaneCursorMovesByLineAndKeepsInView(t *testing.T) {
	m, _, _ := populated(t, 120, 20)
	press(m, "tab")
	p := &m.pane
	if p.cursor != 0 {
		t.Fatalf("cursor %d after focusing", p.cursor)
	}
	if m.inks.Cursor.pre == "" || !strings.Contains(m.View().Content, m.inks.Cursor.pre) {
		t.Fatal("the focused pane draws no cursor line")
	}
	press(m, "down", "down", "down")
	if at, _ := p.at(); at.line != 3 {
		t.Errorf("after three downs the cursor is on line %d, want 3", at.line)
	}
	press(m, "end")
	if p.cursor != p.total()-1 || p.cursor < p.scroll || p.cursor >= p.scroll+p.height {
		t.Errorf("end: cursor %d, scroll %d, height %d, rows %d", p.cursor, p.scroll, p.height, p.total())
	}
	press(m, "home")
	if p.cursor != 0 || p.scroll != 0 {
		t.Errorf("home: cursor %d, scroll %d", p.cursor, p.scroll)
	}
}

func TestAWrappedLineIsOneCursorLine(t *testing.T) {
	m, _, _ := populated(t, 120, 20)
	long := strings.Repeat("x", 3*m.pane.width)
	rw := newRowWriter(m.pane.width, m.inks.Escape)
	rw.write("first", m.inks.Text)
	rw.endLine()
	rw.write(long, m.inks.Text)
	rw.endLine()
	rw.write("last", m.inks.Text)
	showDocument(m, rw.take(true))
	press(m, "tab", "down")
	lines := m.pane.lines(m.inks, true)
	cursorRows := 0
	for _, l := range lines[:5] {
		if strings.HasPrefix(l, m.inks.Cursor.pre) {
			cursorRows++
		}
	}
	if cursorRows != 3 {
		t.Errorf("the wrapped line is drawn as %d cursor rows, want 3", cursorRows)
	}
	press(m, "down")
	if got := ansi.Strip(m.pane.lines(m.inks, true)[m.pane.cursor]); !strings.HasPrefix(got, "last") {
		t.Errorf("one down from the wrapped line lands on %q, want the next line", got)
	}
}

func TestEnterOnALineThatNamesAnEventSelectsIt(t *testing.T) {
	m, _, _ := populated(t, 120, 30)
	first := m.list.items[0]
	rw := newRowWriter(m.pane.width, m.inks.Escape)
	rw.write("heading", m.inks.Text)
	rw.endLine()
	rw.point(first.ev.Seq, 0)
	rw.write("the first event", m.inks.Text)
	showDocument(m, rw.take(true))
	press(m, "tab", "enter")
	if m.list.sel == first {
		t.Fatal("enter on a line naming no event selected one")
	}
	press(m, "down", "enter")
	if m.list.sel != first {
		t.Errorf("enter on the line of #%d selected #%d", first.ev.Seq, m.list.sel.ev.Seq)
	}
	if m.focus != focusPane {
		t.Error("selecting from the pane took the focus away")
	}
}

// showDocument puts a complete document of c's rows in the pane, in place
// of the one on screen.
func showDocument(m *Model, c chunk) {
	m.pane.docs[m.pane.shown] = &document{rows: c.rows, anchors: c.anchors}
}
