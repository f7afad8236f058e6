package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestEnterZoomsAndEscGivesTheListBackBeforeClearingFilters(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	press(m, "f")
	filtered := m.list.shownCount()
	heading := renderHeadingTitle(m)
	press(m, "enter")
	if !m.zoomed || m.focus != focusPane {
		t.Fatalf("enter: zoomed %v, focus %v", m.zoomed, m.focus)
	}
	if m.pane.width != 120-1 || m.pane.height != m.lay.body.h-1 {
		t.Errorf("zoomed pane is %d×%d, want %d×%d", m.pane.width, m.pane.height, 119, m.lay.body.h-1)
	}
	sc := screen(m)
	lines := strings.Split(sc, "\n")
	if len(lines) != 40 || !strings.HasPrefix(lines[0], "extend-inspect") || !strings.Contains(lines[39], "help") {
		t.Fatalf("the header or footer went away while zoomed:\n%s", sc)
	}
	if !strings.HasPrefix(lines[headerLines], " Payload") || strings.Contains(lines[headerLines+1], heading) {
		t.Errorf("the list is still drawn while zoomed:\n%s", sc)
	}
	if rows := m.pane.lines(m.inks, false); m.pane.current() == nil || m.pane.current().more != nil || ansiWidth(rows[0]) != 119 || m.pane.shown.width != 119 {
		t.Errorf("the zoomed pane was not drawn again at its width")
	}
	press(m, "esc")
	if m.zoomed || m.focus != focusList {
		t.Fatalf("esc: zoomed %v, focus %v", m.zoomed, m.focus)
	}
	if m.list.shownCount() != filtered || !m.list.filt.failures {
		t.Error("the esc that left the zoom also cleared the filters")
	}
	if !strings.Contains(strings.Split(screen(m), "\n")[headerLines], heading) {
		t.Error("the list did not come back")
	}
	press(m, "esc")
	if m.list.filt.failures {
		t.Error("esc after the zoom did not clear the filters")
	}
}

func TestTabLeavesTheZoomForTheList(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	press(m, "enter", "tab")
	if m.zoomed || m.focus != focusList {
		t.Errorf("tab while zoomed: zoomed %v, focus %v", m.zoomed, m.focus)
	}
}

// renderHeadingTitle is the title of the list's first category heading.
func renderHeadingTitle(m *Model) string {
	c, _ := m.list.rowAt(0)
	return c.Title()
}

func ansiWidth(s string) int { return width(ansi.Strip(s)) }

func TestTheCursorStaysOnItsLineWhenTheZoomRedrawsThePane(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	press(m, "tab", "down", "down", "down", "down", "tab", "enter")
	if at, _ := m.pane.at(); at.line != 4 {
		t.Errorf("zoomed, the cursor is on line %d, want 4", at.line)
	}
	press(m, "down", "esc", "tab")
	if at, _ := m.pane.at(); at.line != 5 {
		t.Errorf("after leaving the zoom the cursor is on line %d, want 5", at.line)
	}
}
