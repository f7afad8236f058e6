package ui

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/extend-inspect/extend-inspect/store"
)

// updating reports whether -update was given: rewrite the golden screens in
// testdata/. The flag itself is registered by charmbracelet's golden
// package, which teatest imports; defining it again would panic.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares a frame with testdata/<name>.golden: the plain text,
// or, for names ending in .ansi256, the frame as a 256-colour terminal gets
// it (Bubble Tea downsamples the same way).
func checkGolden(t *testing.T, name, frame string) {
	t.Helper()
	var got string
	if strings.HasSuffix(name, ".ansi256") {
		var b bytes.Buffer
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}
		w.WriteString(frame)
		got = b.String()
	} else {
		got = stripped(frame)
		lines := strings.Split(got, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		got = strings.Join(lines, "\n") + "\n"
	}
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -run Golden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("screen %s differs from %s (rerun with -update if the change is intended):\n%s", name, path, got)
	}
}

func TestGoldenScreens(t *testing.T) {
	sizes := []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"160x48", 160, 48}}
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			empty := newTestModel(t, store.New(10, 0), sz.w, sz.h)
			checkGolden(t, "empty-"+sz.name, empty.View().Content)

			m, _, _ := populated(t, sz.w, sz.h)
			press(m, "k", "k") // workflow.deployed... a few rows up from the newest
			checkGolden(t, "payload-"+sz.name, m.View().Content)
			for _, v := range []struct{ key, name string }{{"h", "headers"}, {"w", "raw"}, {"s", "summary"}} {
				press(m, v.key)
				checkGolden(t, v.name+"-"+sz.name, m.View().Content)
			}
			press(m, "?")
			checkGolden(t, "help-"+sz.name, m.View().Content)
			press(m, "esc", "p", "/")
			typeText(m, "failed")
			checkGolden(t, "filter-typing-"+sz.name, m.View().Content)
			press(m, "enter", "f", "o")
			checkGolden(t, "filter-active-"+sz.name, m.View().Content)
			press(m, "esc", "t")
			checkGolden(t, "types-"+sz.name, m.View().Content)
		})
	}
	t.Run("colour", func(t *testing.T) {
		m, _, _ := populated(t, 160, 48)
		press(m, "k")
		checkGolden(t, "payload-160x48.ansi256", m.View().Content)
		press(m, "s")
		checkGolden(t, "summary-160x48.ansi256", m.View().Content)
	})
}
