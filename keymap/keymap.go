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
	FilterRun      Action = "filter-run"
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
	ViewRun     Action = "view-run"
	ViewFields  Action = "view-fields"
	ViewReview  Action = "view-review"
	NextView    Action = "view-next"
	PrevView    Action = "view-prev"
	ScrollUp    Action = "scroll-up"
	ScrollDown  Action = "scroll-down"
	Open        Action = "open"
	Zoom        Action = "zoom"
	Unzoom      Action = "unzoom"
	Fold        Action = "fold"
	FoldAll     Action = "fold-all"
	MatchNext   Action = "match-next"
	MatchPrev   Action = "match-prev"
	Wrap        Action = "wrap"
	ScrollLeft  Action = "scroll-left"
	ScrollRight Action = "scroll-right"

	Mark        Action = "mark"
	MarkShown   Action = "mark-shown"
	ClearMarks  Action = "unmark-all"
	Export      Action = "export"
	CopyPayload Action = "copy-payload"
	CopyCurl    Action = "copy-curl"
	CopyValue   Action = "copy-value"
	DiffMarked  Action = "diff-marked"
	DiffClose   Action = "diff-close"

	OpenDashboard Action = "open-dashboard"
	OpenEditor    Action = "open-editor"
	CopyPath      Action = "copy-path"

	Answer         Action = "answer"
	Replay         Action = "replay"
	ReplayVerbatim Action = "replay-verbatim"
	FetchLink      Action = "fetch-link"
)

// The actions of the event-type picker.
const (
	PickerToggle Action = "picker-toggle"
	PickerApply  Action = "picker-apply"
	PickerAll    Action = "picker-all"
	PickerNone   Action = "picker-none"
	Cancel       Action = "cancel"
)

// The actions of the text filter's input, the export dialog, a running
// export, the replay prompt and the question asked when quitting during an
// export. The dialogs with a text input bind no printable key by default:
// those type into the input.
const (
	FilterKeep    Action = "filter-keep"
	FilterClear   Action = "filter-clear"
	ExportWrite   Action = "export-write"
	FormatNext    Action = "format-next"
	FormatPrev    Action = "format-prev"
	ExportCancel  Action = "export-cancel"
	ExportStop    Action = "export-stop"
	ReplaySend    Action = "replay-send"
	ReplayCancel  Action = "replay-cancel"
	QuitAnyway    Action = "quit-anyway"
	KeepExporting Action = "keep-exporting"
)

// Scope says where a binding is active. Two actions may share a key only
// when their scopes differ: the picker's space is not the main screen's.
// The screen looks a key up in the scopes that apply, narrowest first, so a
// binding of ScopePane or ScopeExporting shadows the main screen's.
type Scope uint8

// The scopes.
const (
	ScopeMain      Scope = iota // the list and payload pane
	ScopePane                   // the payload pane while it has focus, before ScopeMain
	ScopeExporting              // while an export runs, before ScopeMain
	ScopeFilter                 // the text filter's input
	ScopePicker                 // the event-type picker
	ScopeExport                 // the export dialog
	ScopeReplay                 // the replay prompt
	ScopeHelp                   // the help screen
	ScopeQuit                   // the question asked when quitting during an export
	ScopeZoom                   // while the pane is zoomed, before ScopePane
	ScopeField                  // the detail of a field (enter in the Fields view)
	ScopeDiff                   // while the Review view shows the diff of two marked events, before ScopePane
)

// String names the scope as the help screen and error messages do.
func (s Scope) String() string {
	switch s {
	case ScopePane:
		return "payload pane"
	case ScopeExporting:
		return "running export"
	case ScopeFilter:
		return "text filter"
	case ScopePicker:
		return "type picker"
	case ScopeExport:
		return "export dialog"
	case ScopeReplay:
		return "replay prompt"
	case ScopeHelp:
		return "help screen"
	case ScopeQuit:
		return "quit question"
	case ScopeZoom:
		return "zoomed pane"
	case ScopeField:
		return "field detail"
	case ScopeDiff:
		return "marked-events diff"
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
	SectionInput      Section = "Text filter input"
	SectionPicker     Section = "Type picker"
	SectionExport     Section = "Export dialog and running exports"
	SectionReplay     Section = "Replay prompt"
	SectionField      Section = "Field detail"
	SectionHelp       Section = "Help screen"
)

// Sections lists the help sections in display order.
func Sections() []Section {
	return []Section{SectionGeneral, SectionNavigation, SectionFilters, SectionPayload, SectionMarks, SectionForward,
		SectionInput, SectionPicker, SectionExport, SectionReplay, SectionField, SectionHelp}
}

// Binding is one action with its keys and help text.
type Binding struct {
	Action  Action
	Scope   Scope
	Section Section
	// Short is what a hint line says after the key ("? help"); empty for a
	// binding no hint names.
	Short string
	key.Binding
}

// Hint is one entry of a hint line: the keys and what they do.
type Hint struct{ Key, Text string }

// KeyMap is a complete set of bindings. The zero value has none; start from
// DefaultKeyMap.
type KeyMap struct {
	bindings []Binding
}

// DefaultKeyMap returns the bindings the screen ships with.
func DefaultKeyMap() KeyMap {
	b := func(a Action, sc Scope, sec Section, short, help string, keys ...string) Binding {
		return Binding{Action: a, Scope: sc, Section: sec, Short: short,
			Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), help))}
	}
	const m, pane, p = ScopeMain, ScopePane, ScopePicker
	return KeyMap{bindings: []Binding{
		b(Help, m, SectionGeneral, "help", "show every key", "?"),
		b(Quit, m, SectionGeneral, "quit", "quit (asks during an export)", "q", "ctrl+c"),
		b(Focus, m, SectionGeneral, "", "switch focus: list ↔ pane", "tab"),
		b(OpenDashboard, m, SectionGeneral, "", "open the run in the dashboard", "O"),
		b(OpenEditor, m, SectionGeneral, "", "open the payload in $EDITOR", "E"),

		b(Up, m, SectionNavigation, "", "previous row", "up", "k"),
		b(Down, m, SectionNavigation, "", "next row", "down", "j"),
		b(PageUp, m, SectionNavigation, "", "page up", "pgup", "ctrl+b"),
		b(PageDown, m, SectionNavigation, "", "page down", "pgdown", "ctrl+f"),
		b(Top, m, SectionNavigation, "", "first row", "home", "g"),
		b(Bottom, m, SectionNavigation, "", "last row", "end", "G"),
		b(Follow, m, SectionNavigation, "follow", "follow the newest delivery", "F"),
		b(Order, m, SectionNavigation, "", "oldest / newest first", "o"),

		b(Filter, m, SectionFilters, "filter", "filter by text, payload too", "/"),
		b(Types, m, SectionFilters, "types", "pick event types", "t"),
		b(FailuresOnly, m, SectionFilters, "failures", "failures only", "f"),
		b(UnverifiedOnly, m, SectionFilters, "", "unverified signatures only", "u"),
		b(FilterRun, m, SectionFilters, "", "only this run (again: all)", "i"),
		b(ClearFilters, m, SectionFilters, "clears", "clear every filter", "esc"),
		b(AllCategories, m, SectionFilters, "", "every category", "0"),
		b(Workflow, m, SectionFilters, "", "workflow runs only", "1"),
		b(ProcessorRuns, m, SectionFilters, "", "processor runs only", "2"),
		b(Global, m, SectionFilters, "", "global (lifecycle) only", "3"),
		b(Unknown, m, SectionFilters, "", "unknown events only", "4"),

		b(ViewPayload, m, SectionPayload, "", "payload (highlighted JSON)", "p"),
		b(ViewHeaders, m, SectionPayload, "", "request line and headers", "h"),
		b(ViewRaw, m, SectionPayload, "", "raw bytes, controls escaped", "w"),
		b(ViewSummary, m, SectionPayload, "", "summary: what matters", "s"),
		b(ViewRun, m, SectionPayload, "", "run: one line per event of it", "T"),
		b(ViewFields, m, SectionPayload, "", "output fields, confidences", "x"),
		b(ViewReview, m, SectionPayload, "", "review: old → new", "d"),
		b(NextView, m, SectionPayload, "view", "next view", "right", "v"),
		b(PrevView, m, SectionPayload, "", "previous view", "left"),
		b(ScrollUp, m, SectionPayload, "", "scroll the payload up ½ page", "ctrl+u", "K"),
		b(ScrollDown, m, SectionPayload, "", "scroll the payload down ½ page", "ctrl+d", "J"),
		b(Up, pane, SectionPayload, "", "move the focused pane's cursor up a line", "up", "k"),
		b(Down, pane, SectionPayload, "", "move the focused pane's cursor down a line", "down", "j"),
		b(PageUp, pane, SectionPayload, "", "move the focused pane's cursor up a page", "pgup", "ctrl+b"),
		b(PageDown, pane, SectionPayload, "", "move the focused pane's cursor down a page", "pgdown", "ctrl+f"),
		b(Top, pane, SectionPayload, "", "the cursor to the top of the focused pane", "home", "g"),
		b(Bottom, pane, SectionPayload, "", "the cursor to the end of the focused pane", "end", "G"),
		b(Zoom, m, SectionPayload, "zoom", "zoom the payload pane", "enter"),
		b(Unzoom, ScopeZoom, SectionPayload, "unzoom", "leave the zoom (list back)", "esc"),
		b(Open, pane, SectionPayload, "open", "open the line at the cursor", "enter"),
		b(Fold, pane, SectionPayload, "fold", "fold / unfold at the cursor", "z"),
		b(FoldAll, pane, SectionPayload, "", "fold below level 2 / unfold", "Z"),
		b(MatchNext, m, SectionPayload, "", "next match (then next event)", "n"),
		b(MatchPrev, m, SectionPayload, "", "previous match", "N"),
		b(Wrap, m, SectionPayload, "", "wrap long lines, or not", "W"),
		b(ScrollLeft, m, SectionPayload, "", "scroll left (not wrapping)", "<"),
		b(ScrollRight, m, SectionPayload, "", "scroll right (not wrapping)", ">"),

		b(Mark, m, SectionMarks, "", "mark / unmark, move down", "space"),
		b(MarkShown, m, SectionMarks, "", "mark every event shown", "V"),
		b(ClearMarks, m, SectionMarks, "", "clear the marks", "U"),
		b(Export, m, SectionMarks, "export", "export marked (or selected)", "e"),
		b(CopyPayload, m, SectionMarks, "", "copy the payload (pretty)", "y"),
		b(CopyCurl, m, SectionMarks, "", "copy a curl that replays it", "Y"),
		b(CopyValue, m, SectionMarks, "", "copy the value at the cursor", "c"),
		b(CopyPath, pane, SectionMarks, "", "copy the path at the cursor", "P"),
		b(DiffMarked, m, SectionMarks, "", "diff the two marked events", "D"),
		b(DiffClose, ScopeDiff, SectionMarks, "", "leave the diff", "esc"),

		b(Answer, m, SectionForward, "", "answer: 200, 500, 429, slow", "a"),
		b(Replay, m, SectionForward, "replay", "replay to the app, re-signed", "r"),
		b(ReplayVerbatim, m, SectionForward, "", "replay the exact bytes", "R"),
		b(FetchLink, m, SectionForward, "", "fetch the signed link", "L"),

		b(FilterKeep, ScopeFilter, SectionInput, "keep", "keep the filter, close input", "enter"),
		b(FilterClear, ScopeFilter, SectionInput, "clear", "clear the filter, close input", "esc"),

		b(Up, p, SectionPicker, "", "previous type", "up", "k"),
		b(Down, p, SectionPicker, "", "next type", "down", "j"),
		b(PickerToggle, p, SectionPicker, "select", "select / unselect the type", "space", "x"),
		b(PickerAll, p, SectionPicker, "all seen", "select every type seen", "a"),
		b(PickerNone, p, SectionPicker, "none", "unselect every type", "n"),
		b(PickerApply, p, SectionPicker, "apply", "apply the selection", "enter"),
		b(Cancel, p, SectionPicker, "cancel", "close, filter unchanged", "esc", "q"),

		b(FormatPrev, ScopeExport, SectionExport, "previous format", "the previous format", "up", "shift+tab"),
		b(FormatNext, ScopeExport, SectionExport, "next format", "the next format", "down", "tab"),
		b(ExportWrite, ScopeExport, SectionExport, "write", "write the export", "enter"),
		b(ExportCancel, ScopeExport, SectionExport, "cancel", "close without writing", "esc"),
		b(ExportStop, ScopeExporting, SectionExport, "stop", "stop the export (keeps files)", "esc"),
		b(QuitAnyway, ScopeQuit, SectionExport, "quit", "quit: stop the export first", "y"),
		b(KeepExporting, ScopeQuit, SectionExport, "keep exporting", "keep exporting", "n", "esc"),

		b(ReplaySend, ScopeReplay, SectionReplay, "send", "send to the URL typed", "enter"),
		b(ReplayCancel, ScopeReplay, SectionReplay, "cancel", "close without sending", "esc"),

		b(Up, ScopeField, SectionField, "up", "scroll the field's detail up a line", "up", "k"),
		b(Down, ScopeField, SectionField, "down", "scroll the field's detail down a line", "down", "j"),
		b(PageUp, ScopeField, SectionField, "", "scroll the field's detail up a page", "pgup", "ctrl+b"),
		b(PageDown, ScopeField, SectionField, "", "scroll the field's detail down a page", "pgdown", "ctrl+f"),
		b(CopyValue, ScopeField, SectionField, "copy", "copy the field's full value", "c"),

		b(Up, ScopeHelp, SectionHelp, "up", "scroll up a line", "up", "k"),
		b(Down, ScopeHelp, SectionHelp, "down", "scroll down a line", "down", "j"),
		b(PageUp, ScopeHelp, SectionHelp, "page up", "scroll up a page", "pgup", "ctrl+b"),
		b(PageDown, ScopeHelp, SectionHelp, "page down", "scroll down a page", "pgdown", "ctrl+f"),
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

// Keys is how the keys of action a in scope sc are shown ("q/ctrl+c"), or
// "" when it has none: what hints and prose name, so a rebinding shows.
func (km KeyMap) Keys(sc Scope, a Action) string {
	if b, ok := km.Binding(sc, a); ok && b.Enabled() {
		return b.Help().Key
	}
	return ""
}

// Hints returns the hint line entries of actions in scope sc, in the order
// given, leaving out an action without keys there.
func (km KeyMap) Hints(sc Scope, actions ...Action) []Hint {
	out := make([]Hint, 0, len(actions))
	for _, a := range actions {
		b, ok := km.Binding(sc, a)
		if !ok || !b.Enabled() {
			continue
		}
		text := b.Short
		if text == "" {
			text = b.Help().Desc
		}
		out = append(out, Hint{Key: b.Help().Key, Text: text})
	}
	return out
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
