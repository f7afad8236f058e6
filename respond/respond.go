// Package respond is what the receiver answers Extend: `--respond`, and the
// mode the screen's key cycles through. It is its own small package because
// both the receiver, which answers, and the screen, which shows and cycles
// the answer, need the type, and the screen may not import the receiver.
package respond

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// SlowDelay is how long the slow answer takes: past Extend's delivery
// timeout, so Extend counts the delivery failed and retries it.
const SlowDelay = extend.DeliveryTimeout + 5*time.Second

// Kind is how the answer is picked.
type Kind uint8

// The kinds of answer.
const (
	KindStatus      Kind = iota // a fixed status, at once
	KindPassThrough             // the app's status; 502 when it gives none
	KindSlow                    // 200, after SlowDelay
)

// Mode is what the receiver answers Extend. The zero value answers 200 at
// once. Modes are comparable. *Mode is a flag value (it has Set, String and
// Type).
type Mode struct {
	kind   Kind
	status int // for KindStatus; 0 means 200, so the zero value is the default
}

// The answers with a name.
var (
	PassThrough = Mode{kind: KindPassThrough}
	Slow        = Mode{kind: KindSlow}
)

// cycle is the order the screen's key steps through: a success, a failure
// Extend retries, a rate limit, and an answer too late to count.
var cycle = []Mode{{}, Status(http.StatusInternalServerError), Status(http.StatusTooManyRequests), Slow}

// Parse reads `--respond`: a status from 200 to 599, "pass-through" or
// "slow".
func Parse(s string) (Mode, error) {
	switch word := strings.ToLower(strings.TrimSpace(s)); word {
	case "pass-through":
		return PassThrough, nil
	case "slow":
		return Slow, nil
	}
	code, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || code < 200 || code > 599 {
		return Mode{}, fmt.Errorf("%q is not an answer: want a status from 200 to 599, pass-through or slow", s)
	}
	return Status(code), nil
}

// Status is the mode that answers code at once.
func Status(code int) Mode {
	if code == http.StatusOK {
		code = 0
	}
	return Mode{status: code}
}

// Kind says how the answer is picked.
func (m Mode) Kind() Kind { return m.kind }

// Status is the status answered: the fixed one, or the slow answer's 200.
// It is 0 under pass-through, where the app's answer decides.
func (m Mode) Status() int {
	switch m.kind {
	case KindPassThrough:
		return 0
	case KindSlow:
		return http.StatusOK
	default:
		if m.status == 0 {
			return http.StatusOK
		}
		return m.status
	}
}

// Delay is how long to wait before answering.
func (m Mode) Delay() time.Duration {
	if m.kind == KindSlow {
		return SlowDelay
	}
	return 0
}

// String is the mode as `--respond` takes it: "200", "pass-through", "slow".
func (m Mode) String() string {
	switch m.kind {
	case KindPassThrough:
		return "pass-through"
	case KindSlow:
		return "slow"
	default:
		return strconv.Itoa(m.Status())
	}
}

// Next is the mode after m in the screen's cycle, 200 → 500 → 429 → slow →
// 200. home is the mode the receiver started with (`--respond`); when it
// is not in that cycle (pass-through, another status) it comes first, so
// cycling always leads back to it.
func (m Mode) Next(home Mode) Mode {
	steps := cycle
	if !slices.Contains(steps, home) {
		steps = append([]Mode{home}, cycle...)
	}
	i := slices.Index(steps, m)
	if i < 0 {
		return home
	}
	return steps[(i+1)%len(steps)]
}

// Set parses a flag value into m.
func (m *Mode) Set(s string) error {
	mode, err := Parse(s)
	if err != nil {
		return err
	}
	*m = mode
	return nil
}

// Type names the flag's value in help text.
func (m *Mode) Type() string { return "answer" }
