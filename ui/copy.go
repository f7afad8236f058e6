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
// already larger than the clipboard takes is refused before it is read.
// Reading (a session's bodies are in its file) and indenting run in a
// command; the copy itself happens when its copyMsg comes back.
func (m *Model) copyPayload() tea.Cmd {
	sel := m.list.sel
	if sel == nil {
		m.report("nothing to copy: no delivery is selected", true)
		return nil
	}
	what := fmt.Sprintf("#%d's payload", sel.ev.Seq)
	ev, fetched := sel.ev, sel.ev.FetchedBody() // what the Payload view shows
	size := ev.BodyLen()
	if fetched != nil {
		what, size = what+" (fetched from its signed link)", len(fetched)
	}
	if size > maxClipboard {
		return m.refuseCopy(what, size)
	}
	return func() tea.Msg {
		text, err := fetched, error(nil)
		if text == nil {
			text, err = ev.Body()
		}
		if err != nil {
			return copyMsg{failed: "cannot copy " + what + ": " + err.Error()}
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, text, "", "  ") == nil {
			text = pretty.Bytes()
		}
		what, safe := untrusted(what, string(text))
		return copyMsg{what: what, text: safe}
	}
}

// untrusted makes text a webhook sent safe to paste: every control byte
// and invisible character spelled as an escape; what says so when there
// were any.
func untrusted(what, text string) (string, string) {
	safe := sanitize.Lines(text)
	if safe != text {
		what += " (control bytes escaped)"
	}
	return what, safe
}

// copyUntrusted copies text a webhook sent, made safe by untrusted.
func (m *Model) copyUntrusted(what, text string) tea.Cmd {
	return m.copyText(untrusted(what, text))
}

// copyMsg is a text ready to copy, or why it could not be made.
type copyMsg struct {
	what, text string
	failed     string
}

// copyReady copies what a copy command made.
func (m *Model) copyReady(msg copyMsg) tea.Cmd {
	if msg.failed != "" {
		m.report(sanitize.Text(msg.failed), true)
		return nil
	}
	return m.copyText(msg.what, msg.text)
}

// copyCurl copies a command that sends the selected event again, re-signed
// with $EXTEND_WEBHOOK_SECRET when it runs. The command is made in a
// command, as the payload's copy is.
func (m *Model) copyCurl() tea.Cmd {
	sel := m.list.sel
	if sel == nil {
		m.report("nothing to copy: no delivery is selected", true)
		return nil
	}
	ev, seq, addr, needs := sel.ev, sel.ev.Seq, m.cfg.ReplayAddr, m.resignNeeds()
	return func() tea.Msg {
		command, err := export.CurlCommand(ev, addr)
		if err != nil {
			return copyMsg{failed: "cannot copy a curl command: " + err.Error()}
		}
		return copyMsg{what: fmt.Sprintf("a curl command replaying #%d (%s)", seq, needs), text: command}
	}
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
