package ui

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/themes"
	"github.com/extend-inspect/extend-inspect/ui/jsonview"
)

// view is what the payload pane shows of the selected event.
type view uint8

// The views, in tab order.
const (
	viewPayload view = iota
	viewHeaders
	viewRaw
	viewSummary
	viewRun      // the selected event's run, one line per event (runview.go)
	viewFields   // the output's fields and confidences (outputs.go)
	viewReview   // what a human review changed (outputs.go)
	viewResponse // what the app under test answered (see response.go)
	numViews
)

// String is the view's tab title.
func (v view) String() string {
	switch v {
	case viewHeaders:
		return "Headers"
	case viewRaw:
		return "Raw"
	case viewSummary:
		return "Summary"
	case viewRun:
		return "Run"
	case viewFields:
		return "Fields"
	case viewReview:
		return "Review"
	case viewResponse:
		return "Response"
	default:
		return "Payload"
	}
}

// docKey identifies a rendered document: what it shows and how wide.
// Results of commands carry it, and one whose key is no longer wanted is
// kept in the cache but never shown in place of another.
type docKey struct {
	seq   uint64
	view  view
	width int
	theme string
	live  liveState // what of the event changes after it arrives
	// versus is the second event of a diff of two marked events
	// (diffmarked.go), seq being the first; 0 for a view of one event.
	versus uint64
}

// chunk is a run of a document's rows, each with the anchor it stands for
// (anchors[i] is rows[i]'s), and, for a line document (see lineDoc), of its
// lines, painted into rows only when drawn. A line document's rows come in
// its first chunks, before any line: they are shown above the lines (the
// mark of a payload fetched from its signed link, why a body is shown as
// its bytes).
type chunk struct {
	rows    []string
	anchors []anchor
	lines   []textLine
	json    bool // the lines are printed JSON (lineDoc.json)
}

// anchor is what a document row stands for, for the pane's cursor: the
// logical line it belongs to (the rows of a wrapped line share it), and
// what enter acts on there, when anything.
type anchor struct {
	line  int32
	field int32  // a Fields view row, counted from 1; 0 for none
	seq   uint64 // an event the row names (the Run view's lines); 0 for none
}

// targets says the row stands for something enter acts on.
func (a anchor) targets() bool { return a.seq != 0 || a.field != 0 }

// producer makes a document's rows a chunk at a time. It is used by one
// command at a time, never by Update: each docMsg hands it back, and Update
// starts the next chunk only for the document on screen.
type producer interface {
	// produce returns the next rows; first asks for a screenful, quickly.
	produce(first bool) (c chunk, done bool)
	progress() float64
}

// docMsg carries a chunk of a document's rows.
type docMsg struct {
	key      docKey
	chunk    chunk
	more     producer // nil when the document is complete
	progress float64
}

func produceCmd(key docKey, p producer, first bool) tea.Cmd {
	return func() tea.Msg {
		c, done := p.produce(first)
		msg := docMsg{key: key, chunk: c, progress: p.progress()}
		if !done {
			msg.more = p
		}
		return msg
	}
}

// renderKit is what producers draw with; it is immutable and shared.
type renderKit struct {
	inks   inks
	styles themes.Styles
	keys   keymap.KeyMap // for texts that name a key
	loc    *time.Location
	// forwarding says deliveries are forwarded to an app; about is what the
	// screen knows of the event beyond the event itself, snapshotted in
	// Update when its document is asked for (see renderKit.about).
	forwarding bool
	about      eventAbout
	// lowConfidence marks the doubtful fields (--low-confidence); 0 means
	// output.DefaultLowConfidence.
	lowConfidence float64
	// now is the screen's clock when the document was asked for (a signed
	// link's time left); see renderKit.at.
	now time.Time
	// runs is the store, read by the Run view's command (runview.go).
	runs Source
}

// at returns a copy of the kit whose clock reads now.
func (k *renderKit) at(now time.Time) *renderKit {
	c := *k
	c.now = now
	return &c
}

// newProducer returns the producer of view v of ev. It does no work: that
// happens in produce, in a command.
func newProducer(ev *store.Event, v view, width int, kit *renderKit) producer {
	rw := newRowWriter(width, kit.inks.Escape)
	switch v {
	case viewHeaders:
		return &onceProducer{build: func() chunk { return headersView(ev, newLineSink(rw.w, kit.inks.Escape), kit) }}
	case viewRaw:
		raw := newRawProducer(nil, rw, kit.inks.Text)
		raw.ev, raw.warn = ev, kit.inks.Warning
		return raw
	case viewSummary:
		return &onceProducer{build: func() chunk { return summaryRows(ev, rw, kit) }}
	case viewRun:
		return &onceProducer{build: func() chunk { return runRows(ev, rw, kit) }}
	case viewFields:
		return &fieldsProducer{ev: ev, rw: rw, kit: kit}
	case viewReview:
		return &onceProducer{build: func() chunk { return reviewRows(ev, rw, kit) }}
	case viewResponse:
		return &onceProducer{build: func() chunk { return responseRows(ev, rw, kit) }}
	default:
		return &payloadProducer{ev: ev, rw: rw, kit: kit}
	}
}

// onceProducer makes a small document in one go.
type onceProducer struct {
	build func() chunk
}

func (p *onceProducer) produce(bool) (chunk, bool) { return p.build(), true }

func (p *onceProducer) progress() float64 { return 1 }

// payloadProducer pretty-prints and highlights the body when it is JSON, and
// falls back to the raw bytes, with a note saying why, when it is not.
type payloadProducer struct {
	ev      *store.Event
	rw      *rowWriter
	kit     *renderKit
	printer *jsonview.Printer
	hl      *highlighter
	sink    *lineSink
	raw     *rawProducer
}

func (p *payloadProducer) produce(first bool) (chunk, bool) {
	if p.printer == nil && p.raw == nil {
		if c, done := p.start(); done {
			return c, true
		}
	}
	if p.raw != nil {
		return p.raw.produce(first)
	}
	lines, size := chunkLines, chunkBytes
	if first {
		lines, size = firstChunkLines, firstChunkBytes
	}
	p.hl.highlight(p.printer.Next(lines, size), p.sink)
	c := p.rw.take(true) // the fetched mark, above the lines
	c.lines, c.json = p.sink.take(), true
	return c, p.printer.Done()
}

// start decides how to show the body; done reports a document already
// complete (an empty or refused body).
func (p *payloadProducer) start() (chunk, bool) {
	ev, ink, shown := p.ev, p.kit.inks, payloadOf(p.ev)
	switch {
	case ev.Rejected() != "":
		p.rw.write(fmt.Sprintf("No body: the receiver refused this delivery (%s) and answered %d.", ev.Rejected(), ev.Status), ink.Warning)
		return p.rw.take(true), true
	case ev.BodyLen() == 0:
		p.rw.write("The body is empty.", ink.Dim)
		return p.rw.take(true), true
	case shown.err != nil:
		unreadableBody(p.rw, shown.err, ink.Warning)
		return p.rw.take(true), true
	case ev.Envelope.Err() == nil || json.Valid(shown.body):
		shown.markFetched(p.rw, p.kit)
		p.printer = jsonview.NewPrinter(shown.body)
		p.hl = newHighlighter(p.kit.styles.Chroma, ink.Text)
		p.sink = newLineSink(p.rw.w, ink.Escape)
		return chunk{}, false
	}
	p.rw.write("Not JSON ("+ev.Envelope.Err().Error()+"); the bytes as received:", ink.Warning)
	p.rw.endLine()
	p.rw.endLine()
	p.raw = newRawProducer(shown.body, p.rw, ink.Text)
	return chunk{}, false
}

// unreadableBody writes why a body cannot be shown: that of a session
// whose file changed or went away after it was loaded.
func unreadableBody(rw *rowWriter, err error, warn ink) {
	rw.write("The body cannot be shown: "+err.Error(), warn)
}

func (p *payloadProducer) progress() float64 {
	switch {
	case p.raw != nil:
		return p.raw.progress()
	case p.printer != nil:
		return p.printer.Progress()
	}
	return 0
}

// rawProducer shows bytes exactly as received, as the lines of a line
// document: line breaks break lines, every other control byte is shown as
// an escape. Rows written to rw before it starts (the Payload view's note
// on a body that is not JSON) are shown above them.
type rawProducer struct {
	ev   *store.Event // whose body to read first, when body is not given
	warn ink          // for a body that cannot be read
	body []byte
	i    int
	rw   *rowWriter
	sink *lineSink
	ink  *ink
}

func newRawProducer(body []byte, rw *rowWriter, k ink) *rawProducer {
	return &rawProducer{body: body, rw: rw, sink: newRawSink(rw.w, rw.escape), ink: &k}
}

func (p *rawProducer) produce(first bool) (chunk, bool) {
	if p.ev != nil {
		body, err := p.ev.Body()
		if err != nil {
			unreadableBody(p.rw, err, p.warn)
			return p.rw.take(true), true
		}
		p.ev, p.body = nil, body
	}
	if len(p.body) == 0 {
		p.rw.write("(no body)", *p.ink)
		return p.rw.take(true), true
	}
	size := chunkBytes
	if first {
		size = firstChunkBytes
	}
	end := min(len(p.body), p.i+size)
	for end < len(p.body) && !utf8.RuneStart(p.body[end]) {
		end++ // never split a rune between chunks
	}
	p.sink.writeLines(string(p.body[p.i:end]), p.ink)
	p.i = end
	done := p.i >= len(p.body)
	if done && p.sink.pending() {
		p.sink.endLine()
	}
	c := p.rw.take(true)
	c.lines = p.sink.take()
	return c, done
}

func (p *rawProducer) progress() float64 {
	if len(p.body) == 0 {
		return 1
	}
	return float64(p.i) / float64(len(p.body))
}
