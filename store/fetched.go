package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Fetched is the payload downloaded from a delivery's signed link (the
// user's `L`, or --fetch-signed-urls), kept beside the delivery's own
// bytes, which never change.
type Fetched struct {
	Payload json.RawMessage // the JSON document behind the link: the run, not an envelope
	At      time.Time       // when it was downloaded
	run     extend.Run      // the run the payload names, for the run index
}

// Fetched returns the payload fetched from the event's signed link, or nil
// when there is none (yet).
func (e *Event) Fetched() *Fetched {
	if l := e.later.Load(); l != nil {
		return l.fetched
	}
	return nil
}

// FetchedBody is the delivery as the SDKs rebuild it once its link is
// fetched, {eventId, eventType, payload: <the downloaded JSON>}, or nil
// when nothing was fetched. The screen reads it instead of the body.
func (e *Event) FetchedBody() []byte {
	if f := e.Fetched(); f != nil {
		return rebuilt(e.Envelope, f.Payload)
	}
	return nil
}

func rebuilt(env extend.Envelope, payload json.RawMessage) []byte {
	b, _ := json.Marshal(struct {
		EventID   string          `json:"eventId"`
		EventType string          `json:"eventType"`
		Payload   json.RawMessage `json:"payload"`
	}{env.EventID, env.EventType, payload})
	return b
}

func newFetched(ev *Event, payload []byte, at time.Time) (*Fetched, error) {
	if !json.Valid(payload) {
		return nil, errors.New("the fetched payload is not JSON")
	}
	f := &Fetched{Payload: payload, At: at}
	f.run = extend.ParseEnvelope(rebuilt(ev.Envelope, f.Payload)).Run
	return f, nil
}

// RestoreFetched puts back the fetched payload a session file recorded,
// on an event read back from it, stored already or not yet; an absent or
// null payload leaves it without. It keeps the payload compact, as a JSONL
// record holds it, whatever the file's indentation (HAR's).
func (e *Event) RestoreFetched(payload json.RawMessage, at *time.Time) error {
	if len(payload) == 0 || string(payload) == "null" {
		return nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, payload); err != nil {
		return fmt.Errorf("fetchedPayload: %w", err)
	}
	f, err := newFetched(e, compact.Bytes(), timeOr(at))
	if err != nil {
		return fmt.Errorf("fetchedPayload: %w", err)
	}
	if s := e.store.Load(); s != nil {
		s.publishFetched(e, f)
	} else {
		e.publish(func(l *later) { l.fetched = f })
	}
	return nil
}

func timeOr(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// SetFetched keeps payload, downloaded at at, as stored event seq's
// fetched payload, joins the run it names to the event's run, counts it
// in the byte bound, and wakes the subscribers of SubscribeForwards, as a
// forward result does: --record writes it as an update line.
func (s *Store) SetFetched(seq uint64, payload []byte, at time.Time) error {
	ev, ok := s.Get(seq)
	if !ok {
		return fmt.Errorf("#%d is no longer stored", seq)
	}
	f, err := newFetched(ev, payload, at)
	if err != nil {
		return err
	}
	s.publishFetched(ev, f)
	return nil
}

func (s *Store) publishFetched(ev *Event, f *Fetched) {
	s.mu.Lock()
	old := ev.publish(func(l *later) { l.fetched = f }).fetched
	if held, ok := s.get(ev.Seq); ok && held == ev {
		// Counted like a body: if making room evicts ev itself, its
		// footprint already included f, so the sum still balances.
		s.makeRoom(int64(len(f.Payload)) - int64(len(old.payload())))
		s.joinFetched(ev)
	}
	s.mu.Unlock()
	s.fetches.Add(1)
	s.wake(s.forwardSubs)
}

// FetchCount is how many fetched payloads have been published on stored
// events: a reader that finds it unchanged has none new to look for.
func (s *Store) FetchCount() uint64 { return s.fetches.Load() }

// joinFetched joins the run a fetched payload names to the run of its
// event (a signed link's id is a placeholder until then), and to the
// workflow run it says it belongs to. The caller holds s.mu.
func (s *Store) joinFetched(ev *Event) {
	f := ev.Fetched()
	if f == nil || f.run.ID == "" {
		return
	}
	s.runs.Join(ev.RunID(), f.run.ID)
	if f.run.Within != "" {
		s.runs.Join(f.run.ID, f.run.Within)
	}
}

// Record is the fetched payload and its time as a record carries them;
// nil for none.
func (f *Fetched) Record() (json.RawMessage, *time.Time) {
	if f == nil {
		return nil, nil
	}
	at := f.At
	return f.Payload, &at
}

func (f *Fetched) payload() []byte {
	if f == nil {
		return nil
	}
	return f.Payload
}
