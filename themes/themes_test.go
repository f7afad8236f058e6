package themes

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	chromastyles "github.com/alecthomas/chroma/v2/styles"
)

func TestChromaStylesExist(t *testing.T) {
	for _, th := range All() {
		if _, ok := chromastyles.Registry[strings.ToLower(th.Chroma)]; !ok {
			t.Errorf("theme %q names chroma style %q, which chroma does not have", th.Name, th.Chroma)
		}
		if th.ChromaStyle() == chromastyles.Fallback && th.Chroma != chromastyles.Fallback.Name {
			t.Errorf("theme %q falls back to chroma's default style", th.Name)
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
