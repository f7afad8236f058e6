// Package themes is the only place the inspector names a colour. A Theme is
// a palette plus the name of a chroma style for the payload; Styles turns it
// into the lipgloss styles the screen draws with. Nothing here is a package
// global the screen mutates: every caller builds its own Styles.
package themes

import (
	"embed"
	"fmt"
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// Palette names the colours of a theme by their role. A nil colour means
// "the terminal's own": the monochrome theme leaves them all nil and draws
// with bold, faint, underline and reverse video instead.
type Palette struct {
	Text      color.Color // ordinary text
	Dim       color.Color // secondary text: times, counts, help descriptions
	Accent    color.Color // the app name, keys in help, the focused pane's title
	Heading   color.Color // category headings
	Success   color.Color // processed, completed, verified
	Failure   color.Color // failed, invalid signatures, errors
	Attention color.Color // needs_review, rejected, cancelled, stale signatures
	Neutral   color.Color // lifecycle events
	Selection color.Color // background of the selected row
	Border    color.Color // separators between panes
	Escape    color.Color // control bytes shown as visible escapes
	// Background is the terminal background the theme is made for. It is
	// never painted (the terminal's own shows through), but every colour of
	// the payload is made legible on it (see ChromaStyle).
	Background color.Color
}

// Theme is a named palette and the chroma style that highlights JSON with it.
type Theme struct {
	Name        string
	Description string
	Palette     Palette
	// Chroma names a style in chroma's registry; TestChromaStylesExist keeps
	// the names honest, since chroma silently falls back on an unknown one.
	Chroma string
}

// The theme names.
const (
	Dark         = "dark"
	Light        = "light"
	HighContrast = "high-contrast"
	Mono         = "mono"
)

// All returns every theme, the default first.
func All() []Theme {
	return []Theme{
		{
			Name: Dark, Description: "for dark terminals (the default when the terminal does not say)", Chroma: "github-dark",
			Palette: Palette{
				Text: lipgloss.Color("#d0d7de"), Dim: lipgloss.Color("#8b949e"), Accent: lipgloss.Color("#79c0ff"),
				Heading: lipgloss.Color("#d2a8ff"), Success: lipgloss.Color("#56d364"), Failure: lipgloss.Color("#ff7b72"),
				Attention: lipgloss.Color("#e3b341"), Neutral: lipgloss.Color("#a5d6ff"), Selection: lipgloss.Color("#264f78"),
				Border: lipgloss.Color("#484f58"), Escape: lipgloss.Color("#ffa657"), Background: lipgloss.Color("#0d1117"),
			},
		},
		{
			Name: Light, Description: "for light terminals", Chroma: "github",
			Palette: Palette{
				Text: lipgloss.Color("#1f2328"), Dim: lipgloss.Color("#656d76"), Accent: lipgloss.Color("#0550ae"),
				Heading: lipgloss.Color("#8250df"), Success: lipgloss.Color("#1a7f37"), Failure: lipgloss.Color("#cf222e"),
				Attention: lipgloss.Color("#9a6700"), Neutral: lipgloss.Color("#0a3069"), Selection: lipgloss.Color("#b6e3ff"),
				Border: lipgloss.Color("#afb8c1"), Escape: lipgloss.Color("#bc4c00"), Background: lipgloss.Color("#ffffff"),
			},
		},
		{
			Name: HighContrast, Description: "pure, bright colours on black", Chroma: "hrdark",
			Palette: Palette{
				Text: lipgloss.Color("#ffffff"), Dim: lipgloss.Color("#d0d0d0"), Accent: lipgloss.Color("#00ffff"),
				Heading: lipgloss.Color("#ffff00"), Success: lipgloss.Color("#00ff00"), Failure: lipgloss.Color("#ff5f5f"),
				Attention: lipgloss.Color("#ffaf00"), Neutral: lipgloss.Color("#ffffff"), Selection: lipgloss.Color("#0000d7"),
				Border: lipgloss.Color("#ffffff"), Escape: lipgloss.Color("#ff00ff"), Background: lipgloss.Color("#000000"),
			},
		},
		{
			Name: Mono, Description: "no colour at all: bold, underline and reverse video (chosen when NO_COLOR is set)",
			Chroma: "bw",
		},
	}
}

// Names lists the theme names, the default first.
func Names() []string {
	var names []string
	for _, t := range All() {
		names = append(names, t.Name)
	}
	return names
}

// ByName finds a theme. The error lists the names there are.
func ByName(name string) (Theme, error) {
	for _, t := range All() {
		if t.Name == name {
			return t, nil
		}
	}
	return Theme{}, fmt.Errorf("unknown theme %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// Select picks the theme for a run: the one named, else mono when the
// NO_COLOR convention asks for no colour (noColor is true when the
// environment variable is set and not empty), else dark, until the
// terminal says what its background is (see FollowsTerminal).
func Select(name string, noColor bool) (Theme, error) {
	switch {
	case name != "":
		return ByName(name)
	case noColor:
		return ByName(Mono)
	}
	return ByName(Dark)
}

// FollowsTerminal reports whether the theme is left to the terminal's
// background: when none was named and colour is wanted.
func FollowsTerminal(name string, noColor bool) bool { return name == "" && !noColor }

// ForBackground is the theme made for a terminal background: dark or light.
func ForBackground(dark bool) Theme {
	name := Light
	if dark {
		name = Dark
	}
	t, _ := ByName(name)
	return t
}

// chromaStyles are the chroma styles the themes name, copied from chroma
// (chroma/README.md says why).
//
//go:embed chroma/*.xml
var chromaStyles embed.FS

// chromaStyle reads the chroma style called name from chromaStyles.
func chromaStyle(name string) (*chroma.Style, error) {
	f, err := chromaStyles.Open("chroma/" + strings.ToLower(name) + ".xml")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return chroma.NewXMLStyle(f)
}

// ChromaStyle returns the theme's chroma style (chroma's plain style when
// it cannot be read: a test keeps that from happening), with every token
// colour made legible on the theme's background. It builds a style: call
// it once per screen.
func (t Theme) ChromaStyle() *chroma.Style {
	s, err := chromaStyle(t.Chroma)
	if err != nil {
		s = plainChroma
	}
	if t.Palette.Background == nil {
		return s // no colours to check: the terminal's own
	}
	return legible(s, t.Palette.Background, t.Palette.Text)
}

// plainChroma is the style of a theme whose chroma style cannot be read:
// the terminal's own colours.
var plainChroma = chroma.MustNewStyle("plain", chroma.StyleEntries{chroma.Background: ""})
