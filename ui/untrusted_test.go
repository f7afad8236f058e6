package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// hostile is a delivery that tries to act on the terminal from every place a
// sender controls: a JSON string, a header value, the path, and (below) a
// body that is not JSON.
const hostileJSON = `{"eventId":"evt_\u001b]2;pwned\u0007","eventType":"workflow_run.failed\u001b[2J",` +
	`"payload":{"object":"workflow_run","id":"wr_\u001b[31mred","status":"FAILED\u009b2J",` +
	`"failureMessage":"gnp.exe\u202e","name":"` + "raw C1 \u009b and bidi \u202e, filler \u3164\u2800" + `"}}`

var hostileBodies = map[string]string{
	"json":     hostileJSON,
	"not json": "\x1b]2;pwned\x07\x1b[2J\x1b[31mred\x9b2J \xff\xfe end",
}

// allowedEscape matches the only escape sequences the screen may emit: SGR
// styling (colours, bold, underline, reverse).
var allowedEscape = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)

// checkFrame fails when a frame holds anything a terminal would act on
// besides styling and line breaks.
func checkFrame(t *testing.T, what, frame string) {
	t.Helper()
	for i := 0; i < len(frame); i++ {
		c := frame[i]
		switch {
		case c == 0x1b:
			if !allowedEscape.MatchString(frame[i:]) {
				t.Fatalf("%s: escape sequence %q reached the screen", what, frame[i:min(len(frame), i+12)])
			}
		case c < 0x20 && c != '\n', c == 0x7f:
			t.Fatalf("%s: control byte %#x reached the screen", what, c)
		}
	}
	for _, r := range frame {
		if r >= 0x80 && r < 0xa0 || r == 0x202e || r == 0x3164 || r == 0x2800 {
			t.Fatalf("%s: rune %U reached the screen", what, r)
		}
	}
}

func TestUntrustedTextNeverReachesTheTerminal(t *testing.T) {
	for name, body := range hostileBodies {
		t.Run(name, func(t *testing.T) {
			s := store.New(100, 0)
			m := newTestModel(t, s, 160, 48)
			ev := newEventMaker().raw([]byte(body))
			ev.Path = "/hook\x1b]2;pwned\x07/\u202e"
			ev.Query = "a=\x1b[2J"
			ev.SetHeaders(append(storetest.Headers(ev), store.Header{Name: "X-Note\x1b[31m", Value: "\x9b2J \x1b]52;c;cHduZWQ=\x07"}))
			ev.Verification = extend.Check{Outcome: extend.Invalid, Reason: "Invalid signature\x1b[2J"}
			s.Append(ev)
			pull(m)
			for _, key := range []string{"p", "h", "w", "s", "?", "?", "t", "esc"} {
				press(m, key)
				checkFrame(t, "view "+key, m.View().Content)
			}
			press(m, "/")
			typeText(m, "pwned")
			checkFrame(t, "filtered", m.View().Content)
			press(m, "enter", "w")
			if sc := screen(m); !strings.Contains(sc, `\x1b]2;pwned\x07`) && !strings.Contains(sc, `\u001b]2;pwned\u0007`) {
				t.Errorf("the escapes are not shown visibly:\n%s", sc)
			}
		})
	}
}

// Every colour is named in themes/: none in this package or its engines.
func TestUINamesNoColour(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	engines, _ := filepath.Glob("*/*.go") // the pure engines under ui/
	files = append(files, engines...)
	colour := regexp.MustCompile(`lipgloss\.(Color|ANSIColor|RGBColor)\b|"#[0-9a-fA-F]{3,8}"|\\x1b\[[0-9;]*m`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := colour.FindIndex(data); loc != nil {
			t.Errorf("%s names a colour (%q); name it in themes/ instead", f, data[loc[0]:loc[1]])
		}
	}
}
