package deliver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

// Signing says how a delivery is signed: as Extend signs it, or wrong in one
// of the ways a receiver must refuse.
type Signing uint8

// The ways to sign a delivery.
const (
	Signed       Signing = iota // Extend's signature over the current time
	Unsigned                    // no signature headers: a verifier says "missing"
	BadSignature                // signed with a wrong secret: "invalid"
	Stale                       // signed correctly, StaleAge ago: "stale"
)

// String names the signing as the report lines show it.
func (s Signing) String() string {
	switch s {
	case Unsigned:
		return "unsigned"
	case BadSignature:
		return "bad signature"
	case Stale:
		return "stale"
	default:
		return "signed"
	}
}

// NeedsSecret reports whether deliveries signed this way need the
// endpoint's secret: without it Signed and Stale would go out unsigned,
// which only Unsigned asks for (BadSignature makes up a wrong secret).
func (s Signing) NeedsSecret() bool { return s == Signed || s == Stale }

// StaleAge is how far back a Stale delivery is dated: an hour, far outside
// the 300 s window the SDKs apply, like a capture replayed too late.
const StaleAge = time.Hour

// Timeout is how long a delivery waits for its answer: Extend's own
// delivery timeout, so an app that is too slow for Extend fails here too.
const Timeout = extend.DeliveryTimeout

// UserAgent marks the deliveries this package sends, so an app's logs can
// tell a rehearsal from Extend (whose user agent is not published).
const UserAgent = "extend-inspect"

// Delivery is one planned request. Its body is built when it is due, so the
// ids and timestamps inside are fresh at the moment it is sent.
type Delivery struct {
	After   time.Duration // pause after the previous delivery started
	Body    func() ([]byte, error)
	Signing Signing
	Note    string // what the delivery demonstrates, for the report
}

// Result is what happened to one delivery.
type Result struct {
	URL       string
	EventType string // from the body; "" when it names none
	EventID   string
	Signing   Signing
	Note      string
	Status    int // the target's answer; 0 when there was none
	Latency   time.Duration
	Err       error // *UnreachableError when the target did not answer
}

// OK reports whether the target answered as it should. A signed delivery
// wants a 2xx. A rehearsal of a rejection is fine with any answer below 500:
// an app refuses it with a 4xx, and the inspector accepts and flags it.
func (r Result) OK() bool {
	switch {
	case r.Err != nil:
		return false
	case r.Signing == Signed:
		return r.Status >= 200 && r.Status < 300
	default:
		return r.Status >= 200 && r.Status < 500
	}
}

// String is the delivery's report line, e.g.
//
//	200 OK  workflow_run.completed           event_Xyz…  → http://127.0.0.1:4677/ (3 ms)
func (r Result) String() string {
	var b strings.Builder
	if r.Err != nil {
		b.WriteString("no answer")
	} else {
		fmt.Fprintf(&b, "%d %s", r.Status, http.StatusText(r.Status))
	}
	fmt.Fprintf(&b, "  %-31s  %s  → %s", orDash(r.EventType), orDash(r.EventID), r.URL)
	if r.Err != nil {
		fmt.Fprintf(&b, ": %v", r.Err)
	} else {
		fmt.Fprintf(&b, " (%s)", milliseconds(r.Latency))
	}
	if r.Signing != Signed {
		fmt.Fprintf(&b, "  %s, %s", r.Signing, r.verdict())
	}
	if r.Note != "" {
		b.WriteString("  " + r.Note)
	}
	return b.String()
}

// verdict says what the target made of a rehearsal of a rejection.
func (r Result) verdict() string {
	switch {
	case r.Err != nil:
		return "not delivered"
	case r.Status >= 200 && r.Status < 300:
		return "accepted"
	case r.Status < 500:
		return "refused"
	default:
		return "server error"
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func milliseconds(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
}

// Sender posts deliveries to one URL, signed as Extend signs them.
type Sender struct {
	URL string
	// Secret is the endpoint's signing secret. Empty sends Signed and Stale
	// deliveries without signature headers, as an endpoint without one gets.
	Secret string
	Client *http.Client     // nil means a client with Timeout
	Now    func() time.Time // nil means time.Now
	// Version is the API version the bodies follow, sent as
	// x-extend-api-version as Extend does; empty sends no such header (a
	// file's body is the user's, its version unknown).
	Version extend.Version
}

// Send posts one body and reports the answer.
func (s *Sender) Send(ctx context.Context, body []byte, signing Signing) Result {
	env := extend.ParseEnvelope(body)
	headers := []store.Header{{Name: "User-Agent", Value: UserAgent}}
	if s.Version != "" {
		headers = append(headers, store.Header{Name: extend.APIVersionHeader, Value: string(s.Version)})
	}
	headers = append(headers, s.signature(body, signing)...)
	resp := Post(ctx, s.client(), s.URL, body, headers)
	res := Result{URL: s.URL, EventType: env.EventType, EventID: env.EventID, Signing: signing, Status: resp.Status, Latency: resp.Latency}
	if resp.Status == 0 {
		res.Err = resp.Err
	}
	return res
}

// signature returns the signature headers for the signing asked for, or
// none.
func (s *Sender) signature(body []byte, signing Signing) []store.Header {
	now := s.now()
	secret := s.Secret
	switch signing {
	case Unsigned:
		return nil
	case BadSignature:
		secret = wrongSecret(s.Secret)
	case Stale:
		now = now.Add(-StaleAge)
	}
	if secret == "" {
		return nil
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	return []store.Header{
		{Name: extend.HeaderTimestamp, Value: ts},
		{Name: extend.HeaderSignature, Value: extend.Sign(secret, ts, body)},
	}
}

// wrongSecret is a well-formed secret that differs from secret, so the
// signature is well-formed too and a verifier says "invalid", not
// "malformed".
func wrongSecret(secret string) string {
	wrong := NewSecret("")
	if wrong == secret {
		return wrong + "x"
	}
	return wrong
}

// NewSecret makes a fresh signing secret, "wss_" + label + 48 random hex
// digits, for deliveries that must not be signed with the user's: the
// wrong one of a BadSignature delivery, or the demo's own.
func NewSecret(label string) string {
	b := make([]byte, 24)
	rand.Read(b)
	return "wss_" + label + hex.EncodeToString(b)
}

func (s *Sender) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return defaultClient
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Run sends the planned deliveries in order, each After the start of the
// previous one (the first, After the call), or at once when sending took
// longer than that; it calls report with each result. It stops at the first
// delivery that gets no answer and returns that *UnreachableError; it also
// stops when ctx ends or a body cannot be built. Answers that are not OK do
// not stop it: report sees them.
func (s *Sender) Run(ctx context.Context, plan iter.Seq[Delivery], report func(Result)) error {
	last := time.Now() // the first delivery's After counts from the start
	for d := range plan {
		if err := sleepUntil(ctx, last.Add(d.After)); err != nil {
			return err
		}
		body, err := d.Body()
		if err != nil {
			return err
		}
		last = time.Now()
		res := s.Send(ctx, body, d.Signing)
		res.Note = d.Note
		if ctx.Err() != nil {
			return ctx.Err()
		}
		report(res)
		var down *UnreachableError
		if errors.As(res.Err, &down) {
			return down
		}
	}
	return nil
}

// SendAll sends a job's deliveries as Run does and calls report with each
// one that was answered. Besides Run's errors (an *UnreachableError when the
// target did not answer), it returns one that says how far it got when ctx
// was cancelled, and one that counts the answers that were not OK.
func (s *Sender) SendAll(ctx context.Context, job Job, report func(Result)) error {
	sent, failed := 0, 0
	err := s.Run(ctx, job.Plan, func(r Result) {
		if r.Err != nil {
			return // Run returns it
		}
		sent++
		if !r.OK() {
			failed++
		}
		report(r)
	})
	var down *UnreachableError
	switch {
	case errors.As(err, &down):
		return err
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted after %d of %d deliveries", sent, job.Total)
	case err != nil:
		return err
	case failed > 0:
		return fmt.Errorf("%d of %d deliveries failed", failed, sent)
	}
	return nil
}

// Play sends a scenario's steps, each after its delay, building each body
// as it is sent; opt picks the API version and clock of the samples.
func (s *Sender) Play(ctx context.Context, sc sample.Scenario, opt sample.Options, report func(Result)) error {
	if err := s.Run(ctx, ScenarioPlan(sc, opt), report); err != nil {
		return fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	return nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	wait := time.Until(t)
	if wait <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
