package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
)

// dialogKey is a binding of a dialog's scope, with how to open the dialog
// and how to tell that the action happened.
type dialogKey struct {
	scope  keymap.Scope
	action keymap.Action
	open   func(t *testing.T, m *Model)
	done   func(m *Model) bool
}

func openPicker(_ *testing.T, m *Model) { press(m, "t") }
func openExport(t *testing.T, m *Model) {
	m.cfg.ExportDir = filepath.Join(t.TempDir(), "out")
	press(m, "e")
}
func openReplay(_ *testing.T, m *Model) {
	m.cfg.Replayer = &fakeReplayer{store: nil, target: "http://127.0.0.1:3000/hook"}
	press(m, "r")
}
func openFilter(_ *testing.T, m *Model) {
	press(m, "/")
	typeText(m, "x")
}
func openHelp(_ *testing.T, m *Model) {
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 20})
	press(m, "?")
}
func startFakeExport(_ *testing.T, m *Model) *exportRun {
	run := &exportRun{total: 5, dir: "/tmp/out", cancel: func() {}, visible: true}
	m.exporting = run
	return run
}

// openShortDetail opens the detail of the first field of #2 (a
// workflow_run.completed) in a window too short for all of it.
func openShortDetail(t *testing.T, m *Model) {
	openFieldDetail(t, m, 2, 1)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 12})
}

func picker(m *Model) *typePicker     { p, _ := m.dialog.(*typePicker); return p }
func exportOf(m *Model) *exportDialog { d, _ := m.dialog.(*exportDialog); return d }
func helpOf(m *Model) *helpDialog     { d, _ := m.dialog.(*helpDialog); return d }

var dialogKeys = []dialogKey{
	{keymap.ScopeFilter, keymap.FilterKeep, openFilter, func(m *Model) bool { return !m.typing && m.list.text.text() == "x" }},
	{keymap.ScopeFilter, keymap.FilterClear, openFilter, func(m *Model) bool { return !m.typing && m.list.text.text() == "" }},

	{keymap.ScopePicker, keymap.Up, func(t *testing.T, m *Model) { openPicker(t, m); press(m, "j") },
		func(m *Model) bool { return picker(m) != nil && picker(m).cursor == 0 }},
	{keymap.ScopePicker, keymap.Down, openPicker, func(m *Model) bool { return picker(m) != nil && picker(m).cursor == 1 }},
	{keymap.ScopePicker, keymap.PickerToggle, openPicker, func(m *Model) bool { return picker(m) != nil && len(picker(m).chosen) == 1 }},
	{keymap.ScopePicker, keymap.PickerAll, openPicker, func(m *Model) bool { return picker(m) != nil && len(picker(m).chosen) == 10 }},
	{keymap.ScopePicker, keymap.PickerNone, func(t *testing.T, m *Model) { openPicker(t, m); press(m, "space") },
		func(m *Model) bool { return picker(m) != nil && len(picker(m).chosen) == 0 }},
	{keymap.ScopePicker, keymap.PickerApply, func(t *testing.T, m *Model) { openPicker(t, m); press(m, "space") },
		func(m *Model) bool { return m.dialog == nil && len(m.list.filt.types) == 1 }},
	{keymap.ScopePicker, keymap.Cancel, openPicker, func(m *Model) bool { return m.dialog == nil }},

	{keymap.ScopeExport, keymap.FormatPrev, openExport, func(m *Model) bool { return exportOf(m) != nil && exportOf(m).format == 0 }},
	{keymap.ScopeExport, keymap.FormatNext, openExport, func(m *Model) bool { return exportOf(m) != nil && exportOf(m).format == 2 }},
	{keymap.ScopeExport, keymap.ExportWrite, openExport, func(m *Model) bool { return m.dialog == nil && m.exporting != nil }},
	{keymap.ScopeExport, keymap.ExportCancel, openExport, func(m *Model) bool { return m.dialog == nil && m.exporting == nil }},

	{keymap.ScopeExporting, keymap.ExportStop, func(t *testing.T, m *Model) {
		run := startFakeExport(t, m)
		run.cancel = func() { run.total = -1 } // marks the stop
	}, func(m *Model) bool { return m.exporting != nil && m.exporting.total == -1 }},
	{keymap.ScopeQuit, keymap.QuitAnyway, func(t *testing.T, m *Model) { startFakeExport(t, m); press(m, "q") },
		func(m *Model) bool { return m.dialog == nil && m.quitting }},
	{keymap.ScopeQuit, keymap.KeepExporting, func(t *testing.T, m *Model) { startFakeExport(t, m); press(m, "q") },
		func(m *Model) bool { return m.dialog == nil && !m.quitting }},

	{keymap.ScopeReplay, keymap.ReplaySend, openReplay, func(m *Model) bool { return m.dialog == nil && strings.HasPrefix(m.status.text, "Replaying") }},
	{keymap.ScopeReplay, keymap.ReplayCancel, openReplay, func(m *Model) bool { return m.dialog == nil && m.status.text == "" }},

	{keymap.ScopeZoom, keymap.Unzoom, func(_ *testing.T, m *Model) { press(m, "enter") }, func(m *Model) bool { return !m.zoomed }},

	{keymap.ScopeField, keymap.Down, openShortDetail, func(m *Model) bool { return detailOf(m) != nil && detailOf(m).top == 1 }},
	{keymap.ScopeField, keymap.Up, func(t *testing.T, m *Model) { openShortDetail(t, m); press(m, "j", "j") },
		func(m *Model) bool { return detailOf(m) != nil && detailOf(m).top == 1 }},
	{keymap.ScopeField, keymap.PageDown, openShortDetail, func(m *Model) bool { return detailOf(m) != nil && detailOf(m).top > 1 }},
	{keymap.ScopeField, keymap.PageUp, func(t *testing.T, m *Model) { openShortDetail(t, m); press(m, "pgdown") },
		func(m *Model) bool { return detailOf(m) != nil && detailOf(m).top == 0 }},
	{keymap.ScopeField, keymap.CopyValue, openShortDetail,
		func(m *Model) bool { return detailOf(m) != nil && strings.HasPrefix(m.status.text, "copied #2's") }},

	{keymap.ScopeDiff, keymap.DiffClose, func(t *testing.T, m *Model) { diffTwo(t, m, 0, 1) },
		func(m *Model) bool { return m.compare == nil }},

	{keymap.ScopeHelp, keymap.Down, openHelp, func(m *Model) bool { return helpOf(m) != nil && helpOf(m).top == 1 }},
	{keymap.ScopeHelp, keymap.Up, func(t *testing.T, m *Model) { openHelp(t, m); press(m, "j", "j") },
		func(m *Model) bool { return helpOf(m) != nil && helpOf(m).top == 1 }},
	{keymap.ScopeHelp, keymap.PageDown, openHelp, func(m *Model) bool { return helpOf(m) != nil && helpOf(m).top > 1 }},
	{keymap.ScopeHelp, keymap.PageUp, func(t *testing.T, m *Model) { openHelp(t, m); press(m, "pgdown") },
		func(m *Model) bool { return helpOf(m) != nil && helpOf(m).top == 0 }},
}

// keyedModel is a populated screen whose keys come from a keys.json that
// rebinds action to fresh.
func keyedModel(t *testing.T, action keymap.Action, fresh string) *Model {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, []byte(`{"`+string(action)+`": "`+fresh+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := keymap.Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	m, s, g := newForwardModel(t, Config{Keys: keys})
	fill(t, s, g, mixedTypes...)
	pull(m)
	return m
}

// Rebinding any key a dialog reads, in keys.json, changes what the key does
// and every hint that names it.
func TestRebindingADialogKeyChangesBehaviourAndHints(t *testing.T) {
	const fresh = "ctrl+k"
	def := keymap.DefaultKeyMap()
	covered := map[keymap.Scope]map[keymap.Action]bool{}
	for _, c := range dialogKeys {
		b, ok := def.Binding(c.scope, c.action)
		if !ok {
			t.Fatalf("no binding of %q in the %s", c.action, c.scope)
		}
		if covered[c.scope] == nil {
			covered[c.scope] = map[keymap.Action]bool{}
		}
		covered[c.scope][c.action] = true
		t.Run(c.scope.String()+"/"+string(c.action), func(t *testing.T) {
			for _, old := range b.Keys() {
				m := keyedModel(t, c.action, fresh)
				c.open(t, m)
				if c.done(m) {
					t.Fatalf("the action happened before its key was pressed")
				}
				press(m, old)
				if c.done(m) {
					t.Errorf("the old key %s still does %q", old, c.action)
				}
			}
			m := keyedModel(t, c.action, fresh)
			c.open(t, m)
			sc := screen(m)
			if b.Short != "" {
				if !strings.Contains(sc, fresh+" "+b.Short) {
					t.Errorf("no hint %q:\n%s", fresh+" "+b.Short, sc)
				}
				if old := b.Help().Key + " " + b.Short; regexp.MustCompile(regexp.QuoteMeta(old) + `\b`).MatchString(sc) {
					t.Errorf("the hint still says %q:\n%s", old, sc)
				}
			}
			press(m, fresh)
			if !c.done(m) {
				t.Errorf("%s does not do %q", fresh, c.action)
			}
		})
	}
	for _, b := range def.Bindings() {
		if dialogScope(b.Scope) && !covered[b.Scope][b.Action] {
			t.Errorf("%q of the %s is not covered here", b.Action, b.Scope)
		}
	}
}

func dialogScope(sc keymap.Scope) bool { return sc != keymap.ScopeMain && sc != keymap.ScopePane }
