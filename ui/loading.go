package ui

import (
	"fmt"
	"strconv"
)

// Loading is a session file that loads while the screen shows it (`open`).
type Loading interface {
	LoadProgress() LoadProgress
}

// LoadProgress is how far a session's loading is.
type LoadProgress struct {
	Loaded, Total int    // records appended so far, of those to load
	InFile        int    // records in the file; -1 while they are still counted
	Bound         string // the flag that left the file's oldest records out, when one did
	Done          bool
	Warning       string // when Done: what did not load
}

// loadState is the loading the header shows, read in Update.
type loadState struct {
	progress LoadProgress
	reported bool // the warning has been put in the status line
}

// readLoading takes the loading's progress; call it in Update.
func (m *Model) readLoading() {
	if m.cfg.Loading == nil || m.load.reported {
		return
	}
	m.load.progress = m.cfg.Loading.LoadProgress()
	if p := m.load.progress; p.Done {
		m.load.reported = true
		if p.Warning != "" {
			m.report(p.Warning, true)
		}
	}
}

// addLoadingHeader says how far the loading is, and what it left out.
func (m *Model) addLoadingHeader(lb *lineBuilder) {
	if m.cfg.Loading == nil {
		return
	}
	p := m.load.progress
	if !p.Done {
		percent := 0
		if p.Total > 0 {
			percent = p.Loaded * 100 / p.Total
		}
		lb.add(fmt.Sprintf("  loading %d%% · %s of %s", percent, grouped(p.Loaded), grouped(p.Total)), m.inks.Attention)
	}
	switch {
	case p.Bound == "":
	case p.InFile < 0:
		lb.add(fmt.Sprintf("  kept the newest %s (%s); counting the file…", grouped(p.Total), p.Bound), m.inks.Attention)
	default:
		lb.add(fmt.Sprintf("  kept the newest %s of %s (%s)", grouped(p.Total), grouped(p.InFile), p.Bound), m.inks.Attention)
	}
}

// grouped writes n with a comma between thousands: 98,000.
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
