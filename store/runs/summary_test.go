package runs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
)

var t0 = time.Date(2026, 7, 8, 14, 0, 0, 0, time.UTC)

func at(s int) string { return t0.Add(time.Duration(s) * time.Second).Format(time.RFC3339) }

func deliver(st *store.Store, eventID, eventType, payload string) {
	ev := &store.Event{ReceivedAt: t0}
	ev.SetBody(fmt.Appendf(nil, `{"eventId":%q,"eventType":%q,"payload":%s}`, eventID, eventType, payload))
	ev.Classify()
	st.Append(ev)
}

func step(st *store.Store, eventID, run, stepType, nested string, s int) {
	deliver(st, eventID, "workflow_run.step_run.processed", fmt.Sprintf(
		`{"object":"workflow_step_run","id":"workflow_step_run_%s","workflowRunId":%q,"status":"PROCESSED","stepType":%q,
		"step":{"object":"workflow_step","name":"%s step","type":%q},"result":{"nestedRun":{"id":%q,"updatedAt":%q}}}`,
		eventID, run, stepType, strings.ToLower(stepType), stepType, nested, at(s)))
}

func final(st *store.Store, eventID, eventType, run, status, reason string, start, end int) {
	deliver(st, eventID, eventType, fmt.Sprintf(
		`{"object":"workflow_run","id":%q,"status":%q,"failureReason":%q,"failureMessage":"boom",
		"workflow":{"name":"AP"},"workflowVersion":{"version":"4"},"reviewed":true,"reviewedByUser":"ana@example.com",
		"usage":{"credits":7},"startTime":%q,"endTime":%q}`, run, status, reason, at(start), at(end)))
}

func typesOf(s Summary) string {
	var out []string
	for _, l := range s.Lines {
		name := l.Type
		if l.StepType != "" {
			name = l.StepType
		}
		if l.Superseded {
			name += "(superseded)"
		}
		if a := l.AttemptLabel(); a != "" {
			name += "[" + a + "]"
		}
		out = append(out, name)
	}
	return strings.Join(out, " ")
}

// Offsets count from the run's start, so the line that ends the run is as
// far from it as the run's duration, and the first says how long the run
// went before its first step.
func TestOffsetsCountFromTheRunsStart(t *testing.T) {
	st := store.New(100, 0)
	step(st, "e1", "workflow_run_A", "PARSE", "pr_1", 4)
	step(st, "e2", "workflow_run_A", "EXTRACT", "exr_1", 12)
	final(st, "e3", "workflow_run.completed", "workflow_run_A", "PROCESSED", "", 0, 30)
	s := Summarize(st.Run("workflow_run_A"))
	if len(s.Lines) != 3 {
		t.Fatalf("%d lines, want 3", len(s.Lines))
	}
	if first, last := s.Lines[0].Offset, s.Lines[2].Offset; first != 4*time.Second || last != s.Duration || last != 30*time.Second {
		t.Errorf("offsets %v … %v for a run of %v; want 4s … 30s, the last its duration", first, last, s.Duration)
	}
}

func TestSummaryOrdersByPayloadTime(t *testing.T) {
	st := store.New(100, 0)
	final(st, "e4", "workflow_run.completed", "workflow_run_A", "PROCESSED", "", 0, 30) // arrives first
	step(st, "e2", "workflow_run_A", "EXTRACT", "exr_1", 12)
	step(st, "e1", "workflow_run_A", "PARSE", "pr_1", 4)
	step(st, "e3", "workflow_run_A", "RULE_VALIDATION", "", 0) // no nested run: its arrival time, t0
	s := Summarize(st.Run("workflow_run_A"))
	if got := typesOf(s); got != "RULE_VALIDATION PARSE EXTRACT workflow_run.completed" {
		t.Errorf("order %s", got)
	}
	if s.Lines[2].Offset != 12*time.Second || s.Lines[2].Since != 8*time.Second || s.Lines[3].Since != 18*time.Second {
		t.Errorf("offsets %v since %v, %v", s.Lines[2].Offset, s.Lines[2].Since, s.Lines[3].Since)
	}
	want := Summary{ID: "workflow_run_A", Kind: "workflow_run", Name: "AP", Version: "4", Status: "PROCESSED", Finished: true,
		Duration: 30 * time.Second, Reviewed: true, ReviewedBy: "ana@example.com", Credits: 7, HasCredits: true, Steps: 3}
	if s.ID != want.ID || s.Kind != want.Kind || s.Name != want.Name || s.Version != want.Version || s.Status != want.Status ||
		s.Finished != want.Finished || s.Duration != want.Duration || s.Reviewed != want.Reviewed || s.ReviewedBy != want.ReviewedBy ||
		s.Credits != want.Credits || !s.HasCredits || s.Steps != want.Steps || s.Failed() {
		t.Errorf("heading %+v, want %+v", s, want)
	}
}

func TestSummaryFailedAndUnfinished(t *testing.T) {
	st := store.New(100, 0)
	step(st, "e1", "workflow_run_F", "PARSE", "pr_1", 1)
	if s := Summarize(st.Run("workflow_run_F")); s.Finished || !s.Failed() || s.Status != "PROCESSED" {
		t.Errorf("a run with only a step: finished %v failed %v status %s; want unfinished, failed for CI, the step's status", s.Finished, s.Failed(), s.Status)
	}
	final(st, "e2", "workflow_run.failed", "workflow_run_F", "FAILED", "DOCUMENT_PROCESSOR_ERROR", 0, 5)
	s := Summarize(st.Run("workflow_run_F"))
	if !s.Finished || !s.Failed() || s.FailureReason != "DOCUMENT_PROCESSOR_ERROR" || s.FailureMessage != "boom" || s.Status != "FAILED" {
		t.Errorf("failed run: %+v", s)
	}
}

func TestSummarySupersededAndRetries(t *testing.T) {
	st := store.New(100, 0)
	step(st, "e1", "workflow_run_R", "CLASSIFY", "clr_1", 1)
	step(st, "e2", "workflow_run_R", "EXTRACT", "exr_1", 2)
	deliver(st, "e3", "workflow_run.needs_review", `{"object":"workflow_run","id":"workflow_run_R","status":"NEEDS_REVIEW","reviewed":false,"startTime":"`+at(0)+`"}`)
	step(st, "e4", "workflow_run_R", "CLASSIFY", "clr_2", 10) // the reviewer re-classified
	step(st, "e5", "workflow_run_R", "EXTRACT", "exr_2", 11)
	step(st, "e5", "workflow_run_R", "EXTRACT", "exr_2", 11) // Extend retries the delivery
	s := Summarize(st.Run("workflow_run_R"))
	want := "CLASSIFY(superseded) EXTRACT(superseded) workflow_run.needs_review CLASSIFY EXTRACT[1/2] EXTRACT[2/2]"
	if got := typesOf(s); got != want {
		t.Errorf("lines %s\nwant  %s", got, want)
	}
	if !s.NeedsReview || s.Reviewed || s.Finished {
		t.Errorf("review state: needs %v reviewed %v finished %v", s.NeedsReview, s.Reviewed, s.Finished)
	}
}

func TestSummarySaysFirstEventsWereEvicted(t *testing.T) {
	st := store.New(3, 0)
	step(st, "e1", "workflow_run_E", "PARSE", "pr_1", 1)
	step(st, "e2", "workflow_run_E", "EXTRACT", "exr_1", 2)
	step(st, "e3", "workflow_run_E", "CLASSIFY", "clr_1", 3)
	final(st, "e4", "workflow_run.completed", "workflow_run_E", "PROCESSED", "", 0, 4)
	s := Summarize(st.Run("workflow_run_E"))
	if s.Evicted != 1 || len(s.Lines) != 3 || s.Lines[0].StepType != "EXTRACT" {
		t.Errorf("evicted %d, %d lines from %s; want 1 evicted and the 3 stored", s.Evicted, len(s.Lines), s.Lines[0].StepType)
	}
}

func TestFilterAndRecord(t *testing.T) {
	st := store.New(100, 0)
	final(st, "e1", "workflow_run.failed", "workflow_run_X", "FAILED", "INTERNAL_ERROR", 0, 2)
	deliver(st, "e2", "extract_run.processed", `{"object":"extract_run","id":"exr_9","status":"PROCESSED","updatedAt":"`+at(3)+`"}`)
	all := Of(stIndex(st))
	if len(all) != 2 {
		t.Fatalf("%d runs, want 2", len(all))
	}
	if f := (Filter{Status: "fail*"}); !f.Match(all[0]) || f.Match(all[1]) {
		t.Error("--status fail* should keep the failed run only")
	}
	if f := (Filter{Kind: "extract_run"}); f.Match(all[0]) || !f.Match(all[1]) {
		t.Error("--kind extract_run should keep the extract run only")
	}
	if err := (Filter{Status: "["}).Check(); err == nil {
		t.Error("a malformed glob passed the check")
	}
	r := all[0].Record()
	if r.RunID != "workflow_run_X" || r.Status != "FAILED" || !r.Finished || r.DurationMs != 2000 || r.FailureReason != "INTERNAL_ERROR" || fmt.Sprint(r.Seqs) != "[1]" {
		t.Errorf("record %+v", r)
	}
}

// stIndex rebuilds an index from a store's events, as `runs` does from a file.
func stIndex(st *store.Store) *store.RunIndex {
	x := store.NewRunIndex()
	for _, ev := range st.All() {
		x.Add(ev)
	}
	return x
}

func TestRowEscapesControlCharacters(t *testing.T) {
	s := Summary{ID: "workflow_run_\x1b[31mred", Kind: "workflow_run", Name: "A\u009bB"}
	if row := s.Row(); strings.ContainsAny(row, "\x1b\u009b") || !strings.Contains(row, `\x1b[31mred`) {
		t.Errorf("row %q", row)
	}
}
