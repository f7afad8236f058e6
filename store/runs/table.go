package runs

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/extend-inspect/extend-inspect/store"
)

// Of summarises every run of an index, in order of their oldest stored
// event.
func Of(index *store.RunIndex) []Summary {
	all := index.Runs()
	out := make([]Summary, len(all))
	for i, r := range all {
		out[i] = Summarize(r)
	}
	return out
}

// Filter keeps the runs `runs --status` and `--kind` ask for; its zero
// value keeps every run.
type Filter struct {
	Status string // a glob (path.Match), matched case-insensitively; "" matches all
	Kind   string // a run kind, exactly; "" matches all
}

// Check reports a malformed status glob, for the command to refuse it.
func (f Filter) Check() error {
	if _, err := path.Match(strings.ToLower(f.Status), ""); err != nil {
		return fmt.Errorf("--status %q: %w", f.Status, err)
	}
	return nil
}

// Match reports whether s passes the filter.
func (f Filter) Match(s Summary) bool {
	if f.Kind != "" && s.Kind != f.Kind {
		return false
	}
	if f.Status == "" {
		return true
	}
	ok, _ := path.Match(strings.ToLower(f.Status), strings.ToLower(s.Status))
	return ok
}

// Record is one run as a line of `runs --json`. Its field names are a
// public interface: CI scripts read them.
type Record struct {
	RunID         string   `json:"runId"`
	RunKind       string   `json:"runKind"`
	Name          string   `json:"name"`
	Status        string   `json:"status"`
	Finished      bool     `json:"finished"`
	Events        int      `json:"events"`
	Steps         int      `json:"steps"`
	DurationMs    int64    `json:"durationMs"`
	FailureReason string   `json:"failureReason"`
	Seqs          []uint64 `json:"seqs"`
}

// Record converts the summary for `runs --json`.
func (s Summary) Record() Record {
	return Record{
		RunID: s.ID, RunKind: s.Kind, Name: s.Name, Status: s.Status, Finished: s.Finished,
		Events: len(s.Lines), Steps: s.Steps, DurationMs: s.Duration.Milliseconds(),
		FailureReason: s.FailureReason, Seqs: s.Seqs(),
	}
}

// TableHeader and Row are the text form of `runs`: one line per run,
// columns separated by two spaces at least.
const TableHeader = "RUN ID                          KIND                    NAME                  STATUS        EVENTS  STEPS  DURATION  FAILURE"

// Row is the run's line under TableHeader. Ids and names come from
// payloads, so control characters are shown escaped, never sent to the
// terminal.
func (s Summary) Row() string {
	return printable(s.row())
}

func (s Summary) row() string {
	failure := s.FailureReason
	if failure == "" && !s.Finished && s.Failed() {
		failure = "(not finished)"
	}
	return fmt.Sprintf("%-30s  %-22s  %-20s  %-12s  %6d  %5d  %8s  %s",
		s.ID, s.Kind, orKeep(s.Name, "-"), orKeep(s.Status, "-"), len(s.Lines), s.Steps, duration(s), failure)
}

func duration(s Summary) string {
	d := s.Duration
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// printable escapes control characters (C0, DEL, C1) as Go escapes them.
func printable(line string) string {
	if !strings.ContainsFunc(line, isControl) {
		return line
	}
	var b strings.Builder
	for _, r := range line {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }
