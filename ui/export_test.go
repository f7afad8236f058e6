package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// runExport opens the dialog, picks the format, types dir and presses
// enter; it returns the export's done message, got by running the write
// command the way the runtime would, and the run it belongs to.
func runExport(t *testing.T, m *Model, format export.Format, dir string) (*exportRun, exportDoneMsg) {
	t.Helper()
	press(m, "e")
	d, ok := m.dialog.(*exportDialog)
	if !ok {
		t.Fatalf("e opened %T, want the export dialog", m.dialog)
	}
	for export.Formats[d.format] != format {
		press(m, "down")
	}
	press(m, "ctrl+u")
	typeText(m, dir)
	_, cmd := m.Update(keyPress("enter"))
	if m.dialog != nil || m.exporting == nil || cmd == nil {
		t.Fatalf("enter: overlay %T, exporting %v", m.dialog, m.exporting)
	}
	run := m.exporting
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatalf("the export command is not a batch")
	}
	msgs := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		go func() { msgs <- c() }()
	}
	for range batch {
		select {
		case msg := <-msgs:
			if done, ok := msg.(exportDoneMsg); ok {
				return run, done
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the export did not finish")
		}
	}
	t.Fatal("no done message")
	return nil, exportDoneMsg{}
}

func footer(m *Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-1]
}

func TestExportDialogWritesTheMarkedEvents(t *testing.T) {
	m, s, _ := populated(t, 160, 48)
	press(m, "f", "V", "esc")
	dir := filepath.Join(t.TempDir(), "out")
	run, done := runExport(t, m, export.JSONL, dir)

	// The progress shows only once the first tick has come.
	if strings.Contains(footer(m), "exporting") {
		t.Errorf("progress shown at once: %s", footer(m))
	}
	m.Update(exportProgressMsg{run})
	if f := footer(m); !strings.Contains(f, "exporting jsonl: 3 of 3 events written") {
		t.Errorf("footer during the export: %s", f)
	}
	m.Update(done)
	if m.exporting != nil {
		t.Error("still exporting after the done message")
	}
	if f := footer(m); !strings.Contains(f, "wrote 1 file (3 events) to "+dir) {
		t.Errorf("footer after the export: %s", f)
	}
	if _, cmd := m.Update(exportProgressMsg{run}); cmd != nil || strings.Contains(footer(m), "exporting") {
		t.Error("a late tick revived the progress")
	}

	events, warn, err := session.ReadFile(filepath.Join(dir, "events.jsonl"), session.Options{MaxBody: 1 << 20})
	if err != nil || warn != nil || len(events) != 3 {
		t.Fatalf("read back %d events, %v, %v", len(events), warn, err)
	}
	for i, seq := range []uint64{3, 9, 10} { // the three failures
		want, _ := s.Get(seq)
		if !bytes.Equal(storetest.Body(events[i]), storetest.Body(want)) || events[i].EventType() != want.EventType() {
			t.Errorf("event %d is %s, want #%d %s", i, events[i].EventType(), seq, want.EventType())
		}
	}
}

func TestExportWithoutMarksTakesTheSelectedEvent(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	dir := filepath.Join(t.TempDir(), "one")
	_, done := runExport(t, m, export.JSON, dir)
	m.Update(done)
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	want := fmt.Sprintf("%06d-batch_parse_run.failed-", m.list.sel.ev.Seq)
	if len(names) != 2 || !strings.HasPrefix(filepath.Base(names[0]), want) {
		t.Errorf("wrote %v, want the selected event's body and metadata (%s…)", names, want)
	}
}

func TestExportFailureIsReported(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, done := runExport(t, m, export.HAR, filepath.Join(file, "out"))
	m.Update(done)
	if f := footer(m); !strings.HasPrefix(f, "export failed, 0 of 1 events written (0 files): export to ") {
		t.Errorf("footer: %s", f)
	}
	if want := "(choose a directory you can write to)"; !strings.HasSuffix(m.status.text, want) {
		t.Errorf("status %q lacks the advice %q", m.status.text, want)
	}
	if m.status.text == "" || !m.status.bad {
		t.Errorf("status %+v, want a failure", m.status)
	}
	press(m, "j")
	if m.status.text != "" {
		t.Error("the report outlived the next key")
	}
}

func TestExportDialogDefaultsAndCancel(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	m.cfg.ExportDir = "/tmp/chosen"
	press(m, "space", "e")
	sc := screen(m)
	for _, want := range []string{"Export 1 event", "jsonl  JSONL (one event per line)", "har    HAR 1.2", "curl   curl replay script", "directory: /tmp/chosen"} {
		if !strings.Contains(sc, want) {
			t.Errorf("dialog lacks %q:\n%s", want, sc)
		}
	}
	m.Update(tea.PasteMsg{Content: "/more"})
	if d := m.dialog.(*exportDialog); d.dir.Value() != "/tmp/chosen/more" {
		t.Errorf("after a paste the directory is %q", d.dir.Value())
	}
	press(m, "esc")
	if m.dialog != nil || m.exporting != nil {
		t.Error("esc did not close the dialog")
	}
	m.cfg.ExportDir = ""
	press(m, "e")
	if d := m.dialog.(*exportDialog); d.dir.Value() != export.DefaultDir(m.now()) {
		t.Errorf("default directory %q", d.dir.Value())
	}
}

func TestEscStopsARunningExport(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	run := &exportRun{total: 5}
	stopped := false
	run.cancel = func() { stopped = true }
	m.exporting = run
	press(m, "esc")
	if !stopped {
		t.Error("esc did not cancel the export")
	}
}

// q during an export asks first; yes stops the export, and once it has
// stopped the screen quits and says what was written.
func TestQuitDuringAnExportAsksAndReports(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	dir := filepath.Join(t.TempDir(), "out")
	run, done := runExport(t, m, export.JSONL, dir) // the screen has not seen done: still exporting
	if _, cmd := m.Update(keyPress("q")); cmd != nil {
		t.Fatal("q during an export quit without asking")
	}
	if _, asking := m.dialog.(*quitQuestion); !asking {
		t.Fatalf("q during an export opened %T, want the quit question", m.dialog)
	}
	wantScreen(t, m, "Quit during an export?", "y quit", "n/esc keep exporting", "An export to "+dir+" is running")
	stopped := false
	run.cancel = func() { stopped = true }
	if _, cmd := m.Update(keyPress("y")); cmd != nil || !stopped {
		t.Fatalf("yes: stopped %v, cmd %v; want the export stopped and no quit before it reports", stopped, cmd != nil)
	}
	_, cmd := m.Update(done)
	if cmd == nil || fmt.Sprintf("%T", cmd()) != "tea.QuitMsg" {
		t.Fatal("the screen did not quit once the export had stopped")
	}
	if f := m.Farewell(); !strings.Contains(f, "wrote 1 file (1 event) to "+dir) {
		t.Errorf("farewell %q does not say what was written", f)
	}
}

func TestQuitQuestionNoKeepsExporting(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	_, done := runExport(t, m, export.JSONL, filepath.Join(t.TempDir(), "out"))
	press(m, "q", "n")
	if m.dialog != nil || m.quitting || m.exporting == nil {
		t.Fatalf("no: dialog %T, quitting %v", m.dialog, m.quitting)
	}
	press(m, "q")
	if _, cmd := m.Update(done); cmd != nil || m.dialog != nil {
		t.Error("the question outlived the export it asked about")
	}
}

func TestCtrlCDuringAnExportSaysItStopped(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	dir := filepath.Join(t.TempDir(), "out")
	runExport(t, m, export.JSONL, dir)
	if _, cmd := m.Update(keyPress("ctrl+c")); cmd == nil {
		t.Fatal("ctrl+c did not quit")
	}
	if f := m.Farewell(); !strings.Contains(f, "quit during an export to "+dir+": it was stopped") {
		t.Errorf("farewell %q", f)
	}
}

func TestExportDialogExpandsHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	m, _, _ := populated(t, 160, 48)
	_, done := runExport(t, m, export.JSONL, "~/bug-1234")
	m.Update(done)
	if _, err := os.Stat(filepath.Join(home, "bug-1234", "events.jsonl")); err != nil {
		t.Errorf("~ was not the home directory: %v; footer %s", err, footer(m))
	}
	if _, err := os.Stat("~"); err == nil {
		t.Error("the export made a directory called ~")
	}
}

func TestExpandHome(t *testing.T) {
	for in, want := range map[string]string{"~": "/home/me", "~/a/b": "/home/me/a/b", "/x/~": "/x/~", "~other/x": "~other/x", "rel": "rel"} {
		if got, err := expandHome(in, "/home/me"); err != nil || got != want {
			t.Errorf("expandHome(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := expandHome("~/x", ""); err == nil {
		t.Error("~ with no home directory known expanded anyway")
	}
}
