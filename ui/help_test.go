package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

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

func TestHelpSaysHowManyLinesAreBelowTheScreen(t *testing.T) {
	m, _, _ := populated(t, 80, 24)
	press(m, "?")
	d := m.dialog.(*helpDialog)
	below := regexp.MustCompile(`↓ (\d+) more`)
	got := below.FindStringSubmatch(screen(m))
	if want := len(d.lines) - (d.h - 2); got == nil || got[1] != strconv.Itoa(want) {
		t.Fatalf("at the top the help says %q of the lines below, want ↓ %d more", got, want)
	}
	for range 10 {
		press(m, "pgdown")
	}
	sc := screen(m)
	if got := below.FindString(sc); got != "" {
		t.Errorf("at the bottom the help still says %q", got)
	}
	if last := strings.TrimSpace(stripped(d.lines[len(d.lines)-1])); !strings.Contains(sc, last) {
		t.Errorf("at the bottom the help does not show its last line %q", last)
	}
}
