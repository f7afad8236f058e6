package ui

import (
	"os"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// A session's Headers view shows the headers it recorded, which stay in
// its file; once the file is cut short, it says why it cannot show them
// rather than showing none.
func TestKeptSessionHeadersView(t *testing.T) {
	path, _ := writeSessionFile(t, 5)
	m, closeSession := openSessionModel(t, path, "kept", 5)
	defer closeSession()
	held, _, err := session.ReadFile(path, session.Options{MaxBody: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	press(m, "h", "tab")
	text := headersText(t, m)
	recorded := storetest.Headers(held[m.list.sel.ev.Seq-1])
	for _, h := range recorded {
		if !strings.Contains(text, h.Name+": "+h.Value) {
			t.Errorf("the Headers view lacks %s: %s:\n%s", h.Name, h.Value, text)
		}
	}
	if len(recorded) == 0 || strings.Contains(text, "(no headers)") {
		t.Fatalf("no headers shown:\n%s", text)
	}

	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	shown := m.list.sel.ev.Seq
	press(m, "tab", "up") // another event, whose document is made afresh
	if m.list.sel.ev.Seq == shown {
		t.Fatal("the selection did not move")
	}
	if text := headersText(t, m); !strings.Contains(text, "The headers cannot be shown: read the headers from") ||
		!strings.Contains(text, "changed after it was opened") {
		t.Errorf("the Headers view of a file cut short:\n%s", text)
	}
}

// headersText is the lines of the Headers view the pane shows.
func headersText(t *testing.T, m *Model) string {
	t.Helper()
	if m.pane.view != viewHeaders || m.pane.lineDoc() == nil {
		t.Fatalf("the pane shows %s, not the Headers view", m.pane.view)
	}
	var lines []string
	for _, l := range m.pane.lineDoc().lines {
		lines = append(lines, l.text)
	}
	return strings.Join(lines, "\n")
}
