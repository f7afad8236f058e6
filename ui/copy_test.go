package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

// clipboardOf runs a copy command, hands its copyMsg back to Update as the
// program would, and returns what the copy hands the terminal.
func clipboardOf(t *testing.T, m *Model, key string) (string, bool) {
	t.Helper()
	_, cmd := m.Update(keyPress(key))
	if cmd == nil {
		return "", false
	}
	msg := cmd()
	if ready, ok := msg.(copyMsg); ok {
		if _, cmd = m.Update(ready); cmd == nil {
			return "", false
		}
		msg = cmd()
	}
	if got := fmt.Sprintf("%T", msg); got != "tea.setClipboardMsg" {
		t.Fatalf("%s gave %s, want a clipboard message", key, got)
	}
	return fmt.Sprint(msg), true
}

func TestCopyPayloadIsPrettyJSON(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	text, ok := clipboardOf(t, m, "y")
	if !ok || !strings.HasPrefix(text, "{\n  \"") || !strings.Contains(text, `"eventType": "batch_parse_run.failed"`) {
		t.Fatalf("copied %q", text)
	}
	if !strings.Contains(footer(m), "copied #10's payload") {
		t.Errorf("footer: %s", footer(m))
	}
}

func TestCopyCurlReSigns(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	m.cfg.ReplayAddr = "127.0.0.1:9999"
	text, ok := clipboardOf(t, m, "Y")
	for _, want := range []string{"$EXTEND_WEBHOOK_SECRET", "curl ", "'http://127.0.0.1:9999/webhook'", "batch_parse_run.failed"} {
		if !ok || !strings.Contains(text, want) {
			t.Errorf("command lacks %q:\n%s", want, text)
		}
	}
}

func TestCopyAbove64KBSaysToExport(t *testing.T) {
	m, s, g := populated(t, 160, 48)
	big := `{"eventType":"workflow_run.completed","payload":{"text":"` + strings.Repeat("a", 70<<10) + `"}}`
	s.Append(g.raw([]byte(big)))
	pull(m)
	for _, key := range []string{"y", "Y"} {
		if text, ok := clipboardOf(t, m, key); ok {
			t.Errorf("%s copied %d bytes", key, len(text))
		}
		if f := footer(m); !strings.Contains(f, "more than the clipboard takes (64 KB): press e to export") {
			t.Errorf("%s: footer %s", key, f)
		}
	}
	// Just under the limit still copies.
	small := `{"a":"` + strings.Repeat("b", 60<<10) + `"}`
	s.Append(g.raw([]byte(small)))
	pull(m)
	if text, ok := clipboardOf(t, m, "y"); !ok || len(text) < 60<<10 {
		t.Errorf("a 60 KB payload was not copied")
	}
}

func TestSessionHeaderSaysNotReceiving(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	m.cfg.Listen, m.cfg.Session, m.cfg.Verifying = "", "bug-1234/session.jsonl", false
	h := headerOf(m)
	if !strings.Contains(h, "session bug-1234/session.jsonl · not receiving") || !strings.Contains(h, "signatures as recorded") {
		t.Errorf("header:\n%s", h)
	}
	// Nothing arrives: no rate, no following, no advice to verify what was
	// verified when it was recorded.
	for _, live := range []string{"listening", ".0/s", "following", "paused", "not verified"} {
		if strings.Contains(h, live) {
			t.Errorf("a session's header says %q:\n%s", live, h)
		}
	}
}

// With --listen a session keeps its label, after the address.
func TestSessionWithListenKeepsItsLabel(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	m.cfg.Session = "bug-1234/session.jsonl"
	if h := headerOf(m); !strings.Contains(h, "listening on http://127.0.0.1:8080  ✓ verifying signatures  session bug-1234/session.jsonl") {
		t.Errorf("header:\n%s", h)
	}
}

// What the store held when the screen opened (a session's deliveries) is
// not an arrival rate.
func TestLoadedEventsAreNotARate(t *testing.T) {
	s := store.New(100, 0)
	fill(t, s, newEventMaker(), mixedTypes...)
	m := newTestModel(t, s, 160, 48)
	m.Update(m.feed.pull()())
	if h := headerOf(m); !strings.Contains(h, "10 received") || !strings.Contains(h, "0.0/s") {
		t.Errorf("header after opening on 10 stored events:\n%s", h)
	}
}

// y copies a body that is not JSON with its control bytes escaped: a raw
// ESC[201~ would end the terminal's bracketed paste and type the rest into
// the shell. JSON may carry raw C1 bytes and bidi overrides in its strings,
// which are escaped too.
func TestCopyPayloadEscapesControlBytes(t *testing.T) {
	m, s, g := populated(t, 160, 48)
	for body, want := range map[string]string{
		"plain\x1b[201~rm -rf ~\r\n\x9b2J":             `plain\x1b[201~rm -rf ~\r` + "\n" + `\x9b2J`,
		`{"name":"` + "C1 \u009b2J bidi \u202e" + `"}`: `"name": "C1 \u009b2J bidi \u202e"`,
	} {
		s.Append(g.raw([]byte(body)))
		pull(m)
		text, ok := clipboardOf(t, m, "y")
		if !ok || !strings.Contains(text, want) {
			t.Errorf("copied %q, want it to hold %q", text, want)
		}
		for _, r := range text {
			if r == 0x1b || r == '\r' || r >= 0x80 && r < 0xa0 || r == 0x202e {
				t.Errorf("copied %q holds %U", text, r)
			}
		}
		if !strings.Contains(footer(m), "(control bytes escaped)") {
			t.Errorf("footer does not say the copy was escaped: %s", footer(m))
		}
	}
}
