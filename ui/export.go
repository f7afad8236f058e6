package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

// progressInterval is how often a running export's progress is redrawn; an
// export done before the first redraw shows no progress at all.
const progressInterval = 200 * time.Millisecond

// exportDialog chooses the format and the directory of an export. The
// directory input has the keyboard, except for the keys of
// keymap.ScopeExport: they choose the format, write, or close the dialog.
type exportDialog struct {
	k       inks
	keys    keymap.KeyMap
	events  []*store.Event
	format  int // index in export.Formats
	dir     textinput.Model
	home    string // the user's home directory, for ~; "" when unknown
	problem string // why enter did not write
	w, h    int
}

func (m *Model) openExport() tea.Cmd {
	events := m.markedOrSelected()
	if len(events) == 0 {
		m.report("nothing to export: no delivery is selected", true)
		return nil
	}
	if m.exporting != nil {
		m.report("an export is still running: wait for it, or press "+m.keys.Keys(keymap.ScopeExporting, keymap.ExportStop)+" to stop it", true)
		return nil
	}
	dir := m.cfg.ExportDir
	if dir == "" {
		dir = export.DefaultDir(m.now())
	}
	home, _ := os.UserHomeDir()
	in := textinput.New()
	in.Prompt = "directory: "
	s := in.Styles()
	s.Focused.Prompt = m.styles.Label
	s.Focused.Text = m.styles.Text
	in.SetStyles(s)
	in.SetValue(dir)
	in.CursorEnd()
	d := &exportDialog{k: m.inks, keys: m.keys, events: events, format: 1, dir: in, home: home} // JSONL: the one that reopens
	m.openDialog(d)
	return d.dir.Focus()
}

func (d *exportDialog) update(msg tea.Msg) action {
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d.edit(msg)
	}
	n := len(export.Formats)
	switch a, _ := d.keys.Lookup(keymap.ScopeExport, key.String()); a {
	case keymap.ExportCancel:
		return closeDialog{}
	case keymap.ExportWrite:
		dir, err := expandHome(strings.TrimSpace(d.dir.Value()), d.home)
		switch {
		case err != nil:
			d.problem = err.Error()
		case dir == "":
			d.problem = "Type the directory to write into."
		default:
			return writeExport{events: d.events, format: export.Formats[d.format], dir: dir}
		}
	case keymap.FormatPrev:
		d.format = (d.format + n - 1) % n
	case keymap.FormatNext:
		d.format = (d.format + 1) % n
	default:
		return d.edit(msg)
	}
	return nil
}

// edit gives a key or a paste to the directory input.
func (d *exportDialog) edit(msg tea.Msg) action {
	var cmd tea.Cmd
	d.dir, cmd = d.dir.Update(msg)
	d.problem = ""
	return runCmd{cmd}
}

// expandHome expands a leading ~ as a shell would: the dialog is where
// people type paths as they would in a shell.
func expandHome(dir, home string) (string, error) {
	if dir != "~" && !strings.HasPrefix(dir, "~/") {
		return dir, nil
	}
	if home == "" {
		return "", fmt.Errorf("cannot expand ~: the home directory is not known; type the whole path")
	}
	return filepath.Join(home, dir[1:]), nil
}

func (d *exportDialog) resize(w, h int) {
	d.w, d.h = w, h
	d.dir.SetWidth(max(10, w-len(d.dir.Prompt)-2))
}

func (d *exportDialog) render() []string {
	k, w := d.k, d.w
	n := len(d.events)
	title := fmt.Sprintf("Export %d %s", n, plural(n, "event"))
	if n == 1 {
		title += fmt.Sprintf(" (#%d)", d.events[0].Seq)
	}
	hints := d.keys.Hints(keymap.ScopeExport, keymap.FormatPrev, keymap.FormatNext, keymap.ExportWrite, keymap.ExportCancel)
	out := []string{k.Key.paint(fit(title, w)), hintLine("", k, hints, w), blank(w)}
	for i, f := range export.Formats {
		line := fit(fmt.Sprintf("  %-6s %s", f, f.Title()), w)
		if i == d.format {
			out = append(out, k.Selected.paint(line))
		} else {
			out = append(out, k.Text.paint(line))
		}
	}
	out = append(out, blank(w))
	view := d.dir.View()
	out = append(out, padLine(view, ansi.StringWidth(view), w))
	if d.problem != "" {
		out = append(out, blank(w), k.Warning.paint(fit(d.problem, w)))
	}
	out = append(out, blank(w), k.Dim.paint(fit("Written atomically, never over an existing file; the directory is created.", w)))
	return fillLines(out, w, d.h)
}

func blank(w int) string { return strings.Repeat(" ", w) }

// exportRun is an export in flight. Write runs in a command; it reports
// each event written through done, which the progress tick reads.
type exportRun struct {
	total   int
	format  export.Format
	dir     string
	done    atomic.Int64
	cancel  context.CancelFunc
	visible bool // it has run long enough to show its progress
}

func (r *exportRun) progressText() string {
	return fmt.Sprintf("exporting %s: %s written…", r.format, r.doneText())
}

// doneText is how far the export has come, "3 of 10 events".
func (r *exportRun) doneText() string {
	return fmt.Sprintf("%d of %d %s", r.done.Load(), r.total, plural(r.total, "event"))
}

// exportProgressMsg is the progress tick of run.
type exportProgressMsg struct{ run *exportRun }

// exportDoneMsg is the end of run: what it wrote and why it stopped.
type exportDoneMsg struct {
	run *exportRun
	res export.Result
	err error
}

// startExport writes events off the update loop.
func (m *Model) startExport(events []*store.Event, f export.Format, dir string) tea.Cmd {
	ctx, cancel := context.WithCancel(context.Background())
	run := &exportRun{total: len(events), format: f, dir: dir, cancel: cancel}
	m.exporting = run
	opt := export.Options{
		Dir: dir, Format: f, Listen: m.cfg.ReplayAddr, Version: m.cfg.Version,
		Progress: func(done, _ int) { run.done.Store(int64(done)) },
	}
	write := func() tea.Msg {
		defer cancel()
		res, err := export.Write(ctx, events, opt)
		return exportDoneMsg{run: run, res: res, err: err}
	}
	return tea.Batch(write, progressTick(run))
}

func progressTick(run *exportRun) tea.Cmd {
	return tea.Tick(progressInterval, func(time.Time) tea.Msg { return exportProgressMsg{run} })
}

// exportUpdate handles the export's messages; those of an export already
// finished are dropped.
func (m *Model) exportUpdate(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case exportProgressMsg:
		if m.exporting != msg.run {
			return nil
		}
		msg.run.visible = true
		return progressTick(msg.run)
	case exportDoneMsg:
		if m.exporting != msg.run {
			return nil
		}
		m.exporting = nil
		text, failed := exportOutcome(msg)
		if msg.run.format == export.Curl && m.cfg.EndpointID != "" {
			text += "; replay.sh " + m.resignNeeds()
		}
		if m.quitting {
			m.farewell = text
			return m.quit()
		}
		if _, asking := m.dialog.(*quitQuestion); asking {
			m.dialog = nil // the export it asked about is over
		}
		m.report(text, failed)
	}
	return nil
}

// exportOutcome says what an export wrote, and whether it failed.
func exportOutcome(msg exportDoneMsg) (string, bool) {
	if msg.err == nil {
		return msg.res.Summary(), false
	}
	files := len(msg.res.Files)
	return fmt.Sprintf("export failed, %d of %d events written (%d %s): %v",
		msg.res.Events, msg.run.total, files, plural(files, "file"), msg.err), true
}

// stopExport cancels the export in flight; its done message reports what
// it wrote.
func (m *Model) stopExport() bool {
	if m.exporting == nil {
		return false
	}
	m.exporting.cancel()
	return true
}
