package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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

// Where the help scrolls, no section's heading is the last row on screen
// with its lines hidden under the "↓ more" row.
func TestNoHeadingIsLeftAboveTheMoreRow(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {80, 30}, {100, 24}, {60, 40}, {120, 20}} {
		m, _, _ := populated(t, size[0], size[1])
		press(m, "?")
		d := m.dialog.(*helpDialog)
		if len(d.lines) <= d.h-1 {
			continue // no more row
		}
		cols := max(1, (d.w+1)/(helpColumnWidth+1))
		cw := (d.w+1)/cols - 1
		last := ansi.Strip(d.lines[d.h-3]) // above the title and the more row
		for c := range cols {
			cell := strings.TrimSpace(ansi.Cut(last, c*(cw+1), c*(cw+1)+cw))
			for _, b := range d.blocks(cw) {
				if cell != "" && cell == strings.TrimSpace(ansi.Strip(b[0])) {
					t.Errorf("%dx%d: column %d ends the screen with the heading %q", size[0], size[1], c, cell)
				}
			}
		}
	}
}
