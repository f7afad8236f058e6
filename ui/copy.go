package ui

import (
	"bytes"
	"encoding/json"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// maxClipboard is the most the screen copies: OSC 52 carries the text in
// one escape sequence, which many terminals cut or refuse beyond this.
const maxClipboard = 64 << 10

// copyPayload copies the selected event's payload, indented when it is
// JSON, as received otherwise, with every control byte and invisible
// character spelled as an escape: a pasted payload must not carry ESC or
// 0x9b, which could end a bracketed paste and type into the shell. A body
// already larger than the clipboard takes is refused before it is
// indented: indenting runs in Update, and a body can be megabytes.
func (m *Model) copyPayload() tea.Cmd {
	sel := m.list.sel
	if sel == nil {
		m.report("nothing to copy: no delivery is selected", true)
		return nil
	}
	what := fmt.Sprintf("#%d's payload", sel.seq)
	text := sel.ev.Body
	if fetched := sel.ev.FetchedBody(); fetched != nil { // what the Payload view shows
		what, text = what+" (fetched from its signed link)", fetched
	}
	if len(text) > maxClipboard {
		return m.refuseCopy(what, len(text))
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, text, "", "  ") == nil {
		text = pretty.Bytes()
	}
	return m.copyUntrusted(what, string(text))
}

// copyUntrusted copies text a webhook sent, every control byte and
// invisible character spelled as an escape, and says so when there were any.
func (m *Model) copyUntrusted(what, text string) tea.Cmd {
	safe := sanitize.Lines(text)
	if safe != text {
		what += " (control bytes escaped)"
	}
	return m.copyText(what, safe)
}

// copyCurl copies a command that sends the selected event again, re-signed
// with $EXTEND_WEBHOOK_SECRET when it runs.
func (m *Model) copyCurl() tea.Cmd {
	sel := m.list.sel
	if sel == nil {
		m.report("nothing to copy: no delivery is selected", true)
		return nil
	}
	command, err := export.CurlCommand(sel.ev, m.cfg.ReplayAddr)
	if err != nil {
		m.report("cannot copy a curl command: "+err.Error(), true)
		return nil
	}
	return m.copyText(fmt.Sprintf("a curl command replaying #%d (%s)", sel.seq, m.resignNeeds()), command)
}

// resignNeeds says what a copy or export that re-signs needs when it runs.
// A session that registered its endpoint verifies with a secret held in
// memory only, which the user never saw: it cannot be exported to them.
func (m *Model) resignNeeds() string {
	if m.cfg.EndpointID != "" {
		return "needs $EXTEND_WEBHOOK_SECRET: this session's secret is not available to exports"
	}
	return "needs $EXTEND_WEBHOOK_SECRET"
}

// copyText hands text to the terminal's clipboard, or says why not.
func (m *Model) copyText(what, text string) tea.Cmd {
	if len(text) > maxClipboard {
		return m.refuseCopy(what, len(text))
	}
	m.report(fmt.Sprintf("copied %s to the clipboard (%d bytes)", what, len(text)), false)
	return tea.SetClipboard(text)
}

func (m *Model) refuseCopy(what string, size int) tea.Cmd {
	m.report(fmt.Sprintf("%s is %d KB, more than the clipboard takes (%d KB): press %s to export it instead",
		what, (size+1023)/1024, maxClipboard>>10, m.keys.Keys(keymap.ScopeMain, keymap.Export)), true)
	return nil
}
