package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

// dialog is a screen drawn over the body: help, the type picker, the
// export dialog, the replay prompt, the quit question, a field's detail. While one is open it
// gets every key and paste first. A dialog knows nothing of the root model:
// it is built with what it shows, reads its keys from its own keymap scope,
// and answers each message with an action the root carries out (the
// pattern crush uses for its dialogs).
type dialog interface {
	// update handles a key press or a paste; it returns what the screen
	// should do, or nil for nothing.
	update(msg tea.Msg) action
	// resize gives the dialog the body's size: when it opens, and at every
	// resize of the window.
	resize(w, h int)
	// render draws the dialog over the body; it changes nothing.
	render() []string
}

// action is what a dialog asks of the screen: one of the types below.
type action any

type (
	// closeDialog closes the dialog and does nothing else.
	closeDialog struct{}
	// runCmd keeps the dialog open and runs cmd (its input's cursor blink).
	runCmd struct{ cmd tea.Cmd }
	// applyTypes closes the type picker and shows only these event types
	// (every type when empty).
	applyTypes struct{ types map[string]bool }
	// writeExport closes the export dialog and writes the events.
	writeExport struct {
		events []*store.Event
		format export.Format
		dir    string
	}
	// sendReplay closes the replay prompt and replays the events.
	sendReplay struct {
		events   []*store.Event
		target   string
		verbatim bool
	}
	// quitAnyway closes the quit question: stop the export, then quit.
	quitAnyway struct{}
)

// openDialog shows d, sized to the body.
func (m *Model) openDialog(d dialog) {
	d.resize(m.lay.body.w, m.lay.body.h)
	m.dialog = d
}

// dialogDone carries out a dialog's action.
func (m *Model) dialogDone(a action) tea.Cmd {
	switch a := a.(type) {
	case nil:
		return nil
	case runCmd:
		return a.cmd
	case closeDialog:
		m.dialog = nil
	case applyTypes:
		m.dialog = nil
		return m.setTypes(a.types)
	case writeExport:
		m.dialog = nil
		return m.startExport(a.events, a.format, a.dir)
	case sendReplay:
		m.dialog = nil
		return m.replay(a)
	case quitAnyway:
		m.dialog = nil
		return m.quitAfterExport()
	case copyFieldValue:
		return m.copyUntrusted(a.what, a.text)
	}
	return nil
}

// addHints adds a hint line's entries, "key text · key text", to lb, as
// many as fit whole: half a hint would name a key without what it does.
func addHints(lb *lineBuilder, k inks, hints []keymap.Hint) {
	for i, h := range hints {
		sep := ""
		if i > 0 {
			sep = " · "
		}
		if lb.used+width(sep+h.Key+" "+h.Text) > lb.w {
			return
		}
		lb.add(sep, k.Dim)
		lb.add(h.Key, k.Key)
		lb.add(" "+h.Text, k.Dim)
	}
}

// hintLine is a line of w cells: title in the key's ink, then the hints.
func hintLine(title string, k inks, hints []keymap.Hint, w int) string {
	lb := &lineBuilder{w: w}
	if title != "" {
		lb.add(title, k.Key)
		if len(hints) > 0 {
			lb.add(" — ", k.Dim)
		}
	}
	addHints(lb, k, hints)
	return lb.String()
}

// fillLines pads out to h lines of w blank cells, and cuts it to h.
func fillLines(out []string, w, h int) []string {
	for len(out) < h {
		out = append(out, blank(w))
	}
	return out[:h]
}

// scroller is the scrolled body of a dialog that shows laid-out lines
// under a title line (help, field detail): the movement actions scroll it.
type scroller struct {
	lines []string // laid out at the width of the last resize
	w, h  int
	top   int
}

// relayout lays the lines out again for a dialog of w×h, with layout.
func (s *scroller) relayout(w, h int, layout func(w int) []string) {
	s.w, s.h = w, h
	s.lines = layout(w)
	s.clamp()
}

// scroll moves the lines by movement action a; false when a is none.
func (s *scroller) scroll(a keymap.Action) bool {
	page := max(1, s.h-2)
	switch a {
	case keymap.Down:
		s.top++
	case keymap.Up:
		s.top--
	case keymap.PageDown:
		s.top += page
	case keymap.PageUp:
		s.top -= page
	default:
		return false
	}
	s.clamp()
	return true
}

func (s *scroller) clamp() {
	s.top = max(0, min(s.top, len(s.lines)-s.h+1))
}

// frame is the dialog: title, then the lines on screen, h lines in all.
// While lines go on below the screen, its last row says how many, in ink
// more: a dialog cut at the screen's foot looks complete otherwise.
func (s *scroller) frame(title string, more ink) []string {
	out := []string{title}
	end := min(len(s.lines), s.top+s.h-1)
	var foot []string
	if end < len(s.lines) && end > s.top {
		end-- // the row for the count
		foot = append(foot, more.paint(fit(fmt.Sprintf("↓ %d more", len(s.lines)-end), s.w)))
	}
	out = append(append(out, s.lines[s.top:end]...), foot...)
	return fillLines(out, s.w, s.h)
}
