package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// editorFileMsg says the payload is written to a private file, ready for
// the editor; editorDoneMsg that the editor exited and the file is gone.
type (
	editorFileMsg struct {
		seq  uint64
		path string
		err  error
	}
	editorDoneMsg struct {
		seq uint64
		err error
	}
)

// openEditor writes the selected payload, pretty-printed and with control
// bytes escaped as the clipboard gets it, to a private temporary file, off
// the update loop; editorFile then hands the terminal to the editor.
func (m *Model) openEditor() tea.Cmd {
	it := m.list.sel
	if it == nil {
		m.report("nothing to open: no delivery is selected", true)
		return nil
	}
	if len(strings.Fields(m.cfg.Editor)) == 0 {
		m.report("Opening an editor is not available in this session.", true)
		return nil
	}
	ev := it.ev
	m.report(fmt.Sprintf("Writing #%d's payload for the editor…", it.ev.Seq), false)
	return func() tea.Msg {
		shown := payloadOf(ev) // the downloaded payload, once fetched, as the Payload view shows
		if shown.err != nil {
			return editorFileMsg{seq: it.ev.Seq, err: shown.err}
		}
		path, err := writePrivate(editorText(shown.body))
		return editorFileMsg{seq: it.ev.Seq, path: path, err: err}
	}
}

// editorText is the payload as the editor shows it: indented when it is
// JSON, every control byte spelled as an escape.
func editorText(body []byte) string {
	var pretty bytes.Buffer
	if json.Indent(&pretty, body, "", "  ") == nil {
		body = pretty.Bytes()
	}
	return sanitize.Lines(string(body)) + "\n"
}

// writePrivate writes text to a new file only this user can read.
func writePrivate(text string) (string, error) {
	f, err := os.CreateTemp("", "extend-inspect-*.json") // mode 0600
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// editorFile suspends the screen and runs the editor on the file, the way
// Bubble Tea runs any program in the foreground; the file is removed when
// the editor exits, and the screen comes back as it was.
func (m *Model) editorFile(msg editorFileMsg) tea.Cmd {
	if msg.err != nil {
		m.report("Could not write the payload for the editor: "+msg.err.Error(), true)
		return nil
	}
	argv := append(strings.Fields(m.cfg.Editor), msg.path)
	cmd := exec.Command(argv[0], argv[1:]...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		os.Remove(msg.path)
		return editorDoneMsg{seq: msg.seq, err: err}
	})
}

func (m *Model) editorDone(msg editorDoneMsg) {
	editor := strings.Fields(m.cfg.Editor)[0]
	if msg.err != nil {
		m.report(fmt.Sprintf("%s on #%d's payload: %v", editor, msg.seq, msg.err), true)
		return
	}
	m.report(fmt.Sprintf("Closed %s on #%d's payload; its temporary file is removed.", editor, msg.seq), false)
}
