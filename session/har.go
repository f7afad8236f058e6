package session

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export/har"
)

func readHAR(r io.Reader) ([]*store.Event, error, error) {
	var doc har.File
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("HAR: %w", err)
	}
	ours := doc.Log.Creator.Name == har.CreatorName
	var events []*store.Event
	var warn warnings
	for i, e := range doc.Log.Entries {
		ev, err := harEvent(e, ours, doc.Log.Creator.Name, &warn, i+1)
		if err != nil {
			warn.add(fmt.Errorf("entry %d skipped: %w", i+1, err))
			continue
		}
		if !ours || e.Extras == nil {
			ev.Seq = uint64(i + 1)
		}
		events = append(events, ev)
	}
	return events, warn.err(), nil
}

// harEvent rebuilds an event from a HAR entry. The custom fields count only
// in a file this tool wrote, as HAR's rules for them require.
func harEvent(e har.Entry, ours bool, creator string, warn *warnings, n int) (*store.Event, error) {
	if e.Request.Method == "" {
		return nil, errors.New("no request method")
	}
	ev := &store.Event{
		Method: e.Request.Method,
		Status: store.StatusOf(e.Response.Status),
	}
	headers := make([]store.Header, len(e.Request.Headers))
	for i, h := range e.Request.Headers {
		headers[i] = store.Header{Name: h.Name, Value: h.Value}
	}
	ev.SetHeaders(headers)
	if t, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err == nil {
		ev.ReceivedAt = t
	} else {
		warn.add(fmt.Errorf("entry %d: startedDateTime %q is not an ISO 8601 time", n, e.StartedDateTime))
	}
	if u, err := url.Parse(e.Request.URL); err == nil {
		ev.Path, ev.Query = u.Path, u.RawQuery
	} else {
		ev.Path = e.Request.URL
	}
	body, err := harBody(e.Request.PostData)
	if err != nil {
		return nil, err
	}
	ev.SetBody(body)
	x := e.Extras
	if !ours || x == nil {
		ev.Verification = extend.Check{Outcome: extend.Unchecked, Reason: "loaded from a HAR file written by " + printable(creator)}
		ev.Classify()
		return ev, nil
	}
	return withExtras(ev, x)
}

// withExtras restores what extend-inspect keeps in _extendInspect.
func withExtras(ev *store.Event, x *har.Extras) (*store.Event, error) {
	outcome, err := extend.ParseVerification(x.Verification)
	if err != nil {
		return nil, err
	}
	ev.Verification = extend.Check{Outcome: outcome, Reason: x.VerificationReason}
	ev.Seq, ev.Attempt, ev.RemoteAddr = x.Seq, int32(x.Attempt), x.RemoteAddr
	ev.SetDuplicateOf(x.DuplicateOf)
	ev.SetReplayOf(x.ReplayOf)
	if x.Rejected != "" {
		ev.Reject(x.Rejected, x.Size)
	}
	if x.Path != nil {
		ev.Path = *x.Path
	}
	if x.Query != nil {
		ev.Query = *x.Query
	}
	ev.Restore(x.EventID, x.EventType, x.Forward)
	if err := ev.RestoreFetched(x.FetchedPayload, x.FetchedAt); err != nil {
		return nil, err
	}
	return ev, nil
}

// harBody decodes postData back to the exact bytes: nil when there is none,
// base64 when marked so, and a form's params re-encoded when a tool listed
// them instead of the text.
func harBody(pd *har.PostData) ([]byte, error) {
	switch {
	case pd == nil:
		return nil, nil
	case pd.Encoding == "base64":
		b, err := base64.StdEncoding.DecodeString(pd.Text)
		if err != nil {
			return nil, fmt.Errorf("postData: %w", err)
		}
		return b, nil
	case pd.Encoding != "":
		return nil, fmt.Errorf("postData: unknown encoding %q", pd.Encoding)
	case pd.Text == "" && len(pd.Params) > 0:
		form := make([]string, len(pd.Params))
		for i, p := range pd.Params {
			form[i] = url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value)
		}
		return []byte(strings.Join(form, "&")), nil
	}
	return []byte(pd.Text), nil
}

// printable keeps a name from another tool's file to printable ASCII, for
// messages.
func printable(s string) string {
	if s == "" {
		return "an unnamed tool"
	}
	b := []byte(s)[:min(len(s), 60)]
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}
