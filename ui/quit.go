package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
)

// quitQuestion asks, when the user quits during an export, whether to stop
// it. Its keys are those of keymap.ScopeQuit.
type quitQuestion struct {
	k    inks
	keys keymap.KeyMap
	run  *exportRun
	w, h int
}

func (d *quitQuestion) update(msg tea.Msg) action {
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch a, _ := d.keys.Lookup(keymap.ScopeQuit, key.String()); a {
	case keymap.QuitAnyway:
		return quitAnyway{}
	case keymap.KeepExporting:
		return closeDialog{}
	}
	return nil
}

func (d *quitQuestion) resize(w, h int) { d.w, d.h = w, h }

func (d *quitQuestion) render() []string {
	k, w := d.k, d.w
	hints := d.keys.Hints(keymap.ScopeQuit, keymap.QuitAnyway, keymap.KeepExporting)
	out := []string{hintLine("Quit during an export?", k, hints, w), blank(w)}
	text := fmt.Sprintf("An export to %s is running: %s. Quitting stops it; what it has finished stays, and is listed when the screen closes.",
		d.run.dir, d.run.progressText())
	for _, line := range wordWrap(text, max(10, w-2)) {
		out = append(out, padLine(" "+k.Text.paint(line), 1+width(line), w))
	}
	return fillLines(out, w, d.h)
}

// askQuit quits, or during an export asks first.
func (m *Model) askQuit() tea.Cmd {
	if m.exporting == nil {
		return m.quit()
	}
	m.openDialog(&quitQuestion{k: m.inks, keys: m.keys, run: m.exporting})
	return nil
}

// quitAfterExport stops the export and quits once it has said what it
// wrote (exportUpdate sees quitting).
func (m *Model) quitAfterExport() tea.Cmd {
	if !m.stopExport() {
		return m.quit()
	}
	m.quitting = true
	return nil
}

// quit ends the screen at once. An export still running is stopped; the
// farewell says so, since its report will not come in time.
func (m *Model) quit() tea.Cmd {
	if m.exporting != nil {
		m.farewell = fmt.Sprintf("quit during an export to %s: it was stopped after %s (a file is written whole or not at all)",
			m.exporting.dir, m.exporting.doneText())
	}
	m.stopExport()
	m.Close()
	return tea.Quit
}

// Farewell is what the screen has to say once it is gone (what an export
// stopped by quitting wrote), for the caller to print; "" for nothing.
func (m *Model) Farewell() string { return m.farewell }

// Summary is the line the screen leaves behind when it closes, for the
// caller to print on stderr: what was received, what the store let go, and
// how many of those the screen never showed (evicted before it read them),
// so that a burst that outran the screen is still known once the screen is
// gone. "" when nothing was received.
func (m *Model) Summary() string {
	st := m.cfg.Source.Stats()
	received := st.Received - m.replays
	if received == 0 {
		return ""
	}
	return fmt.Sprintf("%d received, %d evicted, %d never shown", received, st.Evicted, m.missed)
}
