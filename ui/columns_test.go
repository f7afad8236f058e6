package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestEveryLineIsExactlyTheWidthAndColumnsUseTheSpace(t *testing.T) {
	for _, w := range []int{60, 80, 120, 200} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m, _, _ := populated(t, w, 30)
			press(m, "k") // paused: the state grows "‖ paused"
			lines := strings.Split(m.View().Content, "\n")
			for i, l := range lines {
				if got := ansi.StringWidth(l); got != w {
					t.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
				}
			}
			if !strings.Contains(ansi.Strip(lines[0]), "‖ paused") {
				t.Errorf("the follow state is not on the header at %d columns: %q", w, ansi.Strip(lines[0]))
			}
			if !strings.Contains(ansi.Strip(lines[0]), "127.0.0.1:8080  ✓ verifying") {
				t.Errorf("the address and the check's state are not both on the header at %d columns: %q", w, ansi.Strip(lines[0]))
			}
			lw := m.lay.list.w - markWidth
			c := m.rowColumns(lw)
			leftover := lw - fixedWidth - c.typ - gap(c.id) - gap(c.status) - gap(c.forward) - c.marker
			if leftover > 0 && (c.typ < min(typeMax, m.list.widest.typ) || c.id < m.list.widest.id) {
				t.Errorf("at %d columns a column is cut (%+v for the widest %+v) while %d cells are left", w, c, m.list.widest, leftover)
			}
			for _, it := range m.list.items {
				shown := rowTextOf(it.ev, m.cfg.Location)
				row := ansi.Strip(renderRow(it, shown, c, lw, m.inks, rowPlain))
				if c.typ >= width(shown.typ) && !strings.Contains(row, shown.typ+" ") {
					t.Errorf("the type %q is cut though its column is %d wide: %q", shown.typ, c.typ, row)
				}
			}
		})
	}
}

func TestAnIDIsShownByItsDistinctiveTail(t *testing.T) {
	for id, want := range map[string]string{
		"workflow_run_9B5rMYl28jYKlxf1ZDtT": "…Klxf1ZDtT",
		"exr_short":                         "exr_short",
	} {
		if got := strings.TrimRight(idCell(id, 10), " "); got != want {
			t.Errorf("idCell(%q, 10) = %q, want %q", id, got, want)
		}
	}
}

// A column is never left out while the row has room for it cut short: the
// status down to "FAILED", the id down to its last idMin characters.
func TestNoColumnIsLeftOutWhileItFits(t *testing.T) {
	for _, widest := range []columns{
		{typ: 21, id: 20, status: 13, marker: wideMarker},
		{typ: 31, id: 24, status: 9},
		{typ: 18, id: 20, status: 11, marker: wideMarker, forward: forwardWidth},
	} {
		for w := 30; w <= 120; w++ {
			c := listColumns(w, widest)
			left := w - fixedWidth - c.marker - gap(c.forward) - c.typ - gap(c.id) - gap(c.status)
			if left < 0 {
				t.Errorf("%+v at %d: %+v is %d cells too wide", widest, w, c, -left)
			}
			if c.status == 0 && left > statusMin || c.id == 0 && left > idMin {
				t.Errorf("%+v at %d: %+v leaves %d cells blank and a column out", widest, w, c, left)
			}
		}
	}
}

// The header's counts line is whole from 64 columns up while nothing was
// evicted or rejected: the narrow header leaves the zero counts out rather
// than cutting the line.
func TestTheCountsLineFitsWhileNothingIsLost(t *testing.T) {
	m, _, _ := populated(t, 120, 30)
	for w := 64; w <= 130; w++ {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 30})
		counts := strings.TrimRight(ansi.Strip(strings.Split(m.View().Content, "\n")[1]), " ")
		if strings.HasSuffix(counts, "…") || !strings.HasSuffix(counts, "/s") {
			t.Errorf("at %d columns the counts line is cut: %q", w, counts)
		}
	}
}
