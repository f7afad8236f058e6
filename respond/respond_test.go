package respond

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]struct {
		kind   Kind
		status int
		delay  time.Duration
		name   string
	}{
		"200":          {KindStatus, 200, 0, "200"},
		" 503 ":        {KindStatus, 503, 0, "503"},
		"302":          {KindStatus, 302, 0, "302"},
		"pass-through": {KindPassThrough, 0, 0, "pass-through"},
		"Pass-Through": {KindPassThrough, 0, 0, "pass-through"},
		"slow":         {KindSlow, 200, SlowDelay, "slow"},
	} {
		m, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if m.Kind() != want.kind || m.Status() != want.status || m.Delay() != want.delay || m.String() != want.name {
			t.Errorf("Parse(%q) = %v %d %s %q, want %+v", in, m.Kind(), m.Status(), m.Delay(), m, want)
		}
		if back, _ := Parse(m.String()); back != m {
			t.Errorf("%q does not read back as itself", m)
		}
	}
	for _, bad := range []string{"", "ok", "199", "600", "20O", "passthrough"} {
		if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "want a status from 200 to 599, pass-through or slow") {
			t.Errorf("Parse(%q) = %v", bad, err)
		}
	}
	var zero Mode
	if ok, _ := Parse("200"); zero != ok || zero.Status() != 200 {
		t.Error("the zero value should be the default answer, 200")
	}
}

func TestRespondCycle(t *testing.T) {
	cases := []struct{ home, want string }{
		{"200", "200 500 429 slow 200"},
		{"429", "429 slow 200 500 429"},
		{"pass-through", "pass-through 200 500 429 slow pass-through"},
		{"418", "418 200 500 429 slow 418"},
	}
	for _, c := range cases {
		home, _ := Parse(c.home)
		m, steps := home, []string{home.String()}
		for range 5 {
			m = m.Next(home)
			steps = append(steps, m.String())
			if m == home {
				break
			}
		}
		if got := strings.Join(steps, " "); got != c.want {
			t.Errorf("from %s: %s, want %s", c.home, got, c.want)
		}
	}
}

func TestRespondIsAFlag(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var m Mode
	fs.Var(&m, "respond", "what the receiver answers")
	if err := fs.Parse([]string{"--respond", "pass-through"}); err != nil || m != PassThrough {
		t.Errorf("--respond pass-through: %v, %v", m, err)
	}
	if err := fs.Parse([]string{"--respond", "nope"}); err == nil {
		t.Error("--respond nope accepted")
	}
	if m.Type() != "answer" {
		t.Errorf("Type %q", m.Type())
	}
}
