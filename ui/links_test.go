package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

// fakeLinks serves signed links from memory and lands the payload in the
// store, as the real fetcher (deliver.FetchInto) does.
type fakeLinks struct {
	store    *store.Store
	payloads map[string][]byte
	err      error
	calls    int
}

func (f *fakeLinks) stash(p []byte) string {
	link := "https://storage.example.invalid/p" + string(rune('a'+len(f.payloads))) + ".json?X-Amz-Signature=s"
	f.payloads[link] = p
	return link
}

func (f *fakeLinks) Fetch(_ context.Context, ev *store.Event) (time.Time, error) {
	f.calls++
	if f.err != nil {
		return time.Time{}, f.err
	}
	at := testEpoch.Add(90 * time.Second)
	return at, f.store.SetFetched(ev.Seq, f.payloads[ev.Envelope.SignedURL()], at)
}

// signedEvent is an extract run delivered as a signed link to links.
func (g *eventMaker) signedEvent(t *testing.T, links *fakeLinks) *store.Event {
	t.Helper()
	body, err := sample.Build("extract_run.processed", sample.Options{Now: g.at, Rand: g.rand, SignedURL: true, LinkTo: links.stash})
	if err != nil {
		t.Fatal(err)
	}
	return g.raw(body)
}

// L fetches the selected event's link in a command, with the footer saying
// so meanwhile; once it lands, the views of the payload read the
// downloaded one and say so, Raw keeps the delivery's bytes, and the row
// says it was fetched.
func TestFetchLinkMarksTheViews(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	links := &fakeLinks{store: s, payloads: map[string][]byte{}}
	m.cfg.Links = links
	s.Append(g.signedEvent(t, links))
	pull(m)
	press(m, "s")
	wantScreen(t, m, "Signed URL", "expires 15:03:01 (in 59m)", "press L to fetch it", "15:03 (59m)")

	_, cmd := m.Update(keyPress("L"))
	if cmd == nil || links.calls != 0 {
		t.Fatal("L must fetch in a command, not in Update")
	}
	wantScreen(t, m, "Fetching the signed link of #1…")
	run(m, cmd)
	wantScreen(t, m, "#1: fetched from the signed link at 14:04:30", "Payload      fetched from the signed link at 14:04:30",
		"extract_run", "PROCESSED", "fetched")
	press(m, "p") // the Payload view writes it above its lines, as the other views do
	wantScreen(t, m, `"object": "extract_run"`)
	if top := stripped(m.pane.lines(m.inks, false)[0]); !strings.HasPrefix(top, "fetched from the signed link at 14:04:30") {
		t.Errorf("the Payload view's first row is %q, want the fetched mark", top)
	}
	if bar := stripped(m.pane.tabBar(m.list.sel, false, m.inks, 120)); strings.Contains(bar, "fetched") {
		t.Errorf("the tab bar still says it: %q", bar)
	}
	press(m, "x")
	wantScreen(t, m, "fetched from the signed link at 14:04:30", "below 0.80", "invoice_date")
	press(m, "d")
	wantScreen(t, m, "fetched from the signed link at 14:04:30")
	_, cmd = m.Update(keyPress("y"))
	if cmd == nil {
		t.Fatal("y copied nothing")
	}
	m.Update(cmd()) // the copy is made in a command
	wantScreen(t, m, "#1's payload (fetched from its signed link)")
	press(m, "w")
	if sc := screen(m); !strings.Contains(sc, "signed_data_url") || strings.Contains(sc, "fetched from the signed link") {
		t.Errorf("Raw must show the delivery's own bytes, unmarked:\n%s", sc)
	}
}

func TestFetchLinkErrorsAndEventsWithoutALink(t *testing.T) {
	m, s, g := newForwardModel(t, Config{})
	links := &fakeLinks{store: s, payloads: map[string][]byte{}, err: errors.New("403: the link has probably expired (AccessDenied)")}
	m.cfg.Links = links
	s.Append(g.signedEvent(t, links))
	s.Append(g.event(t, "workflow_run.completed"))
	pull(m)
	m.list.sel = m.list.find(1)
	_, cmd := m.Update(keyPress("L"))
	run(m, cmd)
	wantScreen(t, m, "#1: the signed link gave no payload: 403: the link has probably expired (AccessDenied)")
	if ev, _ := s.Get(1); ev.Fetched() != nil {
		t.Error("a failed fetch left a payload")
	}
	m.list.sel = m.list.find(2)
	if _, cmd := m.Update(keyPress("L")); cmd != nil {
		t.Error("an event without a link started a fetch")
	}
	wantScreen(t, m, "#2 has no signed link: its payload came in the delivery itself.")
	m.cfg.Links = nil
	m.list.sel = m.list.find(1)
	press(m, "L")
	wantScreen(t, m, "Fetching signed links is not available in this session.")
}

// fetchedPayload is a screen showing the Payload view of a delivery whose
// signed link was fetched: the mark and a blank row above the JSON.
func fetchedPayload(t *testing.T) *Model {
	t.Helper()
	m, s, g := newForwardModel(t, Config{})
	links := &fakeLinks{store: s, payloads: map[string][]byte{}}
	m.cfg.Links = links
	s.Append(g.signedEvent(t, links))
	pull(m)
	_, cmd := m.Update(keyPress("L"))
	run(m, cmd)
	if m.pane.current().lead() != 2 {
		t.Fatalf("the Payload view has %d rows above its lines, want the mark and a blank one", m.pane.current().lead())
	}
	return m
}

// cursorRow is the text of the pane's row under the cursor.
func cursorRow(m *Model) string {
	return stripped(m.pane.lines(m.inks, false)[m.pane.cursor-m.pane.scroll])
}

// The rows above a JSON payload's lines are rows of the document: the
// cursor goes through them to the lines, and everything that reads the
// cursor's line (the footer's path, folding, copying, n, W, >) finds the
// line drawn under it.
func TestTheFetchedMarkLeavesTheReadingRight(t *testing.T) {
	m := fetchedPayload(t)
	j := m.pane.jsonDoc()
	press(m, "tab", "home")
	if _, ok := m.pane.cursorLine(); ok || !strings.HasPrefix(cursorRow(m), "fetched from") {
		t.Fatalf("the cursor starts on %q, want the mark, with no line", cursorRow(m))
	}
	press(m, "z")
	wantScreen(t, m, "nothing to fold here")
	press(m, "down", "down", "down")
	if line, ok := m.pane.cursorLine(); !ok || line != 1 || cursorRow(m) != j.lines[1].text+strings.Repeat(" ", m.pane.width-len(j.lines[1].text)) {
		t.Fatalf("three downs: line %d (%v) under %q, want line 1", line, ok, cursorRow(m))
	}
	wantScreen(t, m, j.index.Path(1))
	press(m, "down", "down") // "payload": {
	press(m, "z")
	if !strings.Contains(cursorRow(m), "{…}") {
		t.Errorf("fold: the cursor's row is %q, want the folded payload", cursorRow(m))
	}
	if got, want := m.pane.total(), 2+5; got != want {
		t.Errorf("folded: %d rows, want %d (the mark, a blank, four lines and the folded one)", got, want)
	}
	press(m, "z", "P")
	wantScreen(t, m, "copied the path "+j.index.Path(3))

	press(m, "/")
	typeText(m, "PROCESSED")
	press(m, "enter", "n")
	if line, _ := m.pane.cursorLine(); !strings.Contains(cursorRow(m), "PROCESSED") || !strings.Contains(j.lines[line].text, "PROCESSED") {
		t.Errorf("n put the cursor on %q (line %d), want the match", cursorRow(m), line)
	}
	line, _ := m.pane.cursorLine()
	press(m, "W", ">")
	if got, _ := m.pane.cursorLine(); got != line || !strings.HasPrefix(stripped(m.pane.lines(m.inks, false)[0]), "fetched from") {
		t.Errorf("W and >: the cursor left line %d for %d, or the mark scrolled", line, got)
	}
}
