package ui

import "testing"

func TestHelpFitsA120By40ScreenWithoutScrolling(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	press(m, "?")
	d, ok := m.dialog.(*helpDialog)
	if !ok {
		t.Fatal("? opened no help")
	}
	if rows := d.h - 1; len(d.lines) > rows {
		t.Errorf("help takes %d lines at 120×40, more than the %d on screen", len(d.lines), rows)
	}
	checkGolden(t, "help-120x40", m.View().Content)
}
