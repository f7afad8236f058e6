package ui

import "github.com/extend-inspect/extend-inspect/ui/sanitize"

// Answerer is the receiver's answer to Extend, which the user cycles with a
// key to rehearse failures: 200 → 500 → 429 → slow → back. Its strings are
// the modes as --respond spells them ("200", "500", "slow", "pass-through").
// It is nil when the screen has no receiver.
type Answerer interface {
	Respond() string
	CycleRespond() string
}

// forwardState is the screen's part of forwarding, replay and the
// receiver's answer.
type forwardState struct {
	answer  string // the receiver's answer mode; "" without a receiver
	retries bool   // some eventId was delivered again: rows show the gaps
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
func answerWords(mode string) string {
	switch mode {
	case "slow":
		return "200 after 35 s (past Extend's 30 s timeout)"
	case "pass-through":
		return "with the app's status"
	}
	return mode
}

// answerLabel is the header's note of the answer mode: shown when it is not
// a plain 200, and always while forwarding.
func (m *Model) answerLabel() (string, bool) {
	a := m.fwd.answer
	switch {
	case a == "":
		return "", false
	case a != "200":
		if a == "slow" {
			a = "slow (35 s)"
		}
		return "answering " + a, true
	case m.cfg.ForwardTo != "":
		return "answering 200", false
	}
	return "", false
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
