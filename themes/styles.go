package themes

import (
	"image/color"
	"reflect"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// Styles are the lipgloss styles the screen draws with, by role, and the
// chroma style of the payload.
type Styles struct {
	Theme string // the theme's name: part of every render cache key
	Roles[lipgloss.Style]
	// Chroma highlights the payload.
	Chroma *chroma.Style
}

// Roles names every style of the screen by its role. T is how a role is
// drawn: a lipgloss.Style here; the screen turns each into a cheaper form
// of its own with MapRoles, so this list is the only one there is.
type Roles[T any] struct {
	Text    T
	Dim     T
	Warning T // e.g. signatures not verified, events missed, a failed export

	Heading      T // category heading
	HeadingCount T
	Time         T
	Selected     T // the selected row while the list has focus
	SelectedIdle T // the selected row while the payload has focus
	Repeat       T // the repeated-delivery marker
	Marked       T // the mark of a marked row, and the header's count

	// Outcome colours an event type by how it ended.
	Success   T
	Failure   T
	Attention T
	Neutral   T

	// Badges of the verification outcomes.
	Verified  T
	Invalid   T
	Stale     T
	Malformed T
	Missing   T
	Unchecked T

	Separator  T // the rule between panes
	Tab        T // a payload view's name
	TabActive  T // the current view while the pane has focus
	TabCurrent T // the current view while the list has focus
	Escape     T // a control byte shown as a visible escape
	Label      T // labels in the summary and the dialogs
	Link       T
	Key        T // a key in the help and the hint lines; the app's name
	Prompt     T // the filter prompt
	Match      T // a text-filter match inside the payload pane
	Cursor     T // the payload pane's cursor line
}

// MapRoles returns the roles with f applied to each. Every field of Roles
// is a T, so the fields are walked rather than listed again.
func MapRoles[T, U any](r Roles[T], f func(T) U) Roles[U] {
	var out Roles[U]
	in, to := reflect.ValueOf(r), reflect.ValueOf(&out).Elem()
	for i := range in.NumField() {
		to.Field(i).Set(reflect.ValueOf(f(in.Field(i).Interface().(T))))
	}
	return out
}

// Styles builds the theme's styles. Call it once per screen; it allocates.
func (t Theme) Styles() Styles {
	p := t.Palette
	fg := func(c color.Color) lipgloss.Style {
		s := lipgloss.NewStyle()
		if c != nil {
			s = s.Foreground(c)
		}
		return s
	}
	mono := p.Selection == nil
	selected := lipgloss.NewStyle().Bold(true)
	idle := lipgloss.NewStyle()
	if mono {
		selected = selected.Reverse(true)
		idle = idle.Underline(true)
	} else {
		selected = selected.Background(p.Selection).Foreground(p.Text)
		idle = idle.Background(p.Border)
	}
	failure := fg(p.Failure)
	attention := fg(p.Attention)
	if mono {
		// Without colour, weight and underline tell the outcomes apart.
		failure = failure.Bold(true)
		attention = attention.Underline(true)
	}
	return Styles{Theme: t.Name, Chroma: t.ChromaStyle(), Roles: Roles[lipgloss.Style]{
		Text:         fg(p.Text),
		Dim:          fg(p.Dim).Faint(mono),
		Warning:      fg(p.Failure).Bold(true),
		Heading:      fg(p.Heading).Bold(true),
		HeadingCount: fg(p.Dim),
		Time:         fg(p.Dim),
		Selected:     selected,
		SelectedIdle: idle,
		Repeat:       attention,
		Marked:       fg(p.Accent).Bold(true),
		Success:      fg(p.Success),
		Failure:      failure,
		Attention:    attention,
		Neutral:      fg(p.Neutral),
		Verified:     fg(p.Success),
		Invalid:      failure.Bold(true),
		Stale:        attention,
		Malformed:    failure,
		Missing:      attention,
		Unchecked:    fg(p.Dim),
		Separator:    fg(p.Border),
		Tab:          fg(p.Dim),
		TabActive:    fg(p.Accent).Bold(true).Underline(true),
		TabCurrent:   fg(p.Text).Bold(true).Underline(true),
		Escape:       fg(p.Escape).Bold(mono),
		Label:        fg(p.Dim),
		Link:         fg(p.Accent).Underline(true),
		Key:          fg(p.Accent).Bold(true),
		Prompt:       fg(p.Accent).Bold(true),
		Match:        lipgloss.NewStyle().Reverse(true),
		Cursor:       selected, // the focused pane's cursor, as the focused list's selection
	}}
}
