package themes

import (
	"image/color"
	"math"
	"reflect"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
	chromastyles "github.com/alecthomas/chroma/v2/styles"
)

func TestChromaStylesExist(t *testing.T) {
	for _, th := range All() {
		if _, err := chromaStyle(th.Chroma); err != nil {
			t.Errorf("theme %q names chroma style %q, which cannot be read: %v", th.Name, th.Chroma, err)
		}
		if got := th.ChromaStyle().Name; got != th.Chroma {
			t.Errorf("theme %q highlights with chroma style %q, want %q", th.Name, got, th.Chroma)
		}
	}
}

// The styles copied into chroma/ are chroma's own, entry for entry.
func TestEmbeddedChromaStylesMatchChromas(t *testing.T) {
	for _, th := range All() {
		ours, err := chromaStyle(th.Chroma)
		if err != nil {
			t.Fatal(err)
		}
		theirs := chromastyles.Registry[strings.ToLower(th.Chroma)]
		if theirs == nil {
			t.Fatalf("chroma has no style %q", th.Chroma)
		}
		for _, typ := range theirs.Types() {
			if ours.Get(typ) != theirs.Get(typ) {
				t.Errorf("%s: %v is %v here and %v in chroma: copy chroma/%s.xml again", th.Chroma, typ, ours.Get(typ), theirs.Get(typ), th.Chroma)
			}
		}
	}
}

func TestByName(t *testing.T) {
	for _, name := range Names() {
		if th, err := ByName(name); err != nil || th.Name != name {
			t.Errorf("ByName(%q) = %v, %v", name, th.Name, err)
		}
	}
	_, err := ByName("solarized")
	if err == nil || !strings.Contains(err.Error(), "dark, light, high-contrast, mono") {
		t.Errorf("ByName(unknown) error = %v, want one listing the names", err)
	}
}

func TestSelect(t *testing.T) {
	cases := []struct {
		name    string
		noColor bool
		want    string
	}{
		{"", false, Dark},
		{"", true, Mono},
		{Light, true, Light}, // an explicit --theme wins over NO_COLOR
	}
	for _, c := range cases {
		th, err := Select(c.name, c.noColor)
		if err != nil || th.Name != c.want {
			t.Errorf("Select(%q, %v) = %q, %v; want %q", c.name, c.noColor, th.Name, err, c.want)
		}
	}
}

func TestMonoNamesNoColour(t *testing.T) {
	th, _ := ByName(Mono)
	if th.Palette != (Palette{}) {
		t.Errorf("the mono palette names colours: %+v", th.Palette)
	}
	st := th.Styles()
	if !st.Selected.GetReverse() {
		t.Error("without colour the selection must use reverse video")
	}
}

// MapRoles applies f to every role, in order, and to nothing else.
func TestMapRolesReachesEveryRole(t *testing.T) {
	th, _ := ByName(Dark)
	calls := 0
	got := MapRoles(th.Styles().Roles, func(lipgloss.Style) int { calls++; return calls })
	v := reflect.ValueOf(got)
	for i := range v.NumField() {
		if v.Field(i).Int() != int64(i+1) {
			t.Errorf("role %s was mapped as call %d", v.Type().Field(i).Name, v.Field(i).Int())
		}
	}
	if calls != v.NumField() {
		t.Errorf("f called %d times for %d roles", calls, v.NumField())
	}
}

// Every token chroma can emit is drawn at a contrast of at least 4.5:1 on
// the theme's background (or on its own, when its style paints one); the
// mono theme draws none in colour.
func TestEveryTokenIsLegible(t *testing.T) {
	for _, th := range All() {
		style := th.ChromaStyle()
		for tt := range chroma.StandardTypes {
			if tt < 0 {
				continue // not a token: the background, line numbers
			}
			e := style.Get(tt)
			if th.Palette.Background == nil {
				if e.Colour.IsSet() {
					t.Errorf("%s: %v has the colour %v", th.Name, tt, e.Colour)
				}
				continue
			}
			if !e.Colour.IsSet() {
				continue // the terminal's own foreground
			}
			bg := th.Palette.Background
			if e.Background.IsSet() {
				bg = chromaRGB(e.Background)
			}
			if c := contrast(chromaRGB(e.Colour), bg); c < minContrast {
				t.Errorf("%s: %v is %v at %.2f:1, want at least %.1f:1", th.Name, tt, e.Colour, c, minContrast)
			}
		}
	}
}

// The palette's text colours read on the theme's background too.
func TestPaletteIsLegible(t *testing.T) {
	for _, th := range All() {
		p := th.Palette
		if p.Background == nil {
			continue
		}
		for name, c := range map[string]color.Color{"Text": p.Text, "Dim": p.Dim, "Accent": p.Accent, "Heading": p.Heading,
			"Success": p.Success, "Failure": p.Failure, "Attention": p.Attention, "Neutral": p.Neutral, "Escape": p.Escape} {
			if r := contrast(c, p.Background); r < minContrast {
				t.Errorf("%s: %s is %.2f:1 on the background", th.Name, name, r)
			}
		}
	}
}

func TestContrast(t *testing.T) {
	black, white := color.RGBA{A: 0xff}, color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	if c := contrast(black, white); math.Abs(c-21) > 0.01 {
		t.Errorf("black on white = %.2f, want 21", c)
	}
	if c := contrast(white, white); c != 1 {
		t.Errorf("white on white = %.2f, want 1", c)
	}
}

// Only a run with no theme named and colour wanted follows the terminal,
// and it takes the light or the dark theme.
func TestFollowsTerminal(t *testing.T) {
	if !FollowsTerminal("", false) || FollowsTerminal("", true) || FollowsTerminal(Light, false) {
		t.Error("FollowsTerminal: want true only with no name and colour wanted")
	}
	if ForBackground(true).Name != Dark || ForBackground(false).Name != Light {
		t.Errorf("ForBackground: dark %s, light %s", ForBackground(true).Name, ForBackground(false).Name)
	}
}
