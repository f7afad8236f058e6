package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// Styles are the lipgloss styles the screen draws with, by role.
type Styles struct {
	Theme string // the theme's name: part of every render cache key

	Text lipgloss.Style
	Dim  lipgloss.Style
	Bold lipgloss.Style

	AppName   lipgloss.Style
	Following lipgloss.Style
	Paused    lipgloss.Style
	Warning   lipgloss.Style // e.g. signatures not verified, events missed

	Heading      lipgloss.Style // category heading
	HeadingCount lipgloss.Style
	Time         lipgloss.Style
	Selected     lipgloss.Style // the selected row while the list has focus
	SelectedIdle lipgloss.Style // the selected row while the payload has focus
	Repeat       lipgloss.Style // the repeated-delivery marker
	Marked       lipgloss.Style // the mark of a marked row, and the header's count

	// Outcome colours an event type by how it ended.
	Success   lipgloss.Style
	Failure   lipgloss.Style
	Attention lipgloss.Style
	Neutral   lipgloss.Style

	// Badges of the verification outcomes.
	Verified   lipgloss.Style
	Invalid    lipgloss.Style
	Stale      lipgloss.Style
	Malformed  lipgloss.Style
	Missing    lipgloss.Style
	Unchecked  lipgloss.Style
	Separator  lipgloss.Style // the rule between panes
	Tab        lipgloss.Style // a payload view's name
	TabActive  lipgloss.Style // the current view while the pane has focus
	TabCurrent lipgloss.Style // the current view while the list has focus
	Escape     lipgloss.Style // a control byte shown as a visible escape
	Label      lipgloss.Style // labels in the summary and the help
	Link       lipgloss.Style
	Key        lipgloss.Style // a key in the help and hint bar
	Prompt     lipgloss.Style // the filter prompt
	Box        lipgloss.Style // the frame of overlays
	Code       lipgloss.Style // commands to type, in the empty state

	// Chroma highlights the payload.
	Chroma *chroma.Style
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
	return Styles{
		Theme:        t.Name,
		Text:         fg(p.Text),
		Dim:          fg(p.Dim).Faint(mono),
		Bold:         fg(p.Text).Bold(true),
		AppName:      fg(p.Accent).Bold(true),
		Following:    fg(p.Success).Bold(true),
		Paused:       fg(p.Attention).Bold(true),
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
		Box:          lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(borderColour(p)).Padding(0, 1),
		Code:         fg(p.Accent).Bold(true),
		Chroma:       t.ChromaStyle(),
	}
}

func borderColour(p Palette) color.Color {
	if p.Border == nil {
		return lipgloss.NoColor{}
	}
	return p.Border
}
