package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export/har"
)

// Extensions of the JSON-files format.
const (
	bodyExt    = ".json"
	metaExt    = ".meta.json"
	fetchedExt = ".fetched.json" // the payload fetched from the signed link, when there is one
)

// stageBatch is how many events' files are written and synced at once. A
// sync costs about half a millisecond and most of it is waiting for the
// disk, so overlapping a few makes a 10,000-event export several times
// faster; the names are still given in order, one event at a time.
const stageBatch = 8

// meta is the <stem>.meta.json file: everything about a delivery except
// its body. Headers are a list, in the order received, so that repeated
// headers survive.
type meta struct {
	Seq                uint64               `json:"seq"`
	ReceivedAt         time.Time            `json:"receivedAt"`
	Method             string               `json:"method"`
	Path               string               `json:"path"`
	Query              string               `json:"query,omitempty"`
	RemoteAddr         string               `json:"remoteAddr,omitempty"`
	Headers            []har.NameValue      `json:"headers"`
	Verification       string               `json:"verification"`
	VerificationReason string               `json:"verificationReason,omitempty"`
	Answer             int                  `json:"answer"`
	EventID            string               `json:"eventId"`
	EventType          string               `json:"eventType"`
	Category           string               `json:"category"`
	Size               int64                `json:"size"`
	Rejected           string               `json:"rejected,omitempty"`
	DuplicateOf        uint64               `json:"duplicateOf,omitempty"`
	Attempt            int                  `json:"attempt"`
	ReplayOf           uint64               `json:"replayOf,omitempty"`
	ParseError         string               `json:"parseError,omitempty"`
	Forward            *store.ForwardRecord `json:"forward,omitempty"`
}

func metaOf(ev *store.Event) (meta, error) {
	headers, err := ev.Headers() // read once: a session's are in its file
	if err != nil {
		return meta{}, fmt.Errorf("event %d: %w", ev.Seq, err)
	}
	r := ev.RecordWithHeaders(headers)
	return meta{
		Seq: r.Seq, ReceivedAt: r.ReceivedAt, Method: r.Method, Path: r.Path, Query: r.Query,
		RemoteAddr: r.RemoteAddr, Headers: headerList(headers),
		Verification: r.Verification, VerificationReason: r.VerificationReason, Answer: r.Answer,
		EventID: r.EventID, EventType: r.EventType, Category: r.Category, Size: r.Size,
		Rejected: r.Rejected, DuplicateOf: r.DuplicateOf, Attempt: r.Attempt, ReplayOf: r.ReplayOf,
		ParseError: r.ParseError, Forward: r.Forward,
	}, nil
}

func headerList(headers []store.Header) []har.NameValue {
	list := make([]har.NameValue, len(headers))
	for i, h := range headers {
		list[i] = har.NameValue{Name: h.Name, Value: h.Value}
	}
	return list
}

// eventFiles is one event's staged files; body is nil for a rejected
// delivery, which has no body to write, and fetched for one whose signed
// link was not fetched.
type eventFiles struct {
	body, meta, fetched *staged
	err                 error
}

func (f *eventFiles) discard() {
	for _, s := range []*staged{f.body, f.meta, f.fetched} {
		if s != nil {
			s.discard()
		}
	}
}

// jsonFiles writes each event's body, byte for byte, and its metadata.
func (w *writer) jsonFiles() error {
	return w.eachEvent(w.stageEvent, func(ev *store.Event, f *eventFiles) error {
		if err := w.publishEvent(ev, f); err != nil {
			return err
		}
		w.res.Events++
		return nil
	})
}

// eachEvent stages the events' files in batches and publishes them in
// order, stopping at the first failure: the events from there on are
// recorded as skipped.
func (w *writer) eachEvent(stage func(*store.Event) eventFiles, publish func(*store.Event, *eventFiles) error) error {
	for start := 0; start < len(w.events); start += stageBatch {
		batch := w.events[start:min(start+stageBatch, len(w.events))]
		staged := w.stageBatch(batch, stage)
		for i, ev := range batch {
			err := staged[i].err
			if err == nil {
				err = w.ctx.Err()
			}
			if err == nil {
				err = publish(ev, &staged[i])
			}
			staged[i].discard()
			if err != nil {
				for _, rest := range staged[i+1:] {
					rest.discard()
				}
				w.res.skip(w.events[start+i:], err)
				return err
			}
			w.progress(start + i)
		}
	}
	return nil
}

// stageBatch writes and syncs the batch's files concurrently, with stage.
func (w *writer) stageBatch(batch []*store.Event, stage func(*store.Event) eventFiles) []eventFiles {
	files := make([]eventFiles, len(batch))
	var wg sync.WaitGroup
	for i, ev := range batch {
		wg.Go(func() { files[i] = stage(ev) })
	}
	wg.Wait()
	return files
}

func (w *writer) stageEvent(ev *store.Event) eventFiles {
	var f eventFiles
	if f.err = w.ctx.Err(); f.err != nil {
		return f
	}
	f.meta, f.err = stage(w.root, 0o644, func(out io.Writer) error {
		enc := json.NewEncoder(out) // one write: the encoder buffers the value
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		m, err := metaOf(ev)
		if err != nil {
			return err
		}
		return enc.Encode(m)
	})
	if f.err != nil || ev.Rejected() != "" {
		return f
	}
	f.body, f.err = stage(w.root, 0o644, writeBody(ev))
	if fetched := ev.Fetched(); f.err == nil && fetched != nil {
		f.fetched, f.err = stage(w.root, 0o644, func(out io.Writer) error {
			_, err := out.Write(fetched.Payload)
			return err
		})
	}
	return f
}

// writeBody writes ev's body as received, in one write.
func writeBody(ev *store.Event) func(io.Writer) error {
	return func(out io.Writer) error {
		body, err := ev.Body()
		if err != nil {
			return fmt.Errorf("event %d: %w", ev.Seq, err)
		}
		_, err = out.Write(body)
		return err
	}
}

// publishEvent names the event's files <stem>.json, <stem>.meta.json and
// <stem>.fetched.json, with the first copy number that leaves every name
// free.
func (w *writer) publishEvent(ev *store.Event, f *eventFiles) error {
	files := []struct {
		s   *staged
		ext string
	}{{f.body, bodyExt}, {f.meta, metaExt}, {f.fetched, fetchedExt}}
	stem := eventStem(ev, fetchedExt)
next:
	for n := 1; n <= maxCopies; n++ {
		s := stem + copySuffix(n)
		var linked []string
		for _, file := range files {
			if file.s == nil {
				continue
			}
			err := file.s.link(s + file.ext)
			if err != nil {
				for _, name := range linked {
					w.root.Remove(name) // ours: linked a moment ago
				}
			}
			if errors.Is(err, fs.ErrExist) {
				continue next
			}
			if err != nil {
				return fmt.Errorf("write %s: %w", s+file.ext, err)
			}
			linked = append(linked, s+file.ext)
		}
		for _, name := range linked {
			w.wrote(name)
		}
		return nil
	}
	return fmt.Errorf("%s%s and %d numbered copies of it already exist: choose another directory", stem, bodyExt, maxCopies-1)
}
