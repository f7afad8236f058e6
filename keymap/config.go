package keymap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// ConfigFile is the name of the keys file inside the config directory.
const ConfigFile = "keys.json"

// DefaultPath is where Load looks when no path is given:
// $XDG_CONFIG_HOME/extend-inspect/keys.json, or the platform's equivalent
// (~/.config on Linux, ~/Library/Application Support on macOS).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config directory: %w", err)
	}
	return filepath.Join(dir, "extend-inspect", ConfigFile), nil
}

// Load returns DefaultKeyMap with the overrides of the JSON file at path
// applied. The file maps action names to a key or a list of keys:
//
//	{"quit": ["q", "ctrl+q"], "filter": "ctrl+f"}
//
// A missing file is not an error when optional is true (the default path
// need not exist); an unknown action, an invalid key, or a key bound twice
// in one scope is, and the message names the file and the culprit.
func Load(path string, optional bool) (KeyMap, error) {
	km := DefaultKeyMap()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && optional {
		return km, nil
	}
	if err != nil {
		return km, fmt.Errorf("read key bindings: %w", err)
	}
	if err := km.apply(data); err != nil {
		return km, fmt.Errorf("key bindings in %s: %w", path, err)
	}
	return km, nil
}

// apply decodes overrides and rebinds each action they name.
func (km *KeyMap) apply(data []byte) error {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("not a JSON object of action names to keys: %w", err)
	}
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	slices.Sort(names) // the first error reported does not depend on map order
	for _, name := range names {
		keys, err := decodeKeys(raw[name])
		if err != nil {
			return fmt.Errorf("action %q: %w", name, err)
		}
		if err := km.Rebind(Action(name), keys...); err != nil {
			return err
		}
	}
	return km.Validate()
}

func decodeKeys(raw json.RawMessage) ([]string, error) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("want a key name or a list of key names, got %s", raw)
	}
	return many, nil
}

// namedKeys are the key names Bubble Tea reports for keys that are not
// printable characters.
var namedKeys = []string{
	"enter", "tab", "backspace", "esc", "space", "up", "down", "left", "right",
	"insert", "delete", "pgup", "pgdown", "home", "end",
	"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
}

var modifiers = []string{"ctrl", "alt", "shift"}

// ValidKey checks a key name as written in the config file: a single
// printable character ("q", "?", "G"), a named key ("enter", "pgdown",
// "f5"), or either with modifiers ("ctrl+c", "alt+enter", "shift+tab").
func ValidKey(k string) error {
	rest := k
	for {
		mod, after, found := strings.Cut(rest, "+")
		if !found || !slices.Contains(modifiers, mod) || after == "" {
			break
		}
		rest = after
	}
	switch {
	case slices.Contains(namedKeys, rest):
		return nil
	case utf8.RuneCountInString(rest) == 1 && rest != " " && isPrintable(rest):
		return nil
	}
	return fmt.Errorf("invalid key %q (want a character such as \"q\", a named key such as %s, optionally after ctrl+, alt+ or shift+)",
		k, strings.Join([]string{"enter", "esc", "tab", "space", "up", "pgdown", "home", "f1"}, ", "))
}

func isPrintable(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r != utf8.RuneError && r > ' ' && r != 0x7f && !(r >= 0x80 && r < 0xa0)
}
