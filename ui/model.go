// Package ui is the inspector screen: a live list of deliveries grouped by
// category beside a payload pane, built on Bubble Tea. It reads events from
// the store and never talks to the receiver.
//
// The design follows the large Bubble Tea apps that age well: one root
// model; children (the list, the pane, dialogs) are plain structs with
// methods, not nested models; only the root handles the window size and
// computes the layout; View is pure and cheap; anything slow (building the
// items of a burst, formatting and highlighting payloads) runs in commands,
// and every state change happens in Update.
package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/themes"
)

// Config is everything the screen needs from outside.
type Config struct {
	Source    Source // the store
	Listen    string // the receiver's address, e.g. "127.0.0.1:8080"
	Verifying bool   // a signing secret is configured
	Theme     themes.Theme
	// FollowTerminal asks the terminal for its background and switches to
	// the light or dark theme that suits it (themes.FollowsTerminal).
	FollowTerminal bool
	Keys           keymap.KeyMap
	// Now is the clock (for the rate); nil means time.Now. Tests inject one.
	Now func() time.Time
	// Location is the time zone of the times shown; nil means time.Local.
	Location *time.Location

	// Session is the session file shown, when the screen was opened on one.
	Session string
	// ReplayAddr is where a curl export or copy sends deliveries back to:
	// the receiver's address, or the default one when not receiving.
	ReplayAddr string
	// ExportDir is the export dialog's directory; "" means
	// ./extend-events-<time>.
	ExportDir string
	// Version is extend-inspect's version, written into exports.
	Version string
	// Notice is shown in the status line when the screen opens.
	Notice string
	// Loading is the session loading behind the screen; nil when none.
	Loading Loading
	// Recorder is the --record file; nil when none.
	Recorder Recorder

	// PublicURL is where Extend reaches the receiver (--tunnel,
	// --public-url, the endpoint --register created); "" without one.
	PublicURL string
	// EndpointID is the webhook endpoint --register created for this
	// session, and deletes when it ends; "" without --register. Its signing
	// secret is in memory only: exports that re-sign cannot have it.
	EndpointID string

	// ForwardTo is the app deliveries are forwarded to; "" when they are not.
	ForwardTo string
	// Answer cycles the receiver's answer; Replayer replays events. Either
	// is nil when the session cannot do it (no receiver).
	Answer   Answerer
	Replayer Replayer
	// Forwarded is signalled when forward results come in (capacity one);
	// nil leaves them to the once-a-second tick.
	Forwarded <-chan struct{}
	// Links fetches a delivery's signed link (L); nil when the session
	// cannot.
	Links LinkFetcher

	// LowConfidence is the confidence below which the Fields view marks a
	// field (--low-confidence); 0 means output.DefaultLowConfidence.
	LowConfidence float64
	// OpenURL opens a web page in the user's browser (O); nil when the
	// session cannot. It is called from a command, never from Update.
	OpenURL func(link string) error
	// Editor is the command E opens a payload with ($VISUAL, else $EDITOR,
	// else less), split at spaces; "" when the session has none.
	Editor string
}

// focus is the part of the body that gets the navigation keys.
type focus uint8

const (
	focusList focus = iota
	focusPane
)

// Model is the root model of the screen.
type Model struct {
	cfg    Config
	keys   keymap.KeyMap
	styles themes.Styles
	inks   inks
	kit    *renderKit
	now    func() time.Time
	// life is the screen's lifetime: Close ends it, and with it every
	// command still waiting (for arrivals, for forward results).
	life context.Context
	end  context.CancelFunc

	feed   *feed
	work   background // the slot of the screen's heavy commands
	stats  store.Stats
	missed uint64 // events evicted before the screen read them
	// replays counts the replays among the events read: the store counts
	// them as received, the header does not.
	replays uint64
	rate    rateMeter
	clock   time.Time // the time of the last arrival or tick: View reads no clock

	list   eventList
	pane   pane
	focus  focus
	zoomed bool // the pane has the whole body (enter); esc gives the list back

	lastReplayURL string // the replay prompt's suggestion, before --forward-to
	input         textinput.Model
	typing        bool   // the text filter's input has the keyboard
	dialog        dialog // the dialog drawn over the body, or nil (dialog.go)

	marks     markSet     // marked events, by seq (marks.go)
	compare   *comparison // the diff of two marked events on screen, or nil (diffmarked.go)
	exporting *exportRun  // the export in flight, or nil (export.go)
	status    status      // the footer's report, until the next key (status.go)
	quitting  bool        // quit once the export in flight has stopped (quit.go)
	farewell  string      // what to say once the screen is gone (quit.go)

	fwd        forwardState    // the receiver's answer mode (answer.go)
	load       loadState       // the session loading behind the screen (loading.go)
	unrecorded uint64          // deliveries --record could not write (recording.go)
	fetching   map[uint64]bool // events whose signed link is being fetched (links.go)

	width, height int
	lay           layout

	// followPaneEvery is the shortest time between moves of the followed
	// pane (showArrived); paneMoved is the last, and paneDue says a command
	// will bring the pane to the newest.
	followPaneEvery time.Duration
	paneMoved       time.Time
	paneDue         bool
}

// New builds the screen. It follows the source at once, so that no
// delivery between New and the first command goes unnoticed.
func New(cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Theme.Name == "" {
		cfg.Theme, _ = themes.ByName(themes.Dark)
	}
	st := cfg.Theme.Styles()
	life, end := context.WithCancel(context.Background())
	work := newBackground()
	m := &Model{
		cfg:    cfg,
		keys:   cfg.Keys,
		styles: st,
		inks:   newInks(st),
		now:    cfg.Now,
		life:   life,
		end:    end,
		feed:   newFeed(life, cfg.Source, cfg.Now, work),
		work:   work,

		followPaneEvery: followPaneInterval,
		list:            newEventList(),
		pane:            newPane(),
		input:           newFilterInput(st),
		marks:           markSet{},
		fwd:             newForwardState(cfg),
	}
	if cfg.Notice != "" {
		m.report(cfg.Notice, true)
	}
	m.kit = &renderKit{inks: m.inks, styles: st, keys: cfg.Keys, loc: cfg.Location, forwarding: cfg.ForwardTo != "", lowConfidence: cfg.LowConfidence}
	m.kit.runs = cfg.Source
	return m
}

func newFilterInput(st themes.Styles) textinput.Model {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "type, id, status or payload text"
	styleFilterInput(&in, st)
	return in
}

// styleFilterInput paints the filter's input in st.
func styleFilterInput(in *textinput.Model, st themes.Styles) {
	s := in.Styles()
	s.Focused.Prompt = st.Prompt
	s.Blurred.Prompt = st.Prompt
	s.Focused.Text = st.Text
	s.Focused.Placeholder = st.Dim
	s.Blurred.Placeholder = st.Dim
	in.SetStyles(s)
}

// Close stops following the source and ends the commands still waiting.
func (m *Model) Close() {
	m.end()
	m.feed.follower.Close()
}

type tickMsg time.Time

func (m *Model) tick() tea.Cmd {
	return tea.Tick(tickInterval, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Init reads what the store holds already and starts the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.feed.pull(), m.tick(), m.waitForwarded(), m.askBackground())
}

// Update handles a message, then brings the payload pane's reading state
// up to date with it (see reading.go).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	model, cmd := m.update(msg)
	return model, tea.Batch(cmd, m.afterUpdate())
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, m.showSelected()
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		if m.typing {
			return m, m.updateInput(msg)
		}
		if m.dialog != nil {
			return m, m.dialogDone(m.dialog.update(msg))
		}
	case tea.MouseClickMsg:
		return m, m.click(msg.Mouse())
	case tea.MouseWheelMsg:
		return m, m.wheel(msg.Mouse())
	case arrivalsMsg:
		catch := m.arrive(msg)
		m.readLoading()
		m.readRecorder()
		return m, tea.Batch(m.feed.wait(), m.showArrived(), catch)
	case textCatchUpMsg:
		next := m.list.caughtUp(msg)
		return m, tea.Batch(next, m.showArrived())
	case docMsg:
		return m, m.docArrived(msg)
	case paneDueMsg:
		return m, m.movePane()
	case fieldMsg:
		return m, m.fieldDone(msg)
	case textSearchMsg:
		next := m.list.finishQuery(msg)
		return m, tea.Batch(next, m.showSelected())
	case exportProgressMsg, exportDoneMsg:
		return m, m.exportUpdate(msg)
	case tickMsg:
		m.clock = m.now()
		m.rate.expire(m.clock)
		m.readLoading()
		m.readRecorder()
		return m, tea.Batch(m.tick(), m.refreshShown())
	case replayDoneMsg:
		m.replayDone(msg)
	case matchesMsg:
		m.pane.matchesFound(msg)
	case dashboardOpenedMsg:
		m.dashboardOpened(msg)
	case editorFileMsg:
		return m, m.editorFile(msg)
	case editorDoneMsg:
		m.editorDone(msg)
	case linkFetchedMsg:
		return m, m.linkFetched(msg)
	case copyMsg:
		return m, m.copyReady(msg)
	case forwardedMsg:
		return m, tea.Batch(m.waitForwarded(), m.refreshShown())
	case tea.BackgroundColorMsg:
		return m, m.background(msg)
	default:
		if m.typing {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

// arrive takes a batch of arrivals, and returns the command testing them
// against the text filter when Update cannot (see eventList.add).
func (m *Model) arrive(msg arrivalsMsg) tea.Cmd {
	m.stats = msg.stats
	m.missed += msg.missed
	if !msg.initial {
		m.rate.add(msg.at, len(msg.items)+int(msg.missed))
	}
	for _, it := range msg.items {
		if it.ev.ReplayOf() != 0 {
			m.replays++
		}
	}
	m.clock = msg.at
	row := m.list.screenRow()
	if m.list.tagRuns(msg.items, msg.runs) {
		m.list.refilter()
	}
	shown, catch := m.list.add(msg.items)
	if m.list.trackAttempts(msg.items) {
		m.fwd.retries = true
	}
	m.list.evict(firstLive(msg.stats))
	m.marks.evict(firstLive(msg.stats))
	m.list.arrived(shown, row)
	return catch
}

// handleKey routes a key: the text filter's input owns the keyboard
// (except its own bindings), then an open dialog, then the scopes that
// apply, narrowest first: a running export's, the focused pane's, the main
// screen's. ctrl+c always quits, whatever the bindings say: it is the way
// out that no keys file can take away.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	if m.typing {
		return m.inputKey(msg)
	}
	m.status = status{}
	m.pane.seek = 0 // a cursor waiting for a match gives way to any key
	if m.dialog != nil {
		return m.dialogDone(m.dialog.update(msg))
	}
	for _, sc := range m.scopes() {
		if a, ok := m.keys.Lookup(sc, msg.String()); ok {
			return m.act(sc, a)
		}
	}
	return nil
}

// scopes are the keymap scopes a key is looked up in now, narrowest first.
func (m *Model) scopes() []keymap.Scope {
	chain := make([]keymap.Scope, 0, 4)
	if m.exporting != nil {
		chain = append(chain, keymap.ScopeExporting)
	}
	if m.zoomed {
		chain = append(chain, keymap.ScopeZoom)
	}
	if m.compare != nil {
		chain = append(chain, keymap.ScopeDiff)
	}
	if m.focus == focusPane {
		chain = append(chain, keymap.ScopePane)
	}
	return append(chain, keymap.ScopeMain)
}

// act carries out action a of scope sc.
func (m *Model) act(sc keymap.Scope, a keymap.Action) tea.Cmd {
	switch sc {
	case keymap.ScopeExporting:
		m.stopExport()
		return nil
	case keymap.ScopePane:
		return m.paneAction(a)
	case keymap.ScopeZoom:
		return m.setZoom(false)
	case keymap.ScopeDiff:
		m.compare = nil
		return m.showSelected()
	}
	if cmd, handled := m.forwardAction(a); handled {
		return cmd
	}
	if cmd, handled := m.globalAction(a); handled {
		return cmd
	}
	return m.listAction(a)
}

// globalAction handles the actions that mean the same whatever has focus.
func (m *Model) globalAction(a keymap.Action) (tea.Cmd, bool) {
	switch a {
	case keymap.Quit:
		return m.askQuit(), true
	case keymap.Help:
		m.openDialog(newHelpDialog(m.kit))
	case keymap.Focus:
		if m.zoomed {
			return m.setZoom(false), true
		}
		m.focus = 1 - m.focus
	case keymap.Zoom:
		return m.setZoom(m.list.sel != nil), true
	case keymap.Follow:
		m.list.follow()
		return m.showSelected(), true
	case keymap.Order:
		m.list.toggleOrder()
	case keymap.Filter:
		m.typing = true
		m.input.CursorEnd()
		return m.input.Focus(), true
	case keymap.Types:
		m.openDialog(newTypePicker(m.kit, m.stats.ByType, m.list.filt.types))
	case keymap.FailuresOnly:
		m.list.filt.failures = !m.list.filt.failures
		return m.refilter(), true
	case keymap.UnverifiedOnly:
		m.list.filt.unverified = !m.list.filt.unverified
		return m.refilter(), true
	case keymap.FilterRun:
		return m.filterRun(), true
	case keymap.ClearFilters:
		return m.clearFilters(), true
	case keymap.AllCategories, keymap.Workflow, keymap.ProcessorRuns, keymap.Global, keymap.Unknown:
		m.setCategory(a)
		return m.refilter(), true
	case keymap.ViewPayload, keymap.ViewHeaders, keymap.ViewRaw, keymap.ViewSummary, keymap.ViewRun, keymap.ViewFields, keymap.ViewReview:
		m.pane.view = viewOf(a)
		return m.showSelected(), true
	case keymap.NextView:
		m.pane.view = (m.pane.view + 1) % numViews
		return m.showSelected(), true
	case keymap.PrevView:
		m.pane.view = (m.pane.view + numViews - 1) % numViews
		return m.showSelected(), true
	case keymap.ScrollUp:
		m.pane.keep = keepNothing
		m.pane.scrollBy(-max(1, m.pane.height/2))
	case keymap.ScrollDown:
		m.pane.keep = keepNothing
		m.pane.scrollBy(max(1, m.pane.height/2))
	case keymap.OpenDashboard:
		return m.openDashboard(), true
	case keymap.OpenEditor:
		return m.openEditor(), true
	case keymap.MatchNext:
		return m.stepMatch(1), true
	case keymap.MatchPrev:
		return m.stepMatch(-1), true
	case keymap.Wrap:
		m.toggleWrap()
	case keymap.ScrollLeft:
		m.scrollSideways(-1)
	case keymap.ScrollRight:
		m.scrollSideways(1)
	case keymap.Mark, keymap.MarkShown, keymap.ClearMarks, keymap.Export, keymap.CopyPayload, keymap.CopyCurl:
		return m.selectionAction(a), true
	case keymap.CopyValue:
		return m.copyValue(), true
	case keymap.DiffMarked:
		return m.diffMarked(), true
	default:
		return nil, false
	}
	return nil, true
}

func viewOf(a keymap.Action) view {
	switch a {
	case keymap.ViewHeaders:
		return viewHeaders
	case keymap.ViewRaw:
		return viewRaw
	case keymap.ViewSummary:
		return viewSummary
	case keymap.ViewRun:
		return viewRun
	case keymap.ViewFields:
		return viewFields
	case keymap.ViewReview:
		return viewReview
	}
	return viewPayload
}

// listAction moves through the list.
func (m *Model) listAction(a keymap.Action) tea.Cmd {
	page := max(1, m.list.height-1)
	switch a {
	case keymap.Up:
		m.list.moveBy(-1)
	case keymap.Down:
		m.list.moveBy(1)
	case keymap.PageUp:
		m.list.moveBy(-page)
	case keymap.PageDown:
		m.list.moveBy(page)
	case keymap.Top:
		m.list.selectRow(0, 1)
	case keymap.Bottom:
		m.list.selectRow(m.list.rowCount()-1, -1)
	default:
		return nil
	}
	return m.showSelected()
}

// paneAction moves the payload pane's cursor while the pane has focus, and
// carries out the current view's own action on the line under it.
func (m *Model) paneAction(a keymap.Action) tea.Cmd {
	p := &m.pane
	page := max(1, p.height-1)
	switch a {
	case keymap.Up, keymap.Down, keymap.PageUp, keymap.PageDown, keymap.Top, keymap.Bottom:
		p.keep = keepNothing // where the user puts the cursor is where it stays
	}
	switch a {
	case keymap.Up:
		p.moveCursor(-1)
	case keymap.Down:
		p.moveCursor(1)
	case keymap.PageUp:
		p.setCursor(p.cursor - page)
	case keymap.PageDown:
		p.setCursor(p.cursor + page)
	case keymap.Top:
		p.setCursor(0)
	case keymap.Bottom:
		p.cursorToEnd()
	case keymap.Open:
		if at, ok := p.at(); ok {
			return m.open(at)
		}
	case keymap.Fold:
		m.reportIf(p.toggleFold())
	case keymap.FoldAll:
		m.reportIf(p.toggleFoldAll())
	case keymap.CopyValue:
		return m.copyValue()
	case keymap.CopyPath:
		return m.copyPath()
	}
	return nil
}

// open carries out the current view's action on the line the cursor is on:
// a field's row shows its detail; a line that names an event selects it in
// the list.
func (m *Model) open(at anchor) tea.Cmd {
	switch m.pane.view {
	case viewFields, viewReview:
		return m.askField(at, fieldOpen)
	}
	if at.seq == 0 {
		return nil
	}
	if !m.list.selectSeq(at.seq) {
		m.report(fmt.Sprintf("#%d is not in the list: evicted, or hidden by the filters", at.seq), true)
		return nil
	}
	return m.showSelected()
}

// inputKey handles a key while the text filter has the keyboard: its
// bindings keep the filter or clear it, anything else edits it live.
func (m *Model) inputKey(msg tea.KeyPressMsg) tea.Cmd {
	switch a, _ := m.keys.Lookup(keymap.ScopeFilter, msg.String()); a {
	case keymap.FilterKeep:
		m.typing = false
		m.input.Blur()
		return nil
	case keymap.FilterClear:
		m.typing = false
		m.input.Blur()
		m.input.SetValue("")
		m.list.setQuery("")
		return m.showSelected()
	}
	return m.updateInput(msg)
}

func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	search := m.list.setQuery(m.input.Value())
	return tea.Batch(cmd, search, m.showSelected())
}

func (m *Model) setCategory(a keymap.Action) {
	f := &m.list.filt
	f.oneCategory = a != keymap.AllCategories
	switch a {
	case keymap.Workflow:
		f.category = extend.CategoryWorkflow
	case keymap.ProcessorRuns:
		f.category = extend.CategoryProcessorRun
	case keymap.Global:
		f.category = extend.CategoryGlobal
	case keymap.Unknown:
		f.category = extend.CategoryUnknown
	}
}

// setTypes applies the type picker's choice.
func (m *Model) setTypes(chosen map[string]bool) tea.Cmd {
	m.list.filt.types = nil
	if len(chosen) > 0 {
		m.list.filt.types = make(map[string]bool, len(chosen))
		for t := range chosen {
			m.list.filt.types[t] = true
		}
	}
	return m.refilter()
}

func (m *Model) clearFilters() tea.Cmd {
	m.list.filt = filters{}
	m.input.SetValue("")
	m.list.text.set("", m.list.items)
	return m.refilter()
}

func (m *Model) refilter() tea.Cmd {
	m.list.refilter()
	return m.showSelected()
}

// showSelected points the pane at the selected event, or at the diff of
// two marked events while that lasts.
func (m *Model) showSelected() tea.Cmd {
	kit := m.kit.at(m.now())
	if m.comparing() {
		return m.pane.showDiff(m.compare, kit)
	}
	return m.work.run(m.pane.show(m.list.sel, kit))
}

// showArrived shows the selection after arrivals. While following a stream
// that would start a document for every batch, though nobody reads twenty
// payloads a second, and each costs milliseconds of formatting and
// highlighting that the receiver could use. So while the payload on screen
// is still being made, arrivals leave it (its next chunk moves on, in
// docArrived), and the followed pane moves at most once every
// followPaneEvery: at most one followed document is in the making, and few
// are made only to be dropped.
func (m *Model) showArrived() tea.Cmd {
	if !m.list.following {
		return m.showSelected()
	}
	if d := m.pane.current(); d != nil && d.busy {
		return nil
	}
	return m.followPane()
}

// followPane moves the followed pane on to the newest delivery: now, or
// by a command once followPaneEvery has passed since its last move.
func (m *Model) followPane() tea.Cmd {
	now := m.now()
	if wait := m.followPaneEvery - now.Sub(m.paneMoved); wait > 0 {
		if m.paneDue {
			return nil
		}
		m.paneDue = true
		return tea.Tick(wait, func(time.Time) tea.Msg { return paneDueMsg{} })
	}
	m.paneMoved = now
	return m.showSelected()
}

// paneDueMsg says the followed pane may move on to the newest delivery.
type paneDueMsg struct{}

// movePane moves the followed pane on when its interval is over, if it is
// behind the selection.
func (m *Model) movePane() tea.Cmd {
	m.paneDue = false
	if m.pane.shown == m.pane.key(m.list.sel, m.kit.at(m.now())) {
		return nil
	}
	return m.followPane()
}

// docArrived takes a chunk of a document. When the selection has moved on
// meanwhile (arrivals while following), the pane follows it first, so the
// rest of this document waits until it is shown again (unless the pane
// must wait for its interval: this document then goes on).
func (m *Model) docArrived(msg docMsg) tea.Cmd {
	var show tea.Cmd
	if msg.key == m.pane.shown && msg.key != m.pane.key(m.list.sel, m.kit.at(m.now())) {
		// One or the other: showSelected starts the new document's command,
		// which must not be dropped for followPane's.
		if m.list.following {
			show = m.followPane()
		} else {
			show = m.showSelected()
		}
	}
	return tea.Batch(show, m.work.run(m.pane.apply(msg)))
}

// click selects the row under the pointer, focuses the pane or switches its
// view by its tab.
func (m *Model) click(mouse tea.Mouse) tea.Cmd {
	if m.dialog != nil || mouse.Button != tea.MouseLeft {
		return nil
	}
	switch {
	case m.lay.list.contains(mouse.X, mouse.Y):
		m.focus = focusList
		m.list.selectRow(m.list.top+mouse.Y-m.lay.list.y, 0)
		return m.showSelected()
	case m.lay.tabs.contains(mouse.X, mouse.Y):
		m.focus = focusPane
		if v, ok := tabAt(mouse.X-m.lay.tabs.x, m.lay.tabs.w); ok {
			m.pane.view = v
		}
		return m.showSelected()
	case m.lay.pane.contains(mouse.X, mouse.Y):
		m.focus = focusPane
	}
	return nil
}

// wheel scrolls whatever is under the pointer.
func (m *Model) wheel(mouse tea.Mouse) tea.Cmd {
	step := 0
	switch mouse.Button {
	case tea.MouseWheelUp:
		step = -1
	case tea.MouseWheelDown:
		step = 1
	default:
		return nil
	}
	if m.lay.pane.contains(mouse.X, mouse.Y) || m.lay.tabs.contains(mouse.X, mouse.Y) {
		m.pane.scrollBy(step * wheelLines)
		return nil
	}
	if m.lay.list.contains(mouse.X, mouse.Y) {
		m.list.moveBy(step)
		return m.showSelected()
	}
	return nil
}

// setZoom gives the pane the whole body (with focus), or the list back;
// the pane is drawn again at its new width.
func (m *Model) setZoom(on bool) tea.Cmd {
	if on == m.zoomed {
		return nil
	}
	m.zoomed = on
	m.focus = focusList
	if on {
		m.focus = focusPane
	}
	m.resize(m.width, m.height)
	return m.showSelected()
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.lay = computeLayout(w, h, m.zoomed)
	m.list.setHeight(m.lay.list.h)
	m.pane.resize(m.lay.pane.w, m.lay.pane.h)
	m.input.SetWidth(max(10, w-20))
	if m.dialog != nil {
		m.dialog.resize(m.lay.body.w, m.lay.body.h)
	}
}
