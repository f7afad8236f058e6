package deliver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// ReplayMode says how a replay is signed.
type ReplayMode uint8

// The replay modes.
const (
	// Resign sends the original body and headers with a fresh timestamp
	// and signature, so the app's verification passes as it would for a
	// retry from Extend.
	Resign ReplayMode = iota
	// Verbatim sends the original bytes and headers, old signature
	// included: an app that checks the 5-minute window refuses it.
	Verbatim
)

// String names the mode as the screen and docs do.
func (m ReplayMode) String() string {
	switch m {
	case Verbatim:
		return "verbatim"
	default:
		return "re-signed"
	}
}

// ErrNoSecret is Replay's answer to a Resign without a signing secret.
var ErrNoSecret = errors.New("re-signing needs the signing secret: set --secret or EXTEND_WEBHOOK_SECRET (R replays verbatim, old signature included)")

var replayClient = NewClient(DefaultForwardTimeout, Trust{})

// Replay sends ev's body again, to target (as ParseTarget reads it), and
// returns a new event describing the replay, for the caller to Append: the
// URL and headers actually sent, the same body, ReplayOf set to ev.Seq, the
// verification the receiver would make of it with secret at now, and the
// app's answer as its forward result.
//
// Resign signs with secret at now; Verbatim sends the stored headers as
// they are. Replay fails only when nothing can be sent: no body, no secret
// to re-sign with, or a target that is not a URL. An app that is down or
// slow is an answer, recorded on the new event. A nil client means
// NewClient(DefaultForwardTimeout, Trust{}).
func Replay(ctx context.Context, client *http.Client, target string, ev *store.Event, mode ReplayMode, secret string, now time.Time) (*store.Event, error) {
	if ev.Rejected() != "" {
		return nil, fmt.Errorf("replay event %d: the receiver refused its body (%s), so there is nothing to send", ev.Seq, ev.Rejected())
	}
	u, err := ParseTarget(target)
	if err != nil {
		return nil, fmt.Errorf("replay event %d: %w", ev.Seq, err)
	}
	body, err := ev.Body()
	if err != nil {
		return nil, fmt.Errorf("replay event %d: %w", ev.Seq, err)
	}
	headers, err := ev.Headers()
	if err != nil {
		return nil, fmt.Errorf("replay event %d: %w", ev.Seq, err)
	}
	if mode == Resign {
		if secret == "" {
			return nil, ErrNoSecret
		}
		headers = resign(headers, secret, body, now)
	}
	if client == nil {
		client = replayClient
	}
	dest := targetFor(u, ev.Query)
	res := Post(ctx, client, dest, body, headers)
	return replayEvent(ev, body, dest, headers, secret, now, res), nil
}

// resign replaces the signature headers in place, keeping their position
// and spelling, or adds them as Extend names them.
func resign(headers []store.Header, secret string, body []byte, now time.Time) []store.Header {
	ts := strconv.FormatInt(now.Unix(), 10)
	headers = setHeader(headers, extend.HeaderTimestamp, ts)
	return setHeader(headers, extend.HeaderSignature, extend.Sign(secret, ts, body))
}

// setHeader gives name one value: the first header of that name is
// changed, any others removed; with none, it is appended.
func setHeader(headers []store.Header, name, value string) []store.Header {
	i := slices.IndexFunc(headers, func(h store.Header) bool { return strings.EqualFold(h.Name, name) })
	if i < 0 {
		return append(headers, store.Header{Name: name, Value: value})
	}
	headers[i].Value = value
	rest := slices.DeleteFunc(headers[i+1:], func(h store.Header) bool { return strings.EqualFold(h.Name, name) })
	return headers[:i+1+len(rest)]
}

// replayEvent describes a replay as the receiver would have recorded it,
// had it been the target.
func replayEvent(of *store.Event, body []byte, dest string, headers []store.Header, secret string, now time.Time, res Response) *store.Event {
	u, _ := url.Parse(dest) // dest was built from a parsed URL
	ev := &store.Event{
		ReceivedAt: now,
		Method:     http.MethodPost,
		Path:       cmp.Or(u.Path, "/"),
		Query:      u.RawQuery,
	}
	ev.SetReplayOf(of.Seq)
	// A replay lives on after the session it replays is closed, so it
	// holds its bytes in memory; a live event's are shared, as events are
	// immutable.
	sent := sentHeaders(headers, u.Host, len(body))
	ev.SetHeaders(sent)
	ev.SetBody(body)
	ev.Verification = extend.NewVerifier(secret).Verify(store.HeaderValue(sent, extend.HeaderTimestamp), store.HeaderValue(sent, extend.HeaderSignature), body, now)
	ev.Classify()
	ev.SetForward(res.Forward(extend.DeliveryTimeout))
	return ev
}

// sentHeaders lists the headers Post puts on the wire, with the Host and
// Content-Length net/http adds, as the receiver lists a delivery's.
func sentHeaders(headers []store.Header, host string, size int) []store.Header {
	h := outgoing(headers)
	if h.Get("User-Agent") == "" {
		delete(h, "User-Agent") // the marker that stops net/http sending its own
	}
	h.Set("Host", host)
	h.Set("Content-Length", strconv.Itoa(size))
	return headerList(h)
}
