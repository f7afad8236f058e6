package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// fieldUse is what a field under the cursor was looked up for.
type fieldUse uint8

const (
	fieldOpen fieldUse = iota // enter: show its detail
	fieldCopy                 // copy-value: copy its full value
)

// fieldMsg carries a field looked up under the cursor, with its detail.
type fieldMsg struct {
	seq    uint64
	view   view
	use    fieldUse
	row    output.Row
	detail output.Detail
	found  bool
}

// fieldCmd looks up row field (counted from 1, as the rows point at it) of
// view v of ev, and decodes its detail. The table's rows carry only their
// index: reading the output again is a command's work, since a large one
// takes tens of milliseconds, and the detail is decoded for this row alone.
func fieldCmd(ev *store.Event, v view, field int32, use fieldUse, kit *renderKit) tea.Cmd {
	return func() tea.Msg {
		msg := fieldMsg{seq: ev.Seq, view: v, use: use}
		msg.row, msg.found = fieldRow(ev, v, int(field)-1, kit)
		if msg.found {
			msg.detail = msg.row.Detail()
		}
		return msg
	}
}

// fieldRow is row i of the field table of view v: of every section of the
// Fields view, in order, or of the fields the Review view lists for the
// reviewer.
func fieldRow(ev *store.Event, v view, i int, kit *renderKit) (output.Row, bool) {
	if v == viewReview {
		pending := readReview(ev, kit).Pending
		if i < len(pending) {
			return pending[i], true
		}
		return output.Row{}, false
	}
	for _, s := range readFields(ev, kit).Sections {
		if i < len(s.Rows) {
			return s.Rows[i], true
		}
		i -= len(s.Rows)
	}
	return output.Row{}, false
}

// fieldValue is what copy-value copies of a row: its full value.
func fieldValue(r output.Row, d output.Detail) string {
	if d.Value != "" {
		return d.Value
	}
	return r.Value
}

// askField looks up the field under the cursor, when it is on one.
func (m *Model) askField(at anchor, use fieldUse) tea.Cmd {
	sel := m.list.sel
	if sel == nil || at.field == 0 || m.compare != nil {
		return nil
	}
	return fieldCmd(sel.ev, m.pane.view, at.field, use, m.kit)
}

// copyValue copies the value under the focused pane's cursor, whatever the
// view makes of "the value there".
func (m *Model) copyValue() tea.Cmd {
	if at, ok := m.pane.at(); ok && m.focus == focusPane {
		switch m.pane.view {
		case viewPayload:
			return m.copyPayloadValue()
		case viewFields, viewReview:
			if cmd := m.askField(at, fieldCopy); cmd != nil {
				return cmd
			}
		}
	}
	text := "nothing under the cursor to copy"
	if m.focus != focusPane {
		text += fmt.Sprintf(": press %s to focus the pane, then move its cursor onto a value", m.keys.Keys(keymap.ScopeMain, keymap.Focus))
	}
	m.report(text, true)
	return nil
}

// fieldDone copies the field looked up, or opens its detail when the pane
// still shows the table it was opened from.
func (m *Model) fieldDone(msg fieldMsg) tea.Cmd {
	if !msg.found {
		m.report(fmt.Sprintf("#%d has no such field any more", msg.seq), true)
		return nil
	}
	title := fmt.Sprintf("#%d's %s", msg.seq, msg.row.Path)
	if msg.use == fieldCopy {
		return m.copyUntrusted(title, fieldValue(msg.row, msg.detail))
	}
	if sel := m.list.sel; sel == nil || sel.ev.Seq != msg.seq || m.pane.view != msg.view || m.dialog != nil {
		return nil // the user has moved on
	}
	m.openDialog(&fieldDetail{k: m.inks, keys: m.keys, title: sanitize.Text(title), row: msg.row, detail: msg.detail})
	return nil
}

// copyFieldValue keeps the field detail open and copies its value.
type copyFieldValue struct{ what, text string }

// maxDetailValue is the most of a value the detail lays out: it is laid
// out in Update (at every resize), and the clipboard takes no more anyway.
const maxDetailValue = maxClipboard

// fieldDetail shows one field in full: its value, scores, citations with
// their reference text, and insights. It is a dialog, so the table and its
// cursor stay as they were behind it. Its keys are those of
// keymap.ScopeField; any other key closes it.
type fieldDetail struct {
	k      inks
	keys   keymap.KeyMap
	title  string // safe
	row    output.Row
	detail output.Detail
	scroller
}

func (d *fieldDetail) update(msg tea.Msg) action {
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch a, _ := d.keys.Lookup(keymap.ScopeField, key.String()); {
	case a == keymap.CopyValue:
		return copyFieldValue{what: d.title, text: fieldValue(d.row, d.detail)}
	case !d.scroll(a):
		return closeDialog{}
	}
	return nil
}

func (d *fieldDetail) resize(w, h int) { d.relayout(w, h, d.layout) }

func (d *fieldDetail) render() []string {
	hints := append(d.keys.Hints(keymap.ScopeField, keymap.CopyValue, keymap.Up, keymap.Down),
		keymap.Hint{Key: "any other key", Text: "closes"})
	return d.frame(hintLine(d.title, d.k, hints, d.w), d.k.Dim)
}

// layout writes the detail in rows of w cells, a cell of margin each side;
// every text in it came with the webhook and goes through the row writer.
func (d *fieldDetail) layout(w int) []string {
	rw := newRowWriter(max(1, w-2), d.k.Escape)
	rw.endLine()
	d.writeValue(rw)
	d.writeScores(rw)
	d.writeCitations(rw)
	d.writeInsights(rw)
	rows := rw.take(true).rows
	for i, r := range rows {
		rows[i] = " " + r + " "
	}
	return rows
}

func (d *fieldDetail) writeValue(rw *rowWriter) {
	k := d.k
	rw.write("value", k.Label)
	rw.endLine()
	value := fieldValue(d.row, d.detail)
	cut := len(value) > maxDetailValue
	if cut {
		end := maxDetailValue
		for end > 0 && !utf8.RuneStart(value[end]) {
			end--
		}
		value = value[:end]
	}
	for line := range strings.SplitSeq(value, "\n") {
		rw.write("  "+line, k.Text)
		rw.endLine()
	}
	if cut {
		rw.write(fmt.Sprintf("  … the first %d KB of %d KB; the Payload view shows all of it", maxDetailValue>>10, (len(fieldValue(d.row, d.detail))+1023)>>10), k.Dim)
		rw.endLine()
	}
	rw.endLine()
}

func (d *fieldDetail) writeScores(rw *rowWriter) {
	k, r := d.k, d.row
	scores := []struct {
		name  string
		score output.Score
	}{{"confidence", r.Confidence}, {"ocr", r.OCR}, {"review", r.ReviewScore}}
	for _, s := range scores {
		if !s.score.Known {
			continue
		}
		rw.write(s.name+" ", k.Label)
		ink := k.Text
		if s.name == "confidence" && r.Low {
			ink = k.Warning
		}
		rw.write(s.score.String()+"   ", ink)
	}
	if r.Low {
		rw.write("! below the threshold   ", k.Warning)
	}
	if p := r.PagesText(); p != "" {
		rw.write("pages ", k.Label)
		rw.write(p, k.Text)
	}
	rw.endLine()
	for _, kv := range [][2]string{{"type", r.Type}, {"name", r.Name}, {"metadata of", inherited(r)}} {
		if kv[1] != "" {
			rw.write(kv[0]+" ", k.Label)
			rw.write(kv[1], k.Text)
			rw.endLine()
		}
	}
	if r.Second != "" {
		rw.write(r.Second, k.Dim)
		rw.endLine()
	}
}

// inherited is the ancestor whose metadata a row shows, or "" when the row
// has its own.
func inherited(r output.Row) string {
	if r.MetaPath == r.Path {
		return ""
	}
	return r.MetaPath
}

func (d *fieldDetail) writeCitations(rw *rowWriter) {
	k := d.k
	if !listHeading(rw, k, len(d.detail.Citations), "citations") {
		return
	}
	for _, c := range d.detail.Citations {
		page := "page ?"
		if c.Page > 0 {
			page = fmt.Sprintf("page %d", c.Page)
		}
		rw.write("  "+page, k.Label)
		if c.FileID != "" {
			rw.write(" · "+c.FileID, k.Dim)
		}
		rw.endLine()
		if c.Text != "" {
			rw.writeLines(`    "`+c.Text+`"`, k.Text)
			rw.endLine()
		}
	}
}

func (d *fieldDetail) writeInsights(rw *rowWriter) {
	k := d.k
	if !listHeading(rw, k, len(d.detail.Insights), "insights") {
		return
	}
	for _, in := range d.detail.Insights {
		rw.write("  ", k.Text)
		if in.Type != "" {
			rw.write(in.Type+": ", k.Label)
		}
		rw.writeLines(in.Content, k.Text)
		rw.endLine()
	}
}

// listHeading writes a list's heading after a blank line, "citations (3)",
// or "no citations"; false when the list is empty.
func listHeading(rw *rowWriter, k inks, n int, what string) bool {
	rw.endLine()
	if n == 0 {
		rw.write("no "+what, k.Dim)
	} else {
		rw.write(fmt.Sprintf("%s (%d)", what, n), k.Heading)
	}
	rw.endLine()
	return n > 0
}
