package keymap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultKeyMapIsConsistent(t *testing.T) {
	km := DefaultKeyMap()
	if err := km.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, b := range km.Bindings() {
		if len(b.Keys()) == 0 || b.Help().Desc == "" || b.Section == "" {
			t.Errorf("binding %q lacks keys, help or section", b.Action)
		}
		for _, k := range b.Keys() {
			if err := ValidKey(k); err != nil {
				t.Errorf("default binding %q: %v", b.Action, err)
			}
		}
	}
}

func TestForwardingKeys(t *testing.T) {
	km := DefaultKeyMap()
	want := map[string]Action{"a": Answer, "r": Replay, "R": ReplayVerbatim}
	for k, a := range want {
		if got, _ := km.Lookup(ScopeMain, k); got != a {
			t.Errorf("key %q = %q, want %q", k, got, a)
		}
	}
}

func TestMarkAndExportKeys(t *testing.T) {
	km := DefaultKeyMap()
	want := map[string]Action{"space": Mark, "V": MarkShown, "U": ClearMarks, "e": Export, "y": CopyPayload, "Y": CopyCurl}
	for k, a := range want {
		if got, _ := km.Lookup(ScopeMain, k); got != a {
			t.Errorf("key %q = %q, want %q", k, got, a)
		}
	}
}

func TestLookupIsScoped(t *testing.T) {
	km := DefaultKeyMap()
	if a, _ := km.Lookup(ScopeMain, "esc"); a != ClearFilters {
		t.Errorf("esc on the main screen = %q, want %q", a, ClearFilters)
	}
	if a, _ := km.Lookup(ScopePicker, "esc"); a != Cancel {
		t.Errorf("esc in the picker = %q, want %q", a, Cancel)
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), ConfigFile)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadRebindsByActionName(t *testing.T) {
	km, err := Load(writeConfig(t, `{"quit": ["Q", "ctrl+q"], "filter": "ctrl+f", "page-down": "pgdown"}`), false)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := km.Lookup(ScopeMain, "ctrl+q"); a != Quit {
		t.Errorf("ctrl+q = %q, want quit", a)
	}
	if _, ok := km.Lookup(ScopeMain, "q"); ok {
		t.Error("q still bound after rebinding quit")
	}
	if b, _ := km.Binding(ScopeMain, Filter); b.Help().Key != "ctrl+f" {
		t.Errorf("help key of filter = %q, want the new key", b.Help().Key)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"unknown action": {`{"qiut": "q"}`, `unknown action "qiut"`},
		"bad key":        {`{"quit": "ctrl+"}`, `invalid key "ctrl+"`},
		"long key":       {`{"quit": "quit"}`, `invalid key "quit"`},
		"wrong type":     {`{"quit": 3}`, `want a key name or a list`},
		"empty list":     {`{"quit": []}`, `at least one key`},
		"not an object":  {`["quit"]`, `not a JSON object`},
		"conflict":       {`{"filter": "j"}`, `key "j" is bound to both`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := writeConfig(t, c.body)
			_, err := Load(path, false)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Load(%s) error = %v, want one naming the file and containing %q", c.body, err, c.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.json")
	if _, err := Load(path, true); err != nil {
		t.Errorf("optional missing file: %v", err)
	}
	if _, err := Load(path, false); err == nil {
		t.Error("a missing file given explicitly must be an error")
	}
}

func TestValidKey(t *testing.T) {
	for _, k := range []string{"q", "?", "G", "ctrl+c", "alt+enter", "shift+tab", "f5", "space", "ctrl+alt+x", "é"} {
		if err := ValidKey(k); err != nil {
			t.Errorf("ValidKey(%q) = %v", k, err)
		}
	}
	for _, k := range []string{"", " ", "ctrl", "hyper+q", "enterr", "\x1b", "ab"} {
		if ValidKey(k) == nil {
			t.Errorf("ValidKey(%q) accepted", k)
		}
	}
}

func TestDefaultPathIsUnderXDGConfigHome(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	path, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "extend-inspect", "keys.json"); path != want {
		t.Errorf("DefaultPath() = %q, want %q", path, want)
	}
}

// docs/keys.md documents every action by its name.
func TestEveryActionIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/keys.md")
	if err != nil {
		t.Skip("docs/keys.md not found beside the package")
	}
	for _, b := range DefaultKeyMap().Bindings() {
		if !strings.Contains(string(doc), "`"+string(b.Action)+"`") {
			t.Errorf("docs/keys.md does not mention action %q", b.Action)
		}
	}
}

// The example keys file in docs/keys.md loads as it is written there.
func TestDocumentedExampleLoads(t *testing.T) {
	doc, err := os.ReadFile("../docs/keys.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, found := strings.Cut(string(doc), "```json\n")
	example, _, closed := strings.Cut(rest, "```")
	if !found || !closed {
		t.Fatal("docs/keys.md has no ```json example")
	}
	km, err := Load(writeConfig(t, example), false)
	if err != nil {
		t.Fatalf("the documented example does not load: %v\n%s", err, example)
	}
	if a, _ := km.Lookup(ScopePicker, "A"); a != PickerAll {
		t.Errorf("A in the picker = %q, want %q as the example says", a, PickerAll)
	}
}

// Hints and the keys prose names follow a rebinding.
func TestHintsFollowRebinding(t *testing.T) {
	km := DefaultKeyMap()
	if got := km.Hints(ScopePicker, PickerAll, PickerApply); len(got) != 2 || got[0] != (Hint{"a", "all seen"}) || got[1] != (Hint{"enter", "apply"}) {
		t.Fatalf("default hints = %q", got)
	}
	if err := km.Rebind(PickerAll, "A", "ctrl+a"); err != nil {
		t.Fatal(err)
	}
	if got := km.Hints(ScopePicker, PickerAll); len(got) != 1 || got[0] != (Hint{"A/ctrl+a", "all seen"}) {
		t.Errorf("hints after rebinding = %q", got)
	}
	if got := km.Keys(ScopePicker, PickerAll); got != "A/ctrl+a" {
		t.Errorf("Keys = %q", got)
	}
	if got := km.Hints(ScopeMain, PickerAll); len(got) != 0 {
		t.Errorf("hints of an action outside its scope = %q", got)
	}
}

// Every scope has a name, for error messages and the docs.
func TestScopesHaveNames(t *testing.T) {
	seen := map[string]Scope{}
	for _, b := range DefaultKeyMap().Bindings() {
		name := b.Scope.String()
		if prev, ok := seen[name]; ok && prev != b.Scope {
			t.Errorf("scopes %d and %d are both called %q", prev, b.Scope, name)
		}
		seen[name] = b.Scope
	}
}
