package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// afterUpdate brings the pane's reading state up to date at the end of
// every Update: the query whose matches are marked, the layout of the JSON
// payload on screen, a cursor waiting for the first (last) match of an
// event n (N) selected, and the wrap of the long lines on screen.
func (m *Model) afterUpdate() tea.Cmd {
	p := &m.pane
	p.query = m.list.text.text()
	p.relayout()
	p.putBack()
	cmd := m.seekMatch()
	p.wrapShown()
	return cmd
}

// seekMatch puts the cursor on the first (last) match of an event n (N)
// selected, once the match is known.
func (m *Model) seekMatch() tea.Cmd {
	p := &m.pane
	if p.seek == 0 {
		return nil
	}
	d := p.current()
	if d == nil || p.query == "" {
		p.seek = 0
		return nil
	}
	_, searched := d.matches(p.query)
	complete := d.more == nil && searched
	if p.seek < 0 && !complete {
		return p.searchMatches() // the last match is not known before the end
	}
	if p.stepMatch(p.query, p.seek, !p.seekOn) {
		p.seek = 0
		return nil
	}
	if !complete {
		return p.searchMatches()
	}
	p.seek = 0
	if p.seekOn {
		m.report(fmt.Sprintf("no further match in #%d", p.shown.seq), false)
		return nil
	}
	m.report(fmt.Sprintf("#%d matches the filter, but not in its %s view's text", p.shown.seq, p.view), false)
	return nil
}

// stepMatch moves the pane's cursor to the next (dir 1) or previous (-1)
// match of the text filter's query; past the last one, to the first match
// of the next event the filter shows (the last of the previous one).
func (m *Model) stepMatch(dir int) tea.Cmd {
	query := m.list.text.text()
	if query == "" {
		m.report(fmt.Sprintf("%s and %s go through the text filter's matches: set a filter with %s first",
			m.keys.Keys(keymap.ScopeMain, keymap.MatchNext), m.keys.Keys(keymap.ScopeMain, keymap.MatchPrev),
			m.keys.Keys(keymap.ScopeMain, keymap.Filter)), true)
		return nil
	}
	m.focus = focusPane
	if m.pane.stepMatch(query, dir, false) {
		return nil
	}
	if d := m.pane.current(); d != nil {
		if _, searched := d.matches(query); d.more != nil || !searched {
			m.pane.seek, m.pane.seekOn = dir, true // the match may be in what is still rendering, or not searched yet
			return nil                             // afterUpdate searches what is left, in a command
		}
	}
	before := m.list.sel
	m.list.moveBy(dir)
	if m.list.sel == before {
		m.report(fmt.Sprintf("no more matches of %q", query), false)
		return nil
	}
	m.pane.seek, m.pane.seekOn = dir, false
	return m.showSelected()
}

// toggleWrap switches between wrapping long lines and scrolling sideways.
func (m *Model) toggleWrap() {
	p := &m.pane
	if p.lineDoc() == nil {
		m.report("wrapping switches in the Payload, Headers and Raw views; the others always wrap", false)
		return
	}
	p.noWrap, p.hscroll = !p.noWrap, 0
	if p.noWrap {
		m.report(fmt.Sprintf("not wrapping: %s and %s scroll sideways", m.keys.Keys(keymap.ScopeMain, keymap.ScrollLeft),
			m.keys.Keys(keymap.ScopeMain, keymap.ScrollRight)), false)
	}
}

// scrollSideways scrolls an unwrapped line document a quarter of the pane
// left or right, no further than its widest line needs.
func (m *Model) scrollSideways(dir int) {
	p, j := &m.pane, m.pane.lineDoc()
	if j == nil || !p.noWrap {
		m.report(fmt.Sprintf("scrolling sideways works without wrapping: press %s first", m.keys.Keys(keymap.ScopeMain, keymap.Wrap)), false)
		return
	}
	p.hscroll = max(0, min(p.hscroll+dir*max(1, p.width/4), j.widest-p.width))
}

func (m *Model) reportIf(text string) {
	if text != "" {
		m.report(text, false)
	}
}

// copyPath copies the JSON path of the value under the pane's cursor.
func (m *Model) copyPath() tea.Cmd {
	line, ok := m.pane.cursorLine()
	if !ok || m.pane.view != viewPayload {
		m.report(m.nothingToCopy("copy-path"), true)
		return nil
	}
	path := m.pane.jsonDoc().index.Path(line)
	return m.copyText("the path "+path, path)
}

// nothingToCopy says why action found no JSON line under the cursor: the
// cursor is on a row above the payload's lines (the fetched mark), or the
// view shows no JSON payload.
func (m *Model) nothingToCopy(action string) string {
	if m.pane.view == viewPayload && m.pane.jsonDoc() != nil {
		return action + ": move the cursor down to a line of the payload"
	}
	return action + " copies from the Payload view of a JSON payload"
}

// copyPayloadValue copies the value on the cursor's line: the whole object
// or array on its opening (or closing) line, a string without its quotes.
// The size is known before the text is joined, so a large container is
// refused without copying megabytes in Update.
func (m *Model) copyPayloadValue() tea.Cmd {
	line, ok := m.pane.cursorLine()
	if !ok {
		m.report(m.nothingToCopy("copy-value"), true)
		return nil
	}
	j := m.pane.jsonDoc()
	first, last := j.valueLines(line)
	what := "the value of " + j.index.Path(first)
	if size := j.linesSize(first, last); size > maxClipboard {
		return m.refuseCopy(what, size)
	}
	return m.copyText(what, j.valueText(first, last))
}

// valueLines is the printed lines of the value on line i: a container's
// opening to its closing line, else the line itself.
func (j *lineDoc) valueLines(i int) (first, last int) {
	if o, ok := j.index.Opening(i); ok {
		i = o
	}
	if c, ok := j.index.Close(i); ok {
		return i, c
	}
	return i, i
}

func (j *lineDoc) linesSize(first, last int) int {
	n := 0
	for i := first; i <= last; i++ {
		n += len(j.lines[i].text) + 1
	}
	return n
}

// valueText is the value of the lines first to last, without its key and
// trailing comma, dedented to its opening line. The lines are displayed
// text, control bytes already escaped; a string's value is decoded and
// escaped again, since decoding turns \u001b into ESC.
func (j *lineDoc) valueText(first, last int) string {
	lead := indentOf(j.lines[first].text)
	var b strings.Builder
	for i := first; i <= last; i++ {
		t := j.lines[i].text
		if i == first {
			t = t[valueStart(t):]
		} else {
			t = t[min(lead, indentOf(t)):]
			b.WriteByte('\n')
		}
		if i == last {
			t = strings.TrimSuffix(t, ",")
		}
		b.WriteString(t)
	}
	text := b.String()
	var s string
	if first == last && strings.HasPrefix(text, `"`) && json.Unmarshal([]byte(text), &s) == nil {
		return sanitize.Text(s)
	}
	return text
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// addReading puts the cursor's JSON path, and the match it is on, in the
// footer while the pane has focus.
func (m *Model) addReading(lb *lineBuilder) {
	p := &m.pane
	if m.focus != focusPane {
		return
	}
	var parts []string
	if line, ok := p.cursorLine(); ok {
		parts = append(parts, p.jsonDoc().index.Path(line))
	}
	if i, n, ok := p.matchCount(); ok {
		parts = append(parts, fmt.Sprintf("match %d of %d", i, n))
	}
	if len(parts) > 0 {
		lb.add(strings.Join(parts, " · ")+"   ", m.inks.Key)
	}
}
