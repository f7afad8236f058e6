package ui

import (
	"fmt"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/respond"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// Answerer is the receiver's answer to Extend, which the user cycles with a
// key to rehearse failures: 200 → 500 → 429 → slow → back. It is nil when
// the screen has no receiver.
type Answerer interface {
	Respond() respond.Mode
	CycleRespond() respond.Mode
}

// forwardState is the screen's part of forwarding, replay and the
// receiver's answer.
type forwardState struct {
	answer  respond.Mode // the receiver's answer mode; meaningful only with cfg.Answer
	retries bool         // some eventId was delivered again: rows show the gaps
}

func newForwardState(cfg Config) forwardState {
	var s forwardState
	if cfg.Answer != nil {
		s.answer = cfg.Answer.Respond()
	}
	return s
}

// cycleAnswer steps the receiver's answer to the next mode.
func (m *Model) cycleAnswer() {
	if m.cfg.Answer == nil {
		m.report("No receiver is running in this session, so there is no answer to change.", true)
		return
	}
	m.fwd.answer = m.cfg.Answer.CycleRespond()
	m.report("The receiver now answers Extend "+answerWords(m.fwd.answer)+", from the next delivery on.", false)
}

// answerWords describes a mode for people.
func answerWords(mode respond.Mode) string {
	switch mode.Kind() {
	case respond.KindSlow:
		return fmt.Sprintf("200 after %s (past Extend's %s timeout)", seconds(respond.SlowDelay), seconds(extend.DeliveryTimeout))
	case respond.KindPassThrough:
		return "with the app's status"
	default:
		return mode.String()
	}
}

// answerLabel is the header's note of the answer mode: shown when it is not
// a plain 200, and always while forwarding.
func (m *Model) answerLabel() (string, bool) {
	a := m.fwd.answer
	switch {
	case m.cfg.Answer == nil:
		return "", false
	case a.Kind() == respond.KindSlow:
		return "answering slow (" + seconds(respond.SlowDelay) + ")", true
	case a != respond.Status(200):
		return "answering " + a.String(), true
	case m.cfg.ForwardTo != "":
		return "answering 200", false
	}
	return "", false
}

// seconds writes a whole number of seconds as people read it: "35 s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%d s", int(d/time.Second))
}

// addForwardTarget adds the app deliveries are forwarded to to the
// header's first line.
func (m *Model) addForwardTarget(lb *lineBuilder) {
	if m.cfg.ForwardTo != "" {
		lb.add("  → ", m.inks.Dim)
		lb.add(sanitize.Text(m.cfg.ForwardTo), m.inks.Text)
	}
}

// addAnswerHeader adds the answer mode to the header's first line, early,
// so that a narrow screen still shows it.
func (m *Model) addAnswerHeader(lb *lineBuilder) {
	k := m.inks
	if label, unusual := m.answerLabel(); label != "" {
		ink := k.Dim
		if unusual {
			ink = k.Attention
		}
		lb.add("  "+label, ink)
	}
}
