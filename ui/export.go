package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

// progressInterval is how often a running export's progress is redrawn; an
// export done before the first redraw shows no progress at all.
const progressInterval = 200 * time.Millisecond

// exportDialog is the overlay that chooses the format and the directory of
// an export. The directory input has the keyboard; ↑/↓ (and tab) choose the
// format, enter writes, esc closes.
type exportDialog struct {
	events []*store.Event
	format int // index in export.Formats
	dir    textinput.Model
}

func (m *Model) openExport() {
	events := m.markedOrSelected()
	if len(events) == 0 {
		m.report("nothing to export: no delivery is selected", true)
		return
	}
	if m.exporting != nil {
		m.report("an export is still running: wait for it, or press esc to stop it", true)
		return
	}
	dir := m.cfg.ExportDir
	if dir == "" {
		dir = export.DefaultDir(m.now())
	}
	in := textinput.New()
	in.Prompt = "directory: "
	s := in.Styles()
	s.Focused.Prompt = m.styles.Label
	s.Focused.Text = m.styles.Text
	in.SetStyles(s)
	in.SetValue(dir)
	in.CursorEnd()
	in.Focus()
	m.overlay = &exportDialog{events: events, format: 1, dir: in} // JSONL: the one that reopens
}

func (d *exportDialog) key(m *Model, msg tea.KeyPressMsg) (bool, tea.Cmd) {
	n := len(export.Formats)
	switch msg.String() {
	case "esc":
		return true, nil
	case "enter":
		dir := strings.TrimSpace(d.dir.Value())
		if dir == "" {
			return false, nil
		}
		return true, m.startExport(d.events, export.Formats[d.format], dir)
	case "up", "shift+tab":
		d.format = (d.format + n - 1) % n
	case "down", "tab":
		d.format = (d.format + 1) % n
	default:
		var cmd tea.Cmd
		d.dir, cmd = d.dir.Update(msg)
		return false, cmd
	}
	return false, nil
}

// paste puts pasted text, a directory path, into the directory input.
func (d *exportDialog) paste(msg tea.PasteMsg) tea.Cmd {
	var cmd tea.Cmd
	d.dir, cmd = d.dir.Update(msg)
	return cmd
}

func (d *exportDialog) render(m *Model, w, h int) []string {
	k := m.inks
	n := len(d.events)
	title := fmt.Sprintf("Export %d %s", n, plural(n, "event"))
	if n == 1 {
		title += fmt.Sprintf(" (#%d)", d.events[0].Seq)
	}
	out := []string{
		k.key.paint(fit(title+" — ↑/↓ format · type the directory · enter write · esc cancel", w)),
		blank(w),
	}
	for i, f := range export.Formats {
		line := fit(fmt.Sprintf("  %-6s %s", f, f.Title()), w)
		if i == d.format {
			out = append(out, k.selected.paint(line))
		} else {
			out = append(out, k.text.paint(line))
		}
	}
	out = append(out, blank(w))
	d.dir.SetWidth(max(10, w-len(d.dir.Prompt)-2))
	view := d.dir.View()
	out = append(out, padLine(view, ansi.StringWidth(view), w))
	out = append(out, blank(w), k.dim.paint(fit("Written atomically, never over an existing file; the directory is created.", w)))
	for len(out) < h {
		out = append(out, blank(w))
	}
	return out[:h]
}

func blank(w int) string { return strings.Repeat(" ", w) }

// exportRun is an export in flight. Write runs in a command; it reports
// each event written through done, which the progress tick reads.
type exportRun struct {
	total   int
	format  export.Format
	done    atomic.Int64
	cancel  context.CancelFunc
	visible bool // it has run long enough to show its progress
}

func (r *exportRun) progressText() string {
	return fmt.Sprintf("exporting %s: %d of %d events written…", r.format, r.done.Load(), r.total)
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
	run := &exportRun{total: len(events), format: f, cancel: cancel}
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
		if m.exporting == msg.run {
			m.exporting = nil
		}
		if msg.err != nil {
			files := len(msg.res.Files)
			m.report(fmt.Sprintf("export failed, %d of %d events written (%d %s): %v",
				msg.res.Events, msg.run.total, files, plural(files, "file"), msg.err), true)
		} else {
			m.report(msg.res.Summary(), false)
		}
	}
	return nil
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
