package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/jsonview"
)

const (
	forwardWidth = 4                   // "→200", "→ERR", "→…"
	wideMarker   = 10                  // " 2/3 +45s": a marker with the time between attempts
	forwardCap   = store.MaxAnswerBody // the part of the app's body the forwarder keeps
)

// rowColumns shares a row's width out as listColumns does, with room for
// the forward status when deliveries are forwarded and, once Extend has
// retried a delivery, for the time between attempts: blank space goes to
// them first, then the id, then the type.
func (m *Model) rowColumns(w int) columns {
	widest := m.list.widest
	if m.fwd.retries {
		widest.marker = wideMarker // "1/3 +45s", and "1/3" on a first attempt too
	}
	if m.cfg.ForwardTo != "" {
		widest.forward = forwardWidth
	}
	return listColumns(w, widest)
}

// forwardCell is the list's forward status of an event: the app's status,
// ERR when it could not be reached, … while the forward is under way.
func forwardCell(ev *store.Event) string {
	if ev.Rejected() != "" {
		return ""
	}
	f := ev.Forward()
	switch {
	case f == nil:
		return "→…"
	case f.Err != "":
		return "→ERR"
	}
	return "→" + strconv.Itoa(f.Status)
}

// forwardInk colours a forward outcome: the app's success, a client error
// or a slow answer (which Extend would count failed), a failure.
func forwardInk(k inks, f *store.Forward) ink {
	switch {
	case f == nil:
		return k.Dim
	case f.Err != "" || f.Status >= 500:
		return k.Failure
	case f.Slow || f.Status >= 400 || f.Status < 200:
		return k.Attention
	}
	return k.Success
}

// forwardOutcome says in words what the app answered.
func forwardOutcome(f *store.Forward) string {
	var text string
	if f.Err != "" {
		text = "no answer: " + f.Err
	} else {
		text = statusLine(f.Status)
	}
	text += " after " + latencyText(f.Latency)
	if f.Slow {
		text += ", slower than " + extendTimeout() + ": Extend would count this delivery failed and retry it"
	}
	return text
}

// extendTimeout names Extend's delivery timeout, "Extend's 30 s timeout".
func extendTimeout() string {
	return fmt.Sprintf("Extend's %d s timeout", int(extend.DeliveryTimeout/time.Second))
}

func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return strconv.Itoa(code)
}

func latencyText(d time.Duration) string {
	if d < time.Second {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// forwarded writes the Summary's line about the forward to the app.
func (s summarizer) forwarded(ev *store.Event, kit *renderKit) {
	f := ev.Forward()
	switch {
	case f != nil:
		s.labelled("App answered", forwardOutcome(f), forwardInk(s.k, f))
	case kit.forwarding && ev.Rejected() == "" && ev.ReplayOf() == 0:
		s.line("App answered", "waiting for the app's answer…")
	}
}

// responseRows draws the Response view: what the app under test answered
// when the delivery (or the replay) was sent to it.
func responseRows(ev *store.Event, rw *rowWriter, kit *renderKit) chunk {
	s := summarizer{rw: rw, k: kit.inks}
	f := ev.Forward()
	if f == nil {
		for _, line := range wordWrap(noResponseText(ev, kit), rw.w) {
			rw.write(line, kit.inks.Dim)
			rw.endLine()
		}
		return rw.take(true)
	}
	if f.URL != "" {
		rw.write("POST ", kit.inks.Key)
		rw.write(f.URL, kit.inks.Text)
		rw.endLine()
		rw.endLine()
	}
	if f.Err != "" {
		s.warn("Error", f.Err)
	} else {
		s.labelled("Status", statusLine(f.Status), forwardInk(kit.inks, f))
	}
	s.line("Latency", latencyText(f.Latency))
	if f.Slow {
		s.warn("Slow", "longer than "+extendTimeout()+": Extend would count this delivery failed and retry it")
	}
	if !f.Finished.IsZero() {
		s.line("Finished", f.Finished.In(kit.loc).Format("2006-01-02 15:04:05.000"))
	}
	if f.Err != "" {
		return rw.take(true)
	}
	rw.endLine()
	for _, h := range f.Headers {
		rw.write(h.Name, kit.inks.Label)
		rw.write(": ", kit.inks.Dim)
		rw.write(h.Value, kit.inks.Text)
		rw.endLine()
	}
	rw.endLine()
	responseBody(f.Body, rw, kit)
	return rw.take(true)
}

// responseBody writes the app's body: pretty and highlighted when it is
// JSON, else as text with control bytes escaped. The forwarder keeps at
// most 64 KB, so this is small enough to draw in one go.
func responseBody(body []byte, rw *rowWriter, kit *renderKit) {
	switch {
	case len(body) == 0:
		rw.write("(empty body)", kit.inks.Dim)
		rw.endLine()
		return
	case json.Valid(body):
		p := jsonview.NewPrinter(body)
		newHighlighter(kit.styles.Chroma, kit.inks.Text).highlight(p.Next(1<<30, 1<<30), rw)
	default:
		rw.writeLines(string(body), kit.inks.Text)
		rw.endLine()
	}
	if len(body) >= forwardCap {
		rw.write(fmt.Sprintf("(the first %s of the app's body)", sizeText(int64(len(body)))), kit.inks.Dim)
		rw.endLine()
	}
}

func noResponseText(ev *store.Event, kit *renderKit) string {
	switch {
	case ev.Rejected() != "":
		return "The receiver refused this delivery, so it was not forwarded to the app."
	case kit.forwarding && ev.ReplayOf() == 0:
		return "Waiting for the app's answer…"
	}
	text := "Not forwarded. Start with --forward-to URL to pass each delivery on to the app you are building and see its answer here"
	if replay := kit.keys.Keys(keymap.ScopeMain, keymap.Replay); replay != "" {
		text += ", or press " + replay + " to replay this event to a URL"
	}
	return text + "."
}

// forwardLegend explains the row marks of retries, replays and forwards,
// for the help screen.
func forwardLegend(k inks, w int) []string {
	entries := []struct {
		mark, text string
		ink        ink
	}{
		{"2/3", "attempt 2 of 3 of an eventId", k.Repeat},
		{"×2", "a retry; attempt 1 is gone", k.Repeat},
		{"↻12", "a replay of #12", k.Repeat},
		{"→200", "the app's answer (→ERR, →…)", k.Success},
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, padLine(" "+e.ink.paint(fit(e.mark, 4))+" "+k.Text.paint(fit(e.text, max(0, w-6))), w, w))
	}
	return out
}

// forwardedMsg says forward results came in: the rows read them as they
// are drawn, and the pane draws its document again.
type forwardedMsg struct{}

// waitForwarded waits for the forwarder's signal, then for the coalescing
// window, so a burst of answers costs one update. One is in flight at a
// time; without a signal the tick redraws once a second.
func (m *Model) waitForwarded() tea.Cmd {
	ch, life := m.cfg.Forwarded, m.life
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case _, ok := <-ch:
			if ok && sleep(life, coalesceWindow) {
				return forwardedMsg{}
			}
		case <-life.Done():
		}
		return nil
	}
}
