package ui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/themes"
)

// testEpoch is the injected clock's time: every golden screen shows it.
var testEpoch = time.Date(2026, 7, 8, 14, 3, 0, 0, time.UTC)

// eventMaker builds deterministic deliveries from the project's samples.
type eventMaker struct {
	rand *rand.Rand
	at   time.Time
}

func newEventMaker() *eventMaker {
	return &eventMaker{rand: rand.New(rand.NewPCG(7, 42)), at: testEpoch}
}

// event builds a classified, verified delivery of eventType.
func (g *eventMaker) event(t testing.TB, eventType string) *store.Event {
	t.Helper()
	body, err := sample.Build(eventType, sample.Options{Now: g.at, Rand: g.rand})
	if err != nil {
		t.Fatal(err)
	}
	return g.raw(body)
}

// raw builds a verified delivery of any body.
func (g *eventMaker) raw(body []byte) *store.Event {
	g.at = g.at.Add(1500 * time.Millisecond)
	ev := &store.Event{
		ReceivedAt: g.at, Method: "POST", Path: "/webhook", RemoteAddr: "127.0.0.1:50412",
		Status:       200,
		Verification: extend.Check{Outcome: extend.Verified},
	}
	ev.SetHeaders([]store.Header{
		{Name: "Content-Type", Value: "application/json"},
		{Name: extend.HeaderTimestamp, Value: fmt.Sprint(g.at.Unix())},
		{Name: extend.HeaderSignature, Value: extend.Sign("wss_test", fmt.Sprint(g.at.Unix()), body)},
	})
	ev.SetBody(body)
	ev.Classify()
	return ev
}

// mixedTypes is one delivery of each kind the golden screens show.
var mixedTypes = []string{
	"workflow_run.step_run.processed", "workflow_run.completed", "extract_run.failed",
	"workflow_run.needs_review", "classify_run.processed", "parse_run.processed",
	"workflow.deployed", "extractor.version.published", "workflow_run.failed", "batch_parse_run.failed",
}

func newTestModel(t testing.TB, src Source, w, h int) *Model {
	t.Helper()
	th, _ := themes.ByName(themes.Dark)
	m := New(Config{
		Source: src, Listen: "127.0.0.1:8080", Verifying: true, Theme: th,
		Keys: keymap.DefaultKeyMap(), Now: func() time.Time { return testEpoch.Add(time.Minute) },
		Location: time.UTC,
	})
	m.feed.window = 0
	m.followPaneEvery = 0 // the pane follows every pull
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// pull hands the model everything new in the store, as the feed would.
func pull(m *Model) {
	m.Update(m.feed.take())
	settle(m)
}

// settle renders the document on screen to the end, as the runtime would by
// running the pane's commands one after another.
func settle(m *Model) {
	for range 10_000 {
		d := m.pane.current()
		if d == nil || d.more == nil {
			return
		}
		c, done := d.more.produce(len(d.rows) == 0)
		msg := docMsg{key: m.pane.shown, chunk: c, progress: d.more.progress()}
		if !done {
			msg.more = d.more
		}
		m.Update(msg)
	}
}

// keyPress builds the message Bubble Tea sends for a key named as in the
// key map.
func keyPress(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"backspace": tea.KeyBackspace, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd,
	}
	if mod, rest, ok := strings.Cut(name, "+"); ok && mod == "ctrl" {
		return tea.KeyPressMsg{Code: []rune(rest)[0], Mod: tea.ModCtrl}
	}
	if code, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// press sends keys, then renders the document on screen.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyPress(k))
	}
	settle(m)
}

// typeText types into the focused input.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	settle(m)
}

// screen is the plain text of the current frame.
func screen(m *Model) string {
	return ansi.Strip(m.View().Content)
}

func fill(t testing.TB, s *store.Store, g *eventMaker, types ...string) {
	t.Helper()
	for _, typ := range types {
		s.Append(g.event(t, typ))
	}
}

// stripped removes the styling of a rendered line.
func stripped(s string) string { return ansi.Strip(s) }

// bodyOf is ev's body, read as the views read it.
func bodyOf(t testing.TB, ev *store.Event) []byte {
	t.Helper()
	b, err := ev.Body()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
