package ui

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/themes"
)

// With no theme chosen, the screen asks the terminal for its background
// and takes the light or the dark theme from the answer.
func TestThemeFollowsTheTerminalBackground(t *testing.T) {
	st := store.New(100, 1<<20)
	m := newTestModel(t, st, 100, 30)
	if m.askBackground() != nil {
		t.Error("a chosen theme asks the terminal anyway")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.styles.Theme != themes.Dark {
		t.Errorf("a chosen theme changed to %s", m.styles.Theme)
	}

	m.cfg.FollowTerminal = true
	if m.askBackground() == nil {
		t.Fatal("a theme that follows the terminal does not ask it")
	}
	ev := &store.Event{}
	ev.SetBody([]byte(`{"eventType":"workflow_run.completed"}`))
	st.Append(ev)
	pull(m)
	for _, c := range []struct {
		bg   color.Color
		want string
	}{{color.White, themes.Light}, {color.RGBA{0x1e, 0x1e, 0x2e, 0xff}, themes.Dark}} {
		m.Update(tea.BackgroundColorMsg{Color: c.bg})
		settle(m)
		if m.styles.Theme != c.want || m.kit.styles.Theme != c.want || m.cfg.Theme.Name != c.want {
			t.Errorf("background %v: theme %s (kit %s), want %s", c.bg, m.styles.Theme, m.kit.styles.Theme, c.want)
		}
		if m.pane.shown.theme != c.want {
			t.Errorf("background %v: the pane shows a %q document", c.bg, m.pane.shown.theme)
		}
	}
}
