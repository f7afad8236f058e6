package ui

import (
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// status is a one-line report in the footer (what an export wrote, what
// was copied, why something could not be done). It stays until the next
// key, so a report that arrives while the user is away is still there.
type status struct {
	text string
	bad  bool // a failure: painted as a warning
}

// report shows text in the footer; text comes from our own messages and
// errors, which may quote paths or names, so it is made safe here.
func (m *Model) report(text string, bad bool) {
	m.status = status{text: sanitize.Text(text), bad: bad}
}

// statusLine is the footer while an export runs or a report is shown.
func (m *Model) statusLine() (string, bool) {
	lb := &lineBuilder{w: m.width}
	switch {
	case m.exporting != nil && m.exporting.visible:
		lb.add(m.exporting.progressText()+"  ", m.inks.Attention)
		addHints(lb, m.inks, m.keys.Hints(keymap.ScopeExporting, keymap.ExportStop))
	case m.status.text != "" && m.status.bad:
		lb.add(m.status.text, m.inks.Warning)
	case m.status.text != "":
		lb.add(m.status.text, m.inks.Text)
	case len(m.fetching) > 0:
		lb.add(m.fetchingText(), m.inks.Attention)
	default:
		return "", false
	}
	return lb.String(), true
}
