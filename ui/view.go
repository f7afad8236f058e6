package ui

import (
	"fmt"
	"math"
	"net"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// View draws the screen. It only reads state: every row it shows was
// prepared in Update or in a command, and it draws only the rows on screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func (m *Model) render() string {
	if m.width == 0 {
		return ""
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.headerLines()...)
	lines = append(lines, m.bodyLines()...)
	lines = append(lines, m.footerLine())
	return strings.Join(lines, "\n")
}

// lineBuilder paints a line of segments, cutting at the width.
type lineBuilder struct {
	b    strings.Builder
	used int
	w    int
}

// add appends safe text in ink k, cut to what is left of the line.
func (lb *lineBuilder) add(text string, k ink) {
	room := lb.w - lb.used
	if room <= 0 || text == "" {
		return
	}
	if tw := width(text); tw > room {
		text = fit(text, room)
	}
	lb.b.WriteString(k.paint(text))
	lb.used += width(text)
}

func (lb *lineBuilder) String() string { return padLine(lb.b.String(), lb.used, lb.w) }

// withRight ends the line with right, aligned to the right edge, when it fits.
func (lb *lineBuilder) withRight(right string, k ink) string {
	rw := width(right)
	if lb.used+rw+1 > lb.w {
		return lb.String()
	}
	return lb.b.String() + strings.Repeat(" ", lb.w-lb.used-rw) + k.paint(right)
}

// Below headerNarrow columns the header says the check's state in short;
// below headerNarrower it gives the address without "listening on
// http://". The counts line finds its own form (countsLine).
const (
	headerNarrow   = 100
	headerNarrower = 80
)

func (m *Model) headerLines() []string {
	k := m.inks
	w := m.width

	state, stateInk := m.followState()
	top := &lineBuilder{w: w}
	if state != "" {
		top.w = max(0, w-width(state)-1) // the follow state is always shown
	}
	top.add("extend-inspect", k.Key)
	receiving := m.cfg.Listen != ""
	narrow := w < headerNarrow // the check's state in short, so it is not the part cut
	switch {
	case receiving && w < headerNarrower: // the address alone, so the check's state still fits
		top.add("  ", k.Dim)
		top.add(m.cfg.Listen, k.Text)
		m.addLink(top)
	case receiving:
		top.add("  listening on ", k.Dim)
		top.add(listenURL(m.cfg.Listen), k.Text)
		m.addLink(top)
	default:
		m.addSession(top)
		top.add(" · not receiving", k.Dim)
	}
	m.addLoadingHeader(top)
	m.addAnswerHeader(top)
	switch {
	case !receiving:
		top.add("  signatures as recorded", k.Dim)
	case m.cfg.Verifying && narrow:
		top.add("  ✓ verifying", k.Verified)
	case m.cfg.Verifying:
		top.add("  ✓ verifying signatures", k.Verified)
	case narrow:
		top.add("  not verifying (no --secret)", k.Attention)
	default:
		top.add("  signatures not verified (no --secret)", k.Attention)
	}
	m.addForwardTarget(top)
	if receiving && m.cfg.Session != "" {
		m.addSession(top) // last: the address and the checks matter more to a live screen
	}

	counts := m.countsLine(w, receiving)
	filt := &lineBuilder{w: w}
	filt.add(fmt.Sprintf("%d of %d shown", m.list.shownCount(), len(m.list.items)), k.Text)
	if n := len(m.marks); n > 0 {
		filt.add(fmt.Sprintf(" · %d marked", n), k.Marked)
	}
	order := "oldest first"
	if m.list.newestFirst {
		order = "newest first"
	}
	filt.add(" · "+order, k.Dim)
	labels := m.list.filt.labels()
	if q := m.list.text.text(); q != "" {
		labels = append([]string{fmt.Sprintf("text %q", q)}, labels...)
	}
	if len(labels) == 0 {
		filt.add(" · no filters", k.Dim)
	} else {
		filt.add(" · filters: ", k.Dim)
		filt.add(sanitize.Text(strings.Join(labels, " · ")), k.Attention)
		if clear := m.keys.Keys(keymap.ScopeMain, keymap.ClearFilters); clear != "" {
			filt.add("  ("+clear+" clears)", k.Dim)
		}
	}
	if percent, ok := m.list.text.progress(); ok {
		filt.add(fmt.Sprintf(" · filtering… %d%%", percent), k.Dim)
	}
	if state != "" {
		top.w = w
		return []string{top.withRight(state, stateInk), counts, filt.String()}
	}
	return []string{top.String(), counts, filt.String()}
}

// countsLine is the header's counts line at w columns, in the first of its
// forms that fits: whole; with the categories' short titles; leaving out
// "0 evicted" and "0 rejected", which say the least. The last is cut if
// need be.
func (m *Model) countsLine(w int, receiving bool) string {
	forms := []countsForm{{}, {short: true}, {short: true, dropZeros: true}}
	f := forms[len(forms)-1]
	for _, form := range forms {
		if m.counts(form, receiving, math.MaxInt).used <= w {
			f = form
			break
		}
	}
	return m.counts(f, receiving, w).String()
}

// countsForm is how much the counts line says.
type countsForm struct{ short, dropZeros bool }

func (m *Model) counts(f countsForm, receiving bool, w int) *lineBuilder {
	k, st := m.inks, m.stats
	counts := &lineBuilder{w: w}
	for i, c := range extend.Categories {
		if i > 0 {
			counts.add(" · ", k.Dim)
		}
		name := c.Title()
		if f.short {
			name = shortTitle(c)
		}
		counts.add(name+" ", k.Label)
		counts.add(fmt.Sprint(st.ByCategory[c]), k.Text)
	}
	counts.add("  │  ", k.Separator)
	counts.add(fmt.Sprintf("%d received", st.Received-m.replays), k.Text)
	if m.replays > 0 {
		counts.add(fmt.Sprintf(" · %d replayed", m.replays), k.Text)
	}
	if !f.dropZeros || st.Evicted > 0 {
		counts.add(fmt.Sprintf(" · %d evicted", st.Evicted), k.Text)
	}
	if m.missed > 0 {
		counts.add(fmt.Sprintf(" (%d never shown)", m.missed), k.Warning)
	}
	rejected := k.Text
	if st.Rejected > 0 {
		rejected = k.Warning
	}
	if !f.dropZeros || st.Rejected > 0 {
		counts.add(fmt.Sprintf(" · %d rejected", st.Rejected), rejected)
	}
	if receiving {
		counts.add(fmt.Sprintf(" · %.1f/s", m.rate.perSecond(m.clock)), k.Dim)
	}
	return counts
}

// followState is the header's "● following" or "‖ paused · N new"; none
// when nothing arrives to follow.
func (m *Model) followState() (string, ink) {
	if m.cfg.Listen == "" {
		return "", ink{}
	}
	if m.list.following {
		return "● following", m.inks.Verified
	}
	state := "‖ paused"
	if m.list.unseen > 0 {
		state += fmt.Sprintf(" · %d new", m.list.unseen)
	}
	return state, m.inks.Attention
}

// addSession names the session file the screen was opened on.
// addLink shows where Extend posts, and the endpoint registered for it.
func (m *Model) addLink(lb *lineBuilder) {
	if m.cfg.PublicURL != "" {
		lb.add(" ← ", m.inks.Dim)
		lb.add(sanitize.Text(withoutQuery(m.cfg.PublicURL)), m.inks.Text)
	}
	if m.cfg.EndpointID != "" {
		lb.add("  endpoint ", m.inks.Dim)
		lb.add(sanitize.Text(m.cfg.EndpointID), m.inks.Text)
	}
}

// withoutQuery keeps the header short: the ?api_version= of a registered
// endpoint's URL is in the empty state.
func withoutQuery(raw string) string {
	base, _, _ := strings.Cut(raw, "?")
	return base
}

func (m *Model) addSession(lb *lineBuilder) {
	lb.add("  session ", m.inks.Dim)
	lb.add(sanitize.Text(m.cfg.Session), m.inks.Text)
}

func shortTitle(c extend.Category) string {
	switch c {
	case extend.CategoryWorkflow:
		return "wf"
	case extend.CategoryProcessorRun:
		return "runs"
	case extend.CategoryGlobal:
		return "global"
	}
	return "unknown"
}

func listenURL(addr string) string {
	if addr == "" {
		return "(no receiver)"
	}
	return "http://" + addr
}

func (m *Model) bodyLines() []string {
	b := m.lay.body
	switch {
	case m.dialog != nil:
		return m.dialog.render()
	case m.stats.Received == 0 && len(m.list.items) == 0:
		return m.emptyLines(b.w, b.h)
	}
	paneLines := m.pane.lines(m.inks, m.focus == focusPane)
	tabs := m.pane.tabBar(m.list.sel, m.focus == focusPane, m.inks, m.lay.tabs.w)
	if m.list.sel == nil {
		paneLines = blankLines(m.lay.pane.w, m.lay.pane.h)
	}
	out := make([]string, 0, b.h)
	if m.lay.zoomed {
		out = append(out, tabs)
		for _, l := range paneLines {
			out = append(out, " "+l)
		}
		return out
	}
	list := m.listLines()
	if m.lay.sideBySide {
		rule := m.inks.Separator.paint("│")
		for i := range b.h {
			right := tabs
			if i > 0 {
				right = " " + paneLines[i-1]
			}
			out = append(out, list[i]+rule+right)
		}
		return out
	}
	out = append(out, list...)
	out = append(out, tabs)
	for _, l := range paneLines {
		out = append(out, " "+l)
	}
	return out
}

// listLines draws the rows on screen, and only those.
func (m *Model) listLines() []string {
	l, r := &m.list, m.lay.list
	out := make([]string, 0, r.h)
	if l.rowCount() == 0 {
		out = append(out, m.inks.Attention.paint(fit("No deliveries match the filters.", r.w)))
		if clear := m.keys.Keys(keymap.ScopeMain, keymap.ClearFilters); clear != "" {
			out = append(out, m.inks.Dim.paint(fit(clear+" clears them.", r.w)))
		}
	}
	cols := m.rowColumns(r.w - markWidth)
	state := rowSelected
	if m.focus == focusPane {
		state = rowIdle
	}
	for row := l.top; row < l.rowCount() && len(out) < r.h; row++ {
		c, it := l.rowAt(row)
		switch {
		case it == nil:
			out = append(out, renderHeading(c, len(l.groups[c]), r.w, m.inks))
		case it == l.sel:
			out = append(out, m.markedRow(it, cols, r.w, state))
		default:
			out = append(out, m.markedRow(it, cols, r.w, rowPlain))
		}
	}
	for len(out) < r.h {
		out = append(out, strings.Repeat(" ", r.w))
	}
	return out[:r.h]
}

func blankLines(w, h int) []string {
	out := make([]string, h)
	for i := range out {
		out[i] = strings.Repeat(" ", w)
	}
	return out
}

// footerHints are the main screen's actions the hint bar names.
var footerHints = []keymap.Action{keymap.Help, keymap.Quit, keymap.Follow, keymap.Filter, keymap.Types, keymap.FailuresOnly, keymap.NextView}

func (m *Model) footerLine() string {
	w := m.width
	if m.typing {
		hint := &lineBuilder{w: w}
		hint.add("  ", m.inks.Dim)
		addHints(hint, m.inks, m.keys.Hints(keymap.ScopeFilter, keymap.FilterKeep, keymap.FilterClear))
		room := max(0, w-hint.used)
		line := ansi.Truncate(m.input.View(), room, "")
		return padLine(line, ansi.StringWidth(line), room) + hint.b.String()
	}
	if line, ok := m.statusLine(); ok {
		return line
	}
	lb := &lineBuilder{w: w}
	m.addUnrecorded(lb)
	m.addReading(lb)
	hints := m.keys.Hints(keymap.ScopeMain, footerHints...)
	if m.zoomed {
		hints = append(m.keys.Hints(keymap.ScopeZoom, keymap.Unzoom), hints...)
	}
	addHints(lb, m.inks, hints)
	return lb.String()
}

// sampleLines say how to try the screen without Extend.
func (m *Model) sampleLines(para func(int, string, ink), addr string) {
	k := m.inks
	if m.cfg.Verifying {
		para(0, "No Extend account at hand? Send signed sample events from another terminal, with EXTEND_WEBHOOK_SECRET set to the same secret:", k.Text)
		para(5, "extend-inspect send --all --to "+listenURL(addr)+"/", k.Key)
	} else {
		para(0, "No Extend account at hand? Send sample events from another terminal:", k.Text)
		para(5, "extend-inspect send --all --unsigned --to "+listenURL(addr)+"/", k.Key)
	}
	para(0, "or start the screen with sample traffic of its own:", k.Text)
	para(5, "extend-inspect --demo", k.Key)
}

// setupStep is one step of the empty state's guide, with the command it
// gives, if any.
type setupStep struct{ text, command string }

// setupSteps are what is left to do before deliveries flow: everything
// without a public URL; registering and subscribing with a tunnel but no
// endpoint; only starting runs once --register has done the rest.
func setupSteps(addr, port, public string, registered bool) []setupStep {
	subscribe := setupStep{text: "Subscribe to events. workflow_run.* events need a per-workflow subscription (the workflow's Webhook Subscriptions menu); the others are enabled on the endpoint itself."}
	start := setupStep{text: "Start runs through the API: runs started from Extend's dashboard send no webhooks."}
	switch {
	case registered:
		return []setupStep{start}
	case public != "":
		return []setupStep{{text: "Register " + public + " as a webhook endpoint in Extend (Developers → Webhook Endpoints), or start with --register to have it done."}, subscribe, start}
	}
	return []setupStep{
		{text: "Expose this address through a tunnel, for example:", command: "ngrok http " + port + "   or   cloudflared tunnel --url http://" + addr},
		{text: "Register the tunnel's https URL as a webhook endpoint in Extend (Developers → Webhook Endpoints). Any path works; add ?api_version=2026-02-09 to tell endpoints apart."},
		subscribe, start,
	}
}

// emptyLines tells a newcomer how to get deliveries flowing.
func (m *Model) emptyLines(w, h int) []string {
	k := m.inks
	addr := m.cfg.Listen
	port := "8080"
	if _, p, err := net.SplitHostPort(addr); err == nil {
		port = p
	}
	text := max(10, w-4)
	var out []string
	para := func(indent int, s string, k ink) {
		for _, line := range wordWrap(s, text-indent) {
			out = append(out, strings.Repeat(" ", 2+indent)+k.paint(line))
		}
	}
	step := func(n, s string) {
		for i, line := range wordWrap(s, text-3) {
			lead := "   "
			if i == 0 {
				lead = k.Key.paint(n) + "  "
			}
			out = append(out, "  "+lead+k.Text.paint(line))
		}
	}
	public := sanitize.Text(m.cfg.PublicURL)
	if public == "" {
		para(0, "Waiting for webhooks on "+listenURL(addr), k.Key)
	} else {
		para(0, "Waiting for webhooks on "+public+" (received on "+listenURL(addr)+")", k.Key)
	}
	out = append(out, "")
	if id := m.cfg.EndpointID; id != "" {
		para(0, "Registered as webhook endpoint "+sanitize.Text(id)+" with its subscriptions; it is deleted when you quit.", k.Text)
	}
	for i, s := range setupSteps(addr, port, public, m.cfg.EndpointID != "") {
		step(fmt.Sprint(i+1), s.text)
		if s.command != "" {
			para(5, s.command, k.Key)
		}
	}
	out = append(out, "")
	if m.cfg.EndpointID == "" {
		// Samples need the secret: a registered session's is in memory only.
		m.sampleLines(para, addr)
		out = append(out, "")
	}
	switch {
	case m.cfg.EndpointID != "":
		para(0, "✓ Signatures are verified with the endpoint's signing secret, kept in memory only.", k.Verified)
	case m.cfg.Verifying:
		para(0, "✓ Signatures are verified with the signing secret given.", k.Verified)
	default:
		para(0, "Signatures are not verified: start with --secret wss_… or EXTEND_WEBHOOK_SECRET set to the endpoint's signing secret to check them.", k.Attention)
	}
	para(0, "Press "+m.keys.Keys(keymap.ScopeMain, keymap.Help)+" for every key, "+m.keys.Keys(keymap.ScopeMain, keymap.Quit)+" to quit.", k.Dim)
	if len(out) > h {
		out = out[:h]
	}
	for len(out) < h {
		out = append(out, "")
	}
	return out
}
