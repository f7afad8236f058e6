// Package keymap holds every key binding of the inspector screen as data:
// an action name, the keys that trigger it, the help text and the help
// section it belongs to. Users rebind actions by name in a config file (see
// Load); the screen reads bindings only through a KeyMap value, never from a
// package global, so tests and future config reloads stay independent.
package keymap

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Action is the stable name of something the screen can do. Action names are
// a public interface: they are what users write in the keys config file.
type Action string

// The actions of the main screen.
const (
	Quit Action = "quit"
	Help Action = "help"

	Up       Action = "up"
	Down     Action = "down"
	PageUp   Action = "page-up"
	PageDown Action = "page-down"
	Top      Action = "top"
	Bottom   Action = "bottom"
	Follow   Action = "follow"
	Order    Action = "order"
	Focus    Action = "focus"

	Filter         Action = "filter"
	Types          Action = "types"
	FailuresOnly   Action = "failures"
	UnverifiedOnly Action = "unverified"
	ClearFilters   Action = "clear"
	AllCategories  Action = "category-all"
	Workflow       Action = "category-workflow"
	ProcessorRuns  Action = "category-processor-run"
	Global         Action = "category-global"
	Unknown        Action = "category-unknown"

	ViewPayload Action = "view-payload"
	ViewHeaders Action = "view-headers"
	ViewRaw     Action = "view-raw"
	ViewSummary Action = "view-summary"
	NextView    Action = "view-next"
	PrevView    Action = "view-prev"
	ScrollUp    Action = "scroll-up"
	ScrollDown  Action = "scroll-down"

	Mark        Action = "mark"
	MarkShown   Action = "mark-shown"
	ClearMarks  Action = "unmark-all"
	Export      Action = "export"
	CopyPayload Action = "copy-payload"
	CopyCurl    Action = "copy-curl"

	Answer         Action = "answer"
	Replay         Action = "replay"
	ReplayVerbatim Action = "replay-verbatim"
)

// The actions of the event-type picker.
const (
	PickerToggle Action = "picker-toggle"
	PickerApply  Action = "picker-apply"
	PickerAll    Action = "picker-all"
	PickerNone   Action = "picker-none"
	Cancel       Action = "cancel"
)

// Scope says where a binding is active. Two actions may share a key only
// when their scopes differ: the picker's space is not the main screen's.
type Scope uint8

// The scopes, from the widest.
const (
	ScopeMain   Scope = iota // the list and payload pane
	ScopePicker              // the event-type picker
)

// String names the scope as the help screen and error messages do.
func (s Scope) String() string {
	switch s {
	case ScopePicker:
		return "type picker"
	default:
		return "main screen"
	}
}

// Section is the heading a binding is listed under in the help screen.
type Section string

// The help sections, in display order.
const (
	SectionGeneral    Section = "General"
	SectionNavigation Section = "Navigation"
	SectionFilters    Section = "Filters"
	SectionPayload    Section = "Payload pane"
	SectionMarks      Section = "Marks, export, copy"
	SectionForward    Section = "Forwarding and replay"
	SectionPicker     Section = "Type picker"
)

// Sections lists the help sections in display order.
func Sections() []Section {
	return []Section{SectionGeneral, SectionNavigation, SectionFilters, SectionPayload, SectionMarks, SectionForward, SectionPicker}
}

// Binding is one action with its keys and help text.
type Binding struct {
	Action  Action
	Scope   Scope
	Section Section
	// Hint marks the few bindings the one-line hint bar shows.
	Hint bool
	key.Binding
}

// KeyMap is a complete set of bindings. The zero value has none; start from
// DefaultKeyMap.
type KeyMap struct {
	bindings []Binding
}

// DefaultKeyMap returns the bindings the screen ships with.
func DefaultKeyMap() KeyMap {
	b := func(a Action, sc Scope, sec Section, hint bool, help string, keys ...string) Binding {
		return Binding{Action: a, Scope: sc, Section: sec, Hint: hint,
			Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), help))}
	}
	const m, p = ScopeMain, ScopePicker
	return KeyMap{bindings: []Binding{
		b(Help, m, SectionGeneral, true, "show every key", "?"),
		b(Quit, m, SectionGeneral, true, "quit", "q", "ctrl+c"),
		b(Focus, m, SectionGeneral, false, "switch focus between list and payload", "tab"),

		b(Up, m, SectionNavigation, false, "previous row (or scroll the focused payload)", "up", "k"),
		b(Down, m, SectionNavigation, false, "next row (or scroll the focused payload)", "down", "j"),
		b(PageUp, m, SectionNavigation, false, "page up", "pgup", "ctrl+b"),
		b(PageDown, m, SectionNavigation, false, "page down", "pgdown", "ctrl+f"),
		b(Top, m, SectionNavigation, false, "first row", "home", "g"),
		b(Bottom, m, SectionNavigation, false, "last row", "end", "G"),
		b(Follow, m, SectionNavigation, true, "follow the newest delivery", "F"),
		b(Order, m, SectionNavigation, false, "oldest-first / newest-first", "o"),

		b(Filter, m, SectionFilters, true, "filter by text (type, ids, status, payload)", "/"),
		b(Types, m, SectionFilters, true, "pick event types", "t"),
		b(FailuresOnly, m, SectionFilters, true, "failures only (*.failed, rejected, cancelled)", "f"),
		b(UnverifiedOnly, m, SectionFilters, false, "unverified signatures only", "u"),
		b(ClearFilters, m, SectionFilters, false, "clear every filter", "esc"),
		b(AllCategories, m, SectionFilters, false, "every category", "0"),
		b(Workflow, m, SectionFilters, false, "workflow runs only", "1"),
		b(ProcessorRuns, m, SectionFilters, false, "processor runs only", "2"),
		b(Global, m, SectionFilters, false, "global (lifecycle) events only", "3"),
		b(Unknown, m, SectionFilters, false, "unknown events only", "4"),

		b(ViewPayload, m, SectionPayload, false, "payload (highlighted JSON)", "p"),
		b(ViewHeaders, m, SectionPayload, false, "request line and headers", "h"),
		b(ViewRaw, m, SectionPayload, false, "raw bytes, control bytes escaped", "w"),
		b(ViewSummary, m, SectionPayload, false, "summary: what matters for Extend", "s"),
		b(NextView, m, SectionPayload, true, "next view", "right", "v"),
		b(PrevView, m, SectionPayload, false, "previous view", "left"),
		b(ScrollUp, m, SectionPayload, false, "scroll the payload up", "ctrl+u", "K"),
		b(ScrollDown, m, SectionPayload, false, "scroll the payload down", "ctrl+d", "J"),

		b(Mark, m, SectionMarks, false, "mark or unmark the event (and move down)", "space"),
		b(MarkShown, m, SectionMarks, false, "mark every event the filters show", "V"),
		b(ClearMarks, m, SectionMarks, false, "clear the marks", "U"),
		b(Export, m, SectionMarks, false, "export the marked events (or the selected one)", "e"),
		b(CopyPayload, m, SectionMarks, false, "copy the payload (pretty JSON) to the clipboard", "y"),
		b(CopyCurl, m, SectionMarks, false, "copy a curl command that replays the event, re-signed", "Y"),

		b(Answer, m, SectionForward, false, "cycle the receiver's answer: 200, 500, 429, slow (35 s)", "a"),
		b(Replay, m, SectionForward, false, "replay the event to the app, re-signed with a fresh timestamp", "r"),
		b(ReplayVerbatim, m, SectionForward, false, "replay the exact original bytes and headers", "R"),

		b(Up, p, SectionPicker, false, "previous type", "up", "k"),
		b(Down, p, SectionPicker, false, "next type", "down", "j"),
		b(PickerToggle, p, SectionPicker, false, "select or unselect the type", "space", "x"),
		b(PickerAll, p, SectionPicker, false, "select every type with events", "a"),
		b(PickerNone, p, SectionPicker, false, "unselect every type", "n"),
		b(PickerApply, p, SectionPicker, false, "apply the selection", "enter"),
		b(Cancel, p, SectionPicker, false, "close without changing the filter", "esc", "q"),
	}}
}

// helpKeys formats keys for the help column, e.g. "k/up".
func helpKeys(keys []string) string {
	shown := make([]string, len(keys))
	for i, k := range keys {
		shown[i] = displayKey(k)
	}
	return strings.Join(shown, "/")
}

func displayKey(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	}
	return k
}

// Bindings returns every binding in help order. The slice is a copy.
func (km KeyMap) Bindings() []Binding { return slices.Clone(km.bindings) }

// Binding returns the binding of action a in scope sc.
func (km KeyMap) Binding(sc Scope, a Action) (Binding, bool) {
	for _, b := range km.bindings {
		if b.Scope == sc && b.Action == a {
			return b, true
		}
	}
	return Binding{}, false
}

// Lookup returns the action a keystroke (as tea.KeyPressMsg.String() gives
// it) triggers in scope sc.
func (km KeyMap) Lookup(sc Scope, keystroke string) (Action, bool) {
	for _, b := range km.bindings {
		if b.Scope == sc && b.Enabled() && slices.Contains(b.Keys(), keystroke) {
			return b.Action, true
		}
	}
	return "", false
}

// Rebind replaces the keys of action a in every scope that has it. An
// unknown action or an invalid key name is an error that names it.
func (km *KeyMap) Rebind(a Action, keys ...string) error {
	if len(keys) == 0 {
		return fmt.Errorf("action %q: give at least one key", a)
	}
	for _, k := range keys {
		if err := ValidKey(k); err != nil {
			return fmt.Errorf("action %q: %w", a, err)
		}
	}
	found := false
	for i := range km.bindings {
		b := &km.bindings[i]
		if b.Action == a {
			b.SetKeys(keys...)
			b.SetHelp(helpKeys(keys), b.Help().Desc)
			found = true
		}
	}
	if !found {
		return fmt.Errorf("unknown action %q (known actions: %s)", a, strings.Join(km.actionNames(), ", "))
	}
	return nil
}

func (km KeyMap) actionNames() []string {
	var names []string
	for _, b := range km.bindings {
		if !slices.Contains(names, string(b.Action)) {
			names = append(names, string(b.Action))
		}
	}
	return names
}

// Validate reports a key bound to two actions of one scope.
func (km KeyMap) Validate() error {
	type slot struct {
		scope Scope
		key   string
	}
	owner := map[slot]Action{}
	for _, b := range km.bindings {
		for _, k := range b.Keys() {
			s := slot{b.Scope, k}
			if prev, taken := owner[s]; taken && prev != b.Action {
				return fmt.Errorf("key %q is bound to both %q and %q on the %s", k, prev, b.Action, b.Scope)
			}
			owner[s] = b.Action
		}
	}
	return nil
}
