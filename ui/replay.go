package ui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
)

// Replayer sends a stored event again to the app. Replay re-signs it with a
// fresh timestamp, or with verbatim sends the original bytes and headers;
// it stores the replay as a new event linked to ev and returns it. Target
// is the forward target ("" without --forward-to); CanResign says a secret
// to re-sign with is at hand. Replay is called from a command, never from
// Update.
type Replayer interface {
	Replay(ctx context.Context, ev *store.Event, target string, verbatim bool) (*store.Event, error)
	Target() string
	CanResign() bool
}

// replayResult is the outcome of one event's replay.
type replayResult struct {
	of  uint64
	ev  *store.Event // the replay as stored; nil on error
	err error
}

// replayDoneMsg carries the outcome of a replay command.
type replayDoneMsg struct {
	target   string
	verbatim bool
	results  []replayResult
}

// startReplay opens the prompt for the URL to replay the selected event to.
func (m *Model) startReplay(verbatim bool) tea.Cmd {
	if m.cfg.Replayer == nil {
		m.report("Replay is not available in this session.", true)
		return nil
	}
	events := m.markedOrSelected()
	if len(events) == 0 {
		m.report("Select an event to replay.", true)
		return nil
	}
	if !verbatim && !m.cfg.Replayer.CanResign() {
		m.report(fmt.Sprintf("Re-signing needs the signing secret (--secret or $EXTEND_WEBHOOK_SECRET); %s replays verbatim, old signature included.",
			m.keys.Keys(keymap.ScopeMain, keymap.ReplayVerbatim)), true)
		return nil
	}
	p := newReplayPrompt(m, events, verbatim)
	m.openDialog(p)
	return p.input.Focus()
}

// replayPrompt asks for the URL to replay to, prefilled with the last URL
// replayed to, else the forward target, so enter sends. Its input owns the keyboard but for the keys of
// keymap.ScopeReplay: send, or cancel.
type replayPrompt struct {
	k        inks
	keys     keymap.KeyMap
	input    textinput.Model
	events   []*store.Event
	verbatim bool
	problem  string
	w, h     int
}

func newReplayPrompt(m *Model, events []*store.Event, verbatim bool) *replayPrompt {
	in := newFilterInput(m.styles)
	in.Prompt = "URL: "
	in.Placeholder = "http://127.0.0.1:3000/webhooks/extend"
	in.SetValue(cmp.Or(m.lastReplayURL, m.cfg.Replayer.Target()))
	in.CursorEnd()
	return &replayPrompt{k: m.inks, keys: m.keys, input: in, events: events, verbatim: verbatim}
}

func (p *replayPrompt) update(msg tea.Msg) action {
	if key, ok := msg.(tea.KeyPressMsg); ok {
		switch a, _ := p.keys.Lookup(keymap.ScopeReplay, key.String()); a {
		case keymap.ReplayCancel:
			return closeDialog{}
		case keymap.ReplaySend:
			target := strings.TrimSpace(p.input.Value())
			if target == "" {
				p.problem = "Type the URL of the app to send the event to."
				return nil
			}
			return sendReplay{events: p.events, target: target, verbatim: p.verbatim}
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.problem = ""
	return runCmd{cmd}
}

func (p *replayPrompt) resize(w, h int) {
	p.w, p.h = w, h
	p.input.SetWidth(max(10, w-10))
}

// eventsWord names what a replay acts on: "#12", or "3 events".
func eventsWord(events []*store.Event) string {
	if len(events) == 1 {
		return fmt.Sprintf("#%d", events[0].Seq)
	}
	return fmt.Sprintf("%d events", len(events))
}

func (p *replayPrompt) render() []string {
	k, w := p.k, p.w
	how := "re-signed with a fresh timestamp, so an app that checks the signature accepts it"
	if p.verbatim {
		how = "verbatim: the original bytes and headers, old signature included"
	}
	hints := p.keys.Hints(keymap.ScopeReplay, keymap.ReplaySend, keymap.ReplayCancel)
	out := []string{hintLine("Replay "+eventsWord(p.events), k, hints, w), ""}
	for _, line := range wordWrap("Sends the body "+how+". The replay appears as a new entry, with the app's answer in its Response view.", max(10, w-2)) {
		out = append(out, " "+k.Text.paint(line))
	}
	out = append(out, "", " "+p.input.View())
	if p.problem != "" {
		out = append(out, "", " "+k.Warning.paint(fit(p.problem, w-1)))
	}
	for len(out) < p.h {
		out = append(out, "")
	}
	return out[:p.h]
}

// replay starts the replays a prompt asked for.
func (m *Model) replay(r sendReplay) tea.Cmd {
	m.lastReplayURL = r.target
	m.report(fmt.Sprintf("Replaying %s to %s…", eventsWord(r.events), r.target), false)
	return replayCmd(m.cfg.Replayer, r.events, r.target, r.verbatim)
}

// replayCmd replays events one after another, off the update loop.
func replayCmd(r Replayer, events []*store.Event, target string, verbatim bool) tea.Cmd {
	return func() tea.Msg {
		msg := replayDoneMsg{target: target, verbatim: verbatim}
		for _, ev := range events {
			out, err := r.Replay(context.Background(), ev, target, verbatim)
			msg.results = append(msg.results, replayResult{of: ev.Seq, ev: out, err: err})
		}
		return msg
	}
}

// replayDone reports a replay's outcome in the footer; the replays
// themselves arrive through the store like any delivery.
func (m *Model) replayDone(msg replayDoneMsg) {
	if len(msg.results) == 1 {
		r := msg.results[0]
		if r.err != nil {
			m.report(fmt.Sprintf("Replay of #%d failed: %v", r.of, r.err), true)
			return
		}
		m.report(fmt.Sprintf("↻ #%d replayed %s to %s as #%d: %s", r.of, modeWord(msg.verbatim), msg.target, r.ev.Seq, replayAnswer(r.ev)), replayFailed(r.ev))
		return
	}
	failed := 0
	var firstErr error
	for _, r := range msg.results {
		if r.err != nil {
			failed++
			firstErr = cmpErr(firstErr, r.err)
		}
	}
	text := fmt.Sprintf("↻ %d events replayed %s to %s: %s", len(msg.results)-failed, modeWord(msg.verbatim), msg.target, replayAnswers(msg.results))
	if failed > 0 {
		text += fmt.Sprintf("; %d failed: %v", failed, firstErr)
	}
	m.report(text, failed > 0 || slices.ContainsFunc(msg.results, func(r replayResult) bool { return r.ev != nil && replayFailed(r.ev) }))
}

// replayAnswers lists the app's answer to each replay: "#1 →202, #2 →500".
func replayAnswers(results []replayResult) string {
	parts := make([]string, 0, len(results))
	for _, r := range results {
		answer := "failed"
		if r.ev != nil {
			answer = forwardCell(r.ev)
		}
		parts = append(parts, fmt.Sprintf("#%d %s", r.of, answer))
	}
	return strings.Join(parts, ", ")
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func modeWord(verbatim bool) string {
	if verbatim {
		return "verbatim"
	}
	return "re-signed"
}

func replayAnswer(ev *store.Event) string {
	if f := ev.Forward(); f != nil {
		return "the app answered " + forwardOutcome(f)
	}
	return "sent"
}

func replayFailed(ev *store.Event) bool {
	f := ev.Forward()
	return f != nil && (f.Err != "" || f.Status >= 400)
}

// forwardAction handles the keys of forwarding, replay and the answer mode.
func (m *Model) forwardAction(a keymap.Action) (tea.Cmd, bool) {
	switch a {
	case keymap.Answer:
		m.cycleAnswer()
	case keymap.Replay:
		return m.startReplay(false), true
	case keymap.ReplayVerbatim:
		return m.startReplay(true), true
	case keymap.FetchLink:
		return m.fetchLink(), true
	default:
		return nil, false
	}
	return nil, true
}
