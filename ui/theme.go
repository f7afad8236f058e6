package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/themes"
)

// askBackground asks the terminal for its background colour when the
// theme follows it. A terminal that does not answer (or a test, or a pipe)
// leaves the theme the screen started with.
func (m *Model) askBackground() tea.Cmd {
	if !m.cfg.FollowTerminal {
		return nil
	}
	return tea.RequestBackgroundColor
}

// background takes the terminal's answer: light or dark, as it is.
func (m *Model) background(msg tea.BackgroundColorMsg) tea.Cmd {
	if !m.cfg.FollowTerminal {
		return nil
	}
	t := themes.ForBackground(msg.IsDark())
	if t.Name == m.cfg.Theme.Name {
		return nil
	}
	m.setTheme(t)
	return m.showSelected()
}

// setTheme repaints the screen in t. The render kit is replaced, not
// changed: documents being produced in commands keep the one they began
// with, and their theme in the cache key makes the pane drop them.
func (m *Model) setTheme(t themes.Theme) {
	st := t.Styles()
	m.cfg.Theme = t
	m.styles = st
	m.inks = newInks(st)
	styleFilterInput(&m.input, st)
	kit := *m.kit
	kit.inks, kit.styles = m.inks, st
	m.kit = &kit
}
