package ui

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// dashboardPaths are where a run's payload names its page in Extend's
// dashboard: dashboardUrl since 2025-04-21, url before.
var dashboardPaths = []string{"payload.dashboardUrl", "payload.url"}

// dashboardLink is the run's dashboard page the event names (in the
// payload fetched from its signed link, once fetched). The link
// comes from a webhook, so only a plain https URL is taken: nothing that a
// browser launcher could read as an option or another scheme.
func dashboardLink(ev *store.Event) (string, bool) {
	for _, path := range dashboardPaths {
		v, ok := extend.PathValue(payloadOf(ev).body, path)
		if ok && isDashboardURL(v) {
			return v, true
		}
	}
	return "", false
}

func isDashboardURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && sanitize.Text(s) == s
}

// dashboardOpenedMsg is the outcome of opening a dashboard page.
type dashboardOpenedMsg struct {
	seq  uint64
	link string // "" when the event names none
	err  error
}

// openDashboard opens the selected run's dashboard page in the browser,
// off the update loop.
func (m *Model) openDashboard() tea.Cmd {
	it := m.list.sel
	if it == nil {
		return nil
	}
	open := m.cfg.OpenURL
	if open == nil {
		m.report("Opening a browser is not available in this session.", true)
		return nil
	}
	ev, seq := it.ev, it.ev.Seq
	return func() tea.Msg { // reading the payload may read a session file
		link, ok := dashboardLink(ev)
		if !ok {
			return dashboardOpenedMsg{seq: seq}
		}
		return dashboardOpenedMsg{seq: seq, link: link, err: open(link)}
	}
}

func (m *Model) dashboardOpened(msg dashboardOpenedMsg) {
	if msg.link == "" {
		m.report(fmt.Sprintf("#%d names no dashboard page (payload.dashboardUrl, or payload.url before 2025-04-21).", msg.seq), true)
		return
	}
	if errors.Is(msg.err, exec.ErrNotFound) {
		// What to do comes before the link, which a narrow footer cuts.
		m.report(fmt.Sprintf("No browser opener (xdg-open) found; %s copies the payload, link included: %s",
			m.keys.Keys(keymap.ScopeMain, keymap.CopyPayload), msg.link), true)
		return
	}
	if msg.err != nil {
		m.report(fmt.Sprintf("Could not open the link (%v); %s copies the payload, link included: %s", msg.err,
			m.keys.Keys(keymap.ScopeMain, keymap.CopyPayload), msg.link), true)
		return
	}
	m.report("Opened "+msg.link+" in the browser.", false)
}
