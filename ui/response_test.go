package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/respond"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
	"github.com/extend-inspect/extend-inspect/themes"
)

// fakeAnswerer cycles through the receiver's modes as the receiver does.
type fakeAnswerer struct{ mode respond.Mode }

func (a *fakeAnswerer) Respond() respond.Mode { return a.mode }
func (a *fakeAnswerer) CycleRespond() respond.Mode {
	a.mode = a.mode.Next(respond.Mode{})
	return a.mode
}

// fakeReplayer records the replays asked for and stores each as the real
// one does: a new event linked to the original, with the app's answer.
type fakeReplayer struct {
	store    *store.Store
	target   string
	err      error
	calls    []string
	noSecret bool
}

func (r *fakeReplayer) Target() string { return r.target }

func (r *fakeReplayer) CanResign() bool { return !r.noSecret }

func (r *fakeReplayer) Replay(_ context.Context, ev *store.Event, target string, verbatim bool) (*store.Event, error) {
	r.calls = append(r.calls, target+" "+modeWord(verbatim))
	if r.err != nil {
		return nil, r.err
	}
	out := &store.Event{ReceivedAt: ev.ReceivedAt, Method: "POST", Path: "/hook"}
	out.SetReplayOf(ev.Seq)
	body, _ := ev.Body()
	out.SetBody(body)
	out.Classify()
	out.SetForward(&store.Forward{URL: target, Status: 202, Latency: 3 * time.Millisecond})
	r.store.Append(out)
	return out, nil
}

func newForwardModel(t *testing.T, cfg Config) (*Model, *store.Store, *eventMaker) {
	t.Helper()
	s := store.New(1000, 0)
	th, _ := themes.ByName(themes.Dark)
	cfg.Source, cfg.Listen, cfg.Verifying, cfg.Theme = s, "127.0.0.1:8080", true, th
	if len(cfg.Keys.Bindings()) == 0 {
		cfg.Keys = keymap.DefaultKeyMap()
	}
	cfg.Location = time.UTC
	cfg.Now = func() time.Time { return testEpoch.Add(time.Minute) }
	m := New(cfg)
	m.feed.window = 0
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	return m, s, newEventMaker()
}

// run executes a command as the runtime would, feeding its message back.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if msg := cmd(); msg != nil {
		m.Update(msg)
	}
	settle(m)
}

func wantScreen(t *testing.T, m *Model, texts ...string) {
	t.Helper()
	sc := screen(m)
	for _, s := range texts {
		if !strings.Contains(sc, s) {
			t.Errorf("screen lacks %q:\n%s", s, sc)
		}
	}
}

func TestForwardStatusColumnAndResponseView(t *testing.T) {
	m, s, g := newForwardModel(t, Config{ForwardTo: "http://127.0.0.1:3000/hook"})
	ok, failed, down, slow := g.event(t, "workflow_run.completed"), g.event(t, "extract_run.failed"),
		g.event(t, "parse_run.processed"), g.event(t, "workflow.deployed")
	for _, ev := range []*store.Event{ok, failed, down, slow} {
		s.Append(ev)
	}
	pending := g.event(t, "classify_run.processed")
	s.Append(pending)
	ok.SetForward(&store.Forward{URL: "http://127.0.0.1:3000/hook", Status: 200, Latency: 12 * time.Millisecond})
	failed.SetForward(&store.Forward{Status: 500, Headers: []store.Header{{Name: "Content-Type", Value: "application/json"}},
		Body: []byte(`{"error":"boom\u001b[2J"}`), Latency: time.Second})
	down.SetForward(&store.Forward{Err: "connection refused: is the app running?"})
	slow.SetForward(&store.Forward{Status: 200, Latency: 31 * time.Second, Slow: true})
	pull(m)
	wantScreen(t, m, "→200", "→500", "→ERR", "→…", "→ http://127.0.0.1:3000/hook")

	m.list.sel = m.list.find(failed.Seq)
	press(m, "v", "v", "v", "v", "v", "v", "v") // Payload → Headers → Raw → Summary → Run → Fields → Review → Response
	if m.pane.view != viewResponse {
		t.Fatalf("view = %v, want Response", m.pane.view)
	}
	wantScreen(t, m, "500 Internal Server Error", "Latency", "Content-Type: application/json", `"error": "boom\u001b[2J"`)
	if strings.Contains(m.View().Content, "\x1b[2J") {
		t.Error("the app's body reached the terminal unescaped")
	}

	m.list.sel = m.list.find(down.Seq)
	press(m, "v", "left") // re-show the Response of the new selection
	wantScreen(t, m, "connection refused: is the app running?")
	m.list.sel = m.list.find(slow.Seq)
	press(m, "v", "left")
	wantScreen(t, m, "longer than Extend's 30 s timeout")

	// A forward result that arrives later is drawn at the next tick.
	m.list.sel = m.list.find(pending.Seq)
	press(m, "s")
	wantScreen(t, m, "waiting for the app's answer")
	pending.SetForward(&store.Forward{Status: 204, Latency: time.Millisecond})
	m.Update(tickMsg(testEpoch))
	settle(m)
	wantScreen(t, m, "App answered 204 No Content", "→204")
}

func TestNoStatusColumnWithoutForwarding(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)
	if sc := screen(m); strings.Contains(sc, "→…") || strings.Contains(sc, "answering") {
		t.Errorf("forwarding marks without --forward-to:\n%s", sc)
	}
	press(m, "d", "v") // Review, then Response
	wantScreen(t, m, "Not forwarded. Start with --forward-to URL")
}

func TestAnswerKeyCyclesTheReceiversAnswer(t *testing.T) {
	a := &fakeAnswerer{}
	m, s, g := newForwardModel(t, Config{Answer: a})
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)
	if strings.Contains(screen(m), "answering") {
		t.Error("the header shows a plain 200 answer while not forwarding")
	}
	for _, want := range []string{"answering 500", "answering 429", "answering slow (35 s)"} {
		press(m, "a")
		wantScreen(t, m, want)
	}
	press(m, "a")
	if a.Respond().String() != "200" || strings.Contains(screen(m), "answering") {
		t.Errorf("after a full cycle the answer is %s; screen:\n%s", a.Respond(), screen(m))
	}
}

func TestAnswerKeyWithoutReceiver(t *testing.T) {
	m, _, _ := newForwardModel(t, Config{})
	press(m, "a")
	wantScreen(t, m, "No receiver is running")
}

func TestReplayResignsToTheTypedURL(t *testing.T) {
	m, s, g := newForwardModel(t, Config{ForwardTo: "http://127.0.0.1:3000/hook"})
	r := &fakeReplayer{store: s, target: "http://127.0.0.1:3000/hook"}
	m.cfg.Replayer = r
	orig := g.event(t, "workflow_run.completed")
	s.Append(orig)
	pull(m)

	m.Update(keyPress("r"))
	p, ok := m.dialog.(*replayPrompt)
	if !ok {
		t.Fatalf("r opened %T, want the replay prompt", m.dialog)
	}
	if p.input.Value() != r.target {
		t.Errorf("prompt prefilled with %q, want the forward target", p.input.Value())
	}
	wantScreen(t, m, "Replay #1", "re-signed with a fresh timestamp")
	for range len(r.target) {
		m.Update(keyPress("backspace"))
	}
	typeText(m, "http://127.0.0.1:4000/x")
	_, cmd := m.Update(keyPress("enter"))
	if m.dialog != nil || len(r.calls) != 0 {
		t.Fatal("enter must close the prompt and replay in a command, not in Update")
	}
	run(m, cmd)
	if len(r.calls) != 1 || r.calls[0] != "http://127.0.0.1:4000/x re-signed" {
		t.Fatalf("replays = %q", r.calls)
	}
	wantScreen(t, m, "↻ #1 replayed re-signed to http://127.0.0.1:4000/x as #2: the app answered 202 Accepted")

	pull(m)
	replay := m.list.find(2)
	if replay == nil {
		t.Fatal("the replay did not appear as a new entry")
	}
	m.list.sel = replay
	press(m, "s")
	wantScreen(t, m, "↻1", "Replay of", "↻ #1", "App answered 202 Accepted",
		"POST /hook replayed to http://127.0.0.1:4000/x · ", "1 received · 1 replayed")
	press(m, "h")
	wantScreen(t, m, "replayed to http://127.0.0.1:4000/x · sent 2026-")
	if sc := screen(m); strings.Contains(sc, "answered 0") || strings.Contains(sc, "from  ·") || strings.Contains(sc, "2 received") {
		t.Errorf("the replay reads as a delivery the receiver answered:\n%s", sc)
	}
}

func TestReplayVerbatimAndErrors(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	r := &fakeReplayer{store: s, err: errors.New("re-signing needs the signing secret: set --secret")}
	m.cfg.Replayer = r
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)

	press(m, "R", "enter")
	wantScreen(t, m, "Type the URL of the app")
	typeText(m, "http://127.0.0.1:4000/x")
	_, cmd := m.Update(keyPress("enter"))
	run(m, cmd)
	if len(r.calls) != 1 || !strings.HasSuffix(r.calls[0], " verbatim") {
		t.Errorf("replays = %q, want one verbatim", r.calls)
	}
	wantScreen(t, m, "Replay of #1 failed: re-signing needs the signing secret")

	press(m, "r", "esc")
	if m.dialog != nil || len(r.calls) != 1 {
		t.Error("esc must cancel the replay")
	}
	m.cfg.Replayer = nil
	press(m, "r")
	wantScreen(t, m, "Replay is not available")
}

func TestReplayMarkedEvents(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	r := &fakeReplayer{store: s, target: "http://127.0.0.1:3000/hook"}
	m.cfg.Replayer = r
	fill(t, s, g, "workflow_run.completed", "extract_run.failed", "workflow.deployed")
	pull(m)
	press(m, "g", "space", "space")
	_, cmd := m.Update(keyPress("r"))
	_ = cmd
	_, cmd = m.Update(keyPress("enter"))
	run(m, cmd)
	if len(r.calls) != 2 {
		t.Fatalf("replays = %q, want the two marked events", r.calls)
	}
	wantScreen(t, m, "↻ 2 events replayed re-signed to http://127.0.0.1:3000/hook: #1 →202, #2 →202")
}

func TestReplayPromptOffersTheLastURLUsed(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	m.cfg.Replayer = &fakeReplayer{store: s, target: "http://127.0.0.1:3000/hook"}
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)
	press(m, "r")
	if p := m.dialog.(*replayPrompt); p.input.Value() != "http://127.0.0.1:3000/hook" {
		t.Fatalf("the first prompt offers %q, want --forward-to", p.input.Value())
	}
	m.dialog.(*replayPrompt).input.SetValue("http://127.0.0.1:4000/other")
	_, cmd := m.Update(keyPress("enter"))
	run(m, cmd)
	press(m, "r")
	if p := m.dialog.(*replayPrompt); p.input.Value() != "http://127.0.0.1:4000/other" {
		t.Errorf("the next prompt offers %q, want the URL last replayed to", p.input.Value())
	}
}

func TestReplayWithoutASecretSaysSoBeforeAskingForAURL(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	m.cfg.Replayer = &fakeReplayer{store: s, noSecret: true}
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)
	press(m, "r")
	if m.dialog != nil {
		t.Fatal("r without a secret asked for a URL")
	}
	wantScreen(t, m, "Re-signing needs the signing secret", "R replays verbatim")
	press(m, "R")
	if _, ok := m.dialog.(*replayPrompt); !ok {
		t.Error("R (verbatim) needs no secret but did not ask for a URL")
	}
}

func TestRetriesShowAsAttempts(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	first := g.event(t, "workflow_run.completed")
	s.Append(first)
	pull(m)
	for range 2 {
		again := g.raw(storetest.Body(first)) // the same eventId, 1.5 s later
		s.Append(again)
	}
	pull(m)
	wantScreen(t, m, "1/3", "2/3 +2s", "3/3 +2s")
	m.list.sel = m.list.find(2)
	press(m, "s")
	wantScreen(t, m, "attempt 2 of 3, 2s after attempt 1 (the first is #1)")
}

func TestShortGap(t *testing.T) {
	for d, want := range map[time.Duration]string{
		1500 * time.Millisecond: "+2s", 59 * time.Second: "+59s", 12 * time.Minute: "+12m",
		3*time.Hour + 5*time.Minute: "+3h05", 200 * time.Hour: "+days",
	} {
		if got := shortGap(d); got != want {
			t.Errorf("shortGap(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestReplayPromptTakesAPastedURL(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	m.cfg.Replayer = &fakeReplayer{store: s}
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)
	press(m, "r")
	m.Update(tea.PasteMsg{Content: "http://127.0.0.1:9/pasted"})
	if p := m.dialog.(*replayPrompt); p.input.Value() != "http://127.0.0.1:9/pasted" {
		t.Errorf("prompt = %q after a paste", p.input.Value())
	}
}

func TestForwardSignalRedrawsTheResponse(t *testing.T) {
	signal := make(chan struct{}, 1)
	m, s, g := newForwardModel(t, Config{ForwardTo: "http://127.0.0.1:3000/hook", Forwarded: signal})
	ev := g.event(t, "workflow_run.completed")
	s.Append(ev)
	pull(m)
	press(m, "d", "v") // Review, then Response
	wantScreen(t, m, "Waiting for the app's answer", "→…")
	ev.SetForward(&store.Forward{Status: 503, Latency: time.Millisecond})
	signal <- struct{}{}
	run(m, m.waitForwarded())
	wantScreen(t, m, "503 Service Unavailable", "→503")
}
