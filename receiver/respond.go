package receiver

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SlowDelay is how long the slow answer takes: past Extend's 30 s
// timeout, so Extend counts the delivery failed and retries it.
const SlowDelay = 35 * time.Second

// RespondKind is how the receiver picks its answer to Extend.
type RespondKind uint8

// The kinds of answer.
const (
	RespondStatus      RespondKind = iota // a fixed status, at once
	RespondPassThrough                    // the app's status; 502 when it gives none
	RespondSlow                           // 200, after SlowDelay
)

// RespondMode is what the receiver answers Extend: `--respond`, and the
// mode the screen's key cycles through. The zero value answers 200 at once.
// *RespondMode is a flag value (it has Set, String and Type).
type RespondMode struct {
	kind   RespondKind
	status int // for RespondStatus; 0 means 200, so the zero value is the default
}

// The answers with a name.
var (
	PassThrough = RespondMode{kind: RespondPassThrough}
	SlowAnswer  = RespondMode{kind: RespondSlow}
)

// cycle is the order the screen's key steps through: a success, a failure
// Extend retries, a rate limit, and an answer too late to count.
var cycle = []RespondMode{{}, {status: 500}, {status: 429}, SlowAnswer}

// ParseRespond reads `--respond`: a status from 200 to 599, "pass-through"
// or "slow".
func ParseRespond(s string) (RespondMode, error) {
	switch word := strings.ToLower(strings.TrimSpace(s)); word {
	case "pass-through":
		return PassThrough, nil
	case "slow":
		return SlowAnswer, nil
	}
	code, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || code < 200 || code > 599 {
		return RespondMode{}, fmt.Errorf("%q is not an answer: want a status from 200 to 599, pass-through or slow", s)
	}
	return respondWith(code), nil
}

func respondWith(code int) RespondMode {
	if code == http.StatusOK {
		code = 0
	}
	return RespondMode{status: code}
}

// Kind says how the answer is picked.
func (m RespondMode) Kind() RespondKind { return m.kind }

// Status is the status answered: the fixed one, or the slow answer's 200.
// It is 0 under pass-through, where PassThroughStatus decides.
func (m RespondMode) Status() int {
	switch m.kind {
	case RespondPassThrough:
		return 0
	case RespondSlow:
		return http.StatusOK
	default:
		if m.status == 0 {
			return http.StatusOK
		}
		return m.status
	}
}

// Delay is how long to wait before answering.
func (m RespondMode) Delay() time.Duration {
	if m.kind == RespondSlow {
		return SlowDelay
	}
	return 0
}

// String is the mode as `--respond` takes it: "200", "pass-through", "slow".
func (m RespondMode) String() string {
	switch m.kind {
	case RespondPassThrough:
		return "pass-through"
	case RespondSlow:
		return "slow"
	default:
		return strconv.Itoa(m.Status())
	}
}

// Next is the mode after m in the screen's cycle, 200 → 500 → 429 → slow →
// 200. home is the mode the receiver started with (`--respond`); when it
// is not in that cycle (pass-through, another status) it comes first, so
// cycling always leads back to it.
func (m RespondMode) Next(home RespondMode) RespondMode {
	steps := cycle
	if !slices.Contains(steps, home) {
		steps = append([]RespondMode{home}, cycle...)
	}
	i := slices.Index(steps, m)
	if i < 0 {
		return home
	}
	return steps[(i+1)%len(steps)]
}

// Set parses a flag value into m.
func (m *RespondMode) Set(s string) error {
	mode, err := ParseRespond(s)
	if err != nil {
		return err
	}
	*m = mode
	return nil
}

// Type names the flag's value in help text.
func (m *RespondMode) Type() string { return "answer" }

// Respond is what the receiver answers now.
func (s *Server) Respond() RespondMode { return *s.respond.Load() }

// SetRespond changes what the receiver answers from the next delivery on.
func (s *Server) SetRespond(m RespondMode) { s.respond.Store(&m) }

// CycleRespond steps to the next answer of the screen's cycle (see Next)
// and returns it.
func (s *Server) CycleRespond() RespondMode {
	for {
		old := s.respond.Load()
		next := old.Next(s.cfg.Respond)
		if s.respond.CompareAndSwap(old, &next) {
			return next
		}
	}
}
