package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/store"
)

// LinkFetcher downloads the payload behind a delivery's signed link and
// keeps it on the event (store.Store.SetFetched), where every view, the
// recording and the exports find it. Fetch returns when the payload was
// fetched, or an error worded for the footer. It is called from a command,
// never from Update.
type LinkFetcher interface {
	Fetch(ctx context.Context, ev *store.Event) (at time.Time, err error)
}

// linkFetchedMsg carries the outcome of one fetch-link command.
type linkFetchedMsg struct {
	seq uint64
	at  time.Time
	err error
}

// fetchLink fetches the selected event's signed link, off the update loop;
// the footer shows it under way until its answer comes.
func (m *Model) fetchLink() tea.Cmd {
	it := m.list.sel
	switch {
	case it == nil:
		m.report("Select an event whose payload is a signed link.", true)
	case !it.ev.Envelope.IsSignedURL():
		m.report(fmt.Sprintf("#%d has no signed link: its payload came in the delivery itself.", it.ev.Seq), true)
	case m.cfg.Links == nil:
		m.report("Fetching signed links is not available in this session.", true)
	case m.fetching[it.ev.Seq]:
		m.report(fmt.Sprintf("The link of #%d is being fetched already.", it.ev.Seq), false)
	default:
		if m.fetching == nil {
			m.fetching = map[uint64]bool{}
		}
		m.fetching[it.ev.Seq] = true
		return fetchLinkCmd(m.life, m.cfg.Links, it.ev)
	}
	return nil
}

func fetchLinkCmd(ctx context.Context, links LinkFetcher, ev *store.Event) tea.Cmd {
	return func() tea.Msg {
		at, err := links.Fetch(ctx, ev)
		return linkFetchedMsg{seq: ev.Seq, at: at, err: err}
	}
}

// linkFetched reports a fetch's outcome, and draws the event again when it
// is on screen: its views now read the downloaded payload.
func (m *Model) linkFetched(msg linkFetchedMsg) tea.Cmd {
	delete(m.fetching, msg.seq)
	if msg.err != nil {
		m.report(fmt.Sprintf("#%d: the signed link gave no payload: %v", msg.seq, msg.err), true)
		return nil
	}
	m.report(fmt.Sprintf("#%d: %s", msg.seq, fetchedText(msg.at, m.cfg.Location)), false)
	return m.refreshShown()
}

// fetchingText is the footer while links are being fetched.
func (m *Model) fetchingText() string {
	seqs := make([]string, 0, len(m.fetching))
	for seq := range m.fetching {
		seqs = append(seqs, fmt.Sprintf("#%d", seq))
	}
	slices.Sort(seqs)
	return "Fetching the signed link of " + strings.Join(seqs, ", ") + "…"
}

// fetchedText is the mark of a view that reads a downloaded payload.
func fetchedText(at time.Time, loc *time.Location) string {
	return "fetched from the signed link at " + at.In(loc).Format(time.TimeOnly)
}

// shownPayload is what the views of a run's payload read (Payload, Summary,
// Run, Fields, Review): the body as received or, once the signed link was
// fetched, the delivery rebuilt around the downloaded payload as the SDKs
// do it. Raw and Headers always show the delivery's own bytes.
type shownPayload struct {
	body    []byte
	env     extend.Envelope
	fetched *store.Fetched // nil: the delivery's own body
	err     error          // the delivery's body could not be read (a session file that changed)
}

// payloadOf is the one way those views get it; it parses a fetched payload,
// so call it in a producer, never in Update or View.
func payloadOf(ev *store.Event) shownPayload {
	f := ev.Fetched()
	if f == nil {
		body, err := ev.Body()
		return shownPayload{body: body, env: ev.Envelope, err: err}
	}
	body := ev.FetchedBody()
	return shownPayload{body: body, env: extend.ParseEnvelope(body), fetched: f}
}

// markFetched writes, at the top of a view, that it reads the downloaded
// payload.
func (p shownPayload) markFetched(rw *rowWriter, kit *renderKit) {
	if p.fetched == nil {
		return
	}
	rw.write(fetchedText(p.fetched.At, kit.loc), kit.inks.Attention)
	rw.endLine()
	rw.endLine()
}

// linkExpiry is when ev's signed link stops working.
func linkExpiry(ev *store.Event) output.Expiry {
	return output.LinkExpiry(ev.Envelope.SignedURL(), ev.ReceivedAt)
}

// minutesLeft is the whole minutes ev's signed link has left at now, -1
// once expired, 0 for an event without one: part of a document's key, so
// the Summary's "how long is left" is drawn again as it changes.
func minutesLeft(ev *store.Event, now time.Time) int64 {
	if !ev.Envelope.IsSignedURL() {
		return 0
	}
	left := linkExpiry(ev).Left(now)
	if left <= 0 {
		return -1
	}
	return int64(left/time.Minute) + 1
}

// withLinkLeft is a row's text as the row shows it: a signed link's
// status cell (a link has no status) says when the link expires and how
// long is left, or that its payload was fetched.
func withLinkLeft(t rowText, ev *store.Event, now time.Time, loc *time.Location) rowText {
	switch {
	case !showsLinkLeft(ev):
	case ev.Fetched() != nil:
		t.status = "fetched"
	default:
		t.status = linkExpiry(ev).Short(now, loc)
	}
	return t
}

// showsLinkLeft reports whether ev's status cell tells of its signed link
// (withLinkLeft).
func showsLinkLeft(ev *store.Event) bool {
	return ev.Envelope.IsSignedURL() && displayStatus(ev) == ""
}
