package export

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// maxWarnings bounds the problems a warning lists one by one.
const maxWarnings = 10

// ReadSessionFile reads the session file at path; see ReadSession.
func ReadSessionFile(path string) (events []*store.Event, warn, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open session: %w", err)
	}
	defer f.Close()
	events, warn, err = ReadSession(f)
	if err != nil {
		return events, nil, fmt.Errorf("read session %s: %w", path, err)
	}
	if warn != nil {
		warn = fmt.Errorf("%s: %w", path, warn)
	}
	return events, warn, nil
}

// ReadSession reads a session: JSONL (store.Record lines, as `--record`
// and the JSONL export write them) or a HAR file, told apart by the first
// key of the first object ("log" for HAR).
//
// Bad input loses as little as it can. A line or entry that cannot be read
// is skipped and named in warn, a truncated last line (a recording that was
// interrupted) included; the rest loads. err is set when nothing could be
// read as a session at all, or when reading r failed (events then holds
// what was read before).
//
// Events keep their recorded Seq, DuplicateOf and Attempt. HAR entries
// written by extend-inspect keep their verification outcome; those of
// other tools are Unchecked, numbered from 1 in file order.
func ReadSession(r io.Reader) (events []*store.Event, warn, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3) // HAR readers must accept a byte-order mark
	}
	if looksLikeHAR(br) {
		return readHAR(br)
	}
	return readJSONL(br)
}

// looksLikeHAR reports whether the input's first object starts with the key
// "log". A JSONL record starts with "seq".
func looksLikeHAR(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(head[1:], " \t\r\n"), []byte(`"log"`))
}

// warnings collects the problems of one read.
type warnings struct {
	list []error
	more int
}

func (w *warnings) add(err error) {
	if len(w.list) < maxWarnings {
		w.list = append(w.list, err)
	} else {
		w.more++
	}
}

func (w *warnings) err() error {
	if w.more > 0 {
		return errors.Join(append(w.list, fmt.Errorf("and %d more problems", w.more))...)
	}
	return errors.Join(w.list...)
}

func readJSONL(br *bufio.Reader) ([]*store.Event, error, error) {
	var events []*store.Event
	var warn warnings
	for n := 1; ; n++ {
		line, rerr := br.ReadBytes('\n')
		if rerr != nil && rerr != io.EOF {
			return events, warn.err(), fmt.Errorf("line %d: %w", n, rerr)
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			ev, err := decodeRecord(trimmed)
			switch {
			case err == nil:
				events = append(events, ev)
			case rerr == io.EOF: // no newline: the writer stopped mid-line
				warn.add(fmt.Errorf("line %d is cut short, probably an interrupted recording; it was skipped: %w", n, err))
			default:
				warn.add(fmt.Errorf("line %d skipped: %w", n, err))
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if len(events) == 0 && warn.list != nil {
		return nil, nil, fmt.Errorf("not a session file (JSONL of extend-inspect records, or HAR): %w", warn.err())
	}
	return events, warn.err(), nil
}

func decodeRecord(line []byte) (*store.Event, error) {
	var r store.Record
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, err
	}
	if r.Method == "" {
		return nil, errors.New("not an extend-inspect record (no method)")
	}
	ev, err := r.Event()
	if err != nil {
		return nil, err
	}
	ev.Seq, ev.DuplicateOf, ev.Attempt = r.Seq, r.DuplicateOf, r.Attempt
	return ev, nil
}

type harFile struct {
	Log struct {
		Creator struct {
			Name string `json:"name"`
		} `json:"creator"`
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

func readHAR(r io.Reader) ([]*store.Event, error, error) {
	var doc harFile
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("HAR: %w", err)
	}
	ours := doc.Log.Creator.Name == creatorName
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
func harEvent(e harEntry, ours bool, creator string, warn *warnings, n int) (*store.Event, error) {
	if e.Request.Method == "" {
		return nil, errors.New("no request method")
	}
	ev := &store.Event{
		Method:  e.Request.Method,
		Headers: make([]store.Header, len(e.Request.Headers)),
		Status:  e.Response.Status,
	}
	for i, h := range e.Request.Headers {
		ev.Headers[i] = store.Header{Name: h.Name, Value: h.Value}
	}
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
	ev.Body, ev.Size = body, int64(len(body))
	x := e.Extras
	if !ours || x == nil {
		ev.Verification = extend.Check{Outcome: extend.Unchecked, Reason: "loaded from a HAR file written by " + printable(creator)}
		ev.Classify()
		return ev, nil
	}
	return withExtras(ev, x)
}

// withExtras restores what extend-inspect keeps in _extendInspect.
func withExtras(ev *store.Event, x *harExtras) (*store.Event, error) {
	outcome, err := extend.ParseVerification(x.Verification)
	if err != nil {
		return nil, err
	}
	ev.Verification = extend.Check{Outcome: outcome, Reason: x.VerificationReason}
	ev.Seq, ev.DuplicateOf, ev.Attempt, ev.ReplayOf = x.Seq, x.DuplicateOf, x.Attempt, x.ReplayOf
	ev.Rejected, ev.RemoteAddr, ev.Size = x.Rejected, x.RemoteAddr, x.Size
	if x.Path != nil {
		ev.Path = *x.Path
	}
	if x.Query != nil {
		ev.Query = *x.Query
	}
	ev.Classify()
	if ev.Rejected != "" {
		ev.Envelope.EventID, ev.Envelope.EventType = x.EventID, x.EventType
	}
	if f := x.Forward; f != nil {
		ev.SetForward(&store.Forward{URL: f.URL, Status: f.Status, Latency: time.Duration(f.LatencyMs) * time.Millisecond, Err: f.Error})
	}
	return ev, nil
}

// harBody decodes postData back to the exact bytes: nil when there is none,
// base64 when marked so, and a form's params re-encoded when a tool listed
// them instead of the text.
func harBody(pd *harPostData) ([]byte, error) {
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
