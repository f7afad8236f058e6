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
	what := fmt.Sprintf("#%d's payload", sel.seq)
	if n := sel.ev.BodyLen(); n > maxClipboard {
		return m.refuseCopy(what, n)
	}
	ev := sel.ev
	return func() tea.Msg {
		text, err := ev.Body()
		if err != nil {
			return copyMsg{failed: "cannot copy " + what + ": " + err.Error()}
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, text, "", "  ") == nil {
			text = pretty.Bytes()
		}
		safe := sanitize.Lines(string(text))
		if safe != string(text) {
			what += " (control bytes escaped)"
		}
		return copyMsg{what: what, text: safe}
	}
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
	ev, seq, addr := sel.ev, sel.seq, m.cfg.ReplayAddr
	return func() tea.Msg {
		command, err := export.CurlCommand(ev, addr)
		if err != nil {
			return copyMsg{failed: "cannot copy a curl command: " + err.Error()}
		}
		return copyMsg{what: fmt.Sprintf("a curl command replaying #%d (needs $EXTEND_WEBHOOK_SECRET)", seq), text: command}
	}
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
