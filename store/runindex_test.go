package store

import (
	"fmt"
	"testing"
	"time"
)

// runEvent builds a classified delivery from a payload.
func runEvent(eventID, eventType, payload string) *Event {
	ev := &Event{ReceivedAt: time.Unix(0, 0)}
	ev.SetBody(fmt.Appendf(nil, `{"eventId":%q,"eventType":%q,"payload":%s}`, eventID, eventType, payload))
	ev.Classify()
	return ev
}

func stepRun(eventID, runID, stepType, nested, updatedAt string) *Event {
	return runEvent(eventID, "workflow_run.step_run.processed", fmt.Sprintf(
		`{"object":"workflow_step_run","id":"workflow_step_run_%s","workflowRunId":%q,"status":"PROCESSED","stepType":%q,
		"step":{"object":"workflow_step","id":"step_1","name":"%s step","type":%q},
		"result":{"extractRun":{"object":"x","id":%q,"status":"PROCESSED","updatedAt":%q}}}`, eventID, runID, stepType, stepType, stepType, nested, updatedAt))
}

func workflowRun(eventID, eventType, runID, status, endTime string) *Event {
	return runEvent(eventID, eventType, fmt.Sprintf(
		`{"object":"workflow_run","id":%q,"status":%q,"workflow":{"object":"workflow","id":"workflow_1","name":"AP"},
		"workflowVersion":{"object":"workflow_version","id":"workflow_version_1","version":"2"},"endTime":%q}`, runID, status, endTime))
}

func extractRun(eventID, id, eventType string) *Event {
	return runEvent(eventID, eventType, fmt.Sprintf(`{"object":"extract_run","id":%q,"status":"PROCESSED","updatedAt":"2026-07-08T14:00:05Z"}`, id))
}

func TestRunIndexJoinsOutOfOrder(t *testing.T) {
	st := New(100, 0)
	st.Append(extractRun("e1", "exr_1", "extract_run.processed"))          // seq 1: alone, for now
	st.Append(extractRun("e2", "exr_other", "extract_run.processed"))      // seq 2: another run
	st.Append(stepRun("e3", "workflow_run_A", "EXTRACT", "exr_1", "2026")) // seq 3: contains exr_1
	st.Append(extractRun("e4", "exr_1", "extract_run.processed"))          // seq 4: joins at once
	st.Append(workflowRun("e5", "workflow_run.completed", "workflow_run_A", "PROCESSED", "2026-07-08T14:01:00Z"))

	run := st.Run("exr_1")
	if run.ID != "workflow_run_A" || run.Kind != "workflow_run" || fmt.Sprint(seqsOf(run.Events)) != "[1 3 4 5]" {
		t.Errorf("run of exr_1: %s %s %v, want workflow_run_A workflow_run [1 3 4 5]", run.ID, run.Kind, seqsOf(run.Events))
	}
	if other := st.Run("exr_other"); other.Kind != "extract_run" || len(other.Events) != 1 {
		t.Errorf("exr_other: %+v, want its own extract run", other)
	}
	ev, _ := st.Get(1)
	if got := st.RunOf(ev); got.ID != "workflow_run_A" || ev.RunID() != "exr_1" || ev.RunKind() != "extract_run" {
		t.Errorf("RunOf seq 1 = %s (event names %s %s), want workflow_run_A", got.ID, ev.RunID(), ev.RunKind())
	}
}

func TestRunIndexOlderStepRunsJoinTheRunThatListsThem(t *testing.T) {
	st := New(100, 0)
	st.Append(runEvent("e1", "workflow_run.step_run.processed", `{"object":"workflow_step_run","id":"workflow_step_run_S","status":"PROCESSED","step":{"name":"Check","type":"RULE_VALIDATION"}}`))
	if r := st.Run("workflow_step_run_S"); r.Kind != "workflow_step_run" || len(r.Events) != 1 {
		t.Fatalf("step run alone: %+v", r)
	}
	st.Append(runEvent("e2", "workflow_run.completed", `{"object":"workflow_run","id":"workflow_run_B","status":"PROCESSED","url":"u",
		"stepRuns":[{"object":"workflow_step_run","id":"workflow_step_run_S"}],"outputs":[{"object":"document_processor_run","id":"dpr_1"}]}`))
	st.Append(runEvent("e3", "processor_run.processed", `{"object":"document_processor_run","id":"dpr_1","status":"PROCESSED"}`))
	if r := st.Run("workflow_step_run_S"); r.ID != "workflow_run_B" || r.Kind != "workflow_run" || fmt.Sprint(seqsOf(r.Events)) != "[1 2 3]" {
		t.Errorf("after the completion: %s %s %v, want workflow_run_B [1 2 3]", r.ID, r.Kind, seqsOf(r.Events))
	}
}

func TestRunIndexOnEviction(t *testing.T) {
	st := New(3, 0)
	st.Append(stepRun("e1", "workflow_run_A", "PARSE", "pr_1", "2026-07-08T14:00:01Z"))
	st.Append(stepRun("e2", "workflow_run_A", "EXTRACT", "exr_1", "2026-07-08T14:00:02Z"))
	st.Append(extractRun("e3", "exr_9", "extract_run.processed"))
	st.Append(workflowRun("e4", "workflow_run.completed", "workflow_run_A", "PROCESSED", "2026-07-08T14:01:00Z")) // evicts seq 1
	r := st.Run("workflow_run_A")
	if r.Evicted != 1 || fmt.Sprint(seqsOf(r.Events)) != "[2 4]" {
		t.Errorf("after one eviction: evicted %d, events %v; want 1 and [2 4]", r.Evicted, seqsOf(r.Events))
	}
	st.Append(extractRun("e5", "exr_8", "extract_run.processed")) // evicts 2
	st.Append(extractRun("e6", "exr_7", "extract_run.processed")) // evicts 3: exr_9 is gone
	st.Append(extractRun("e7", "exr_6", "extract_run.processed")) // evicts 4: the workflow run is gone
	if r := st.Run("workflow_run_A"); len(r.Events) != 0 || r.Kind != "" {
		t.Errorf("every event evicted: %+v, want an empty run", r)
	}
	if r := st.Run("exr_1"); r.ID != "exr_1" {
		t.Errorf("the alias of a forgotten run still resolves to %s", r.ID)
	}
	if n := len(st.runs.runs); n != 3 {
		t.Errorf("index holds %d runs, want the 3 stored", n)
	}
	if len(st.runs.alias) != 0 || len(st.runs.joined) != 0 {
		t.Errorf("the joins of the forgotten run are kept: aliases %v, joined %v", st.runs.alias, st.runs.joined)
	}
}

// A run that joins another brings the ids that had joined it, and all of
// them are forgotten with the run they ended in.
func TestRunIndexJoinsCarryTheirJoinedIDs(t *testing.T) {
	x := NewRunIndex()
	x.Add(extractRun("e1", "exr_1", "extract_run.processed"))
	x.Join("pr_1", "exr_1")
	x.Join("exr_1", "workflow_run_A")
	for _, id := range []string{"pr_1", "exr_1", "workflow_run_A"} {
		if r := x.Run(id); r.ID != "workflow_run_A" || len(r.Events) != 1 {
			t.Errorf("run of %s: %s with %d events, want workflow_run_A with 1", id, r.ID, len(r.Events))
		}
	}
	if got := fmt.Sprint(x.joined); got != "map[workflow_run_A:[exr_1 pr_1]]" {
		t.Errorf("joined ids %s, want workflow_run_A's exr_1 and pr_1", got)
	}
	x.Evict(x.Run("workflow_run_A").Events[0])
	if len(x.runs) != 0 || len(x.alias) != 0 || len(x.joined) != 0 {
		t.Errorf("after the last event is evicted: runs %v, aliases %v, joined %v; want none", x.runs, x.alias, x.joined)
	}
	if r := x.Run("pr_1"); r.ID != "pr_1" {
		t.Errorf("pr_1 still resolves to %s", r.ID)
	}
}

func TestRunIndexIgnoresEventsWithoutRun(t *testing.T) {
	st := New(10, 0)
	ev := &Event{}
	ev.SetBody([]byte("not json"))
	ev.Classify()
	st.Append(ev)
	if r := st.RunOf(ev); r.ID != "" || len(r.Events) != 0 || len(st.runs.runs) != 0 {
		t.Errorf("a body without a run got %+v", r)
	}
	if ev.Envelope.Run.Note() != "" {
		t.Errorf("a non-JSON body explains itself with Envelope.Err(), not a note: %q", ev.Envelope.Run.Note())
	}
}

func TestRunIndexJoinRunLater(t *testing.T) {
	st := New(10, 0)
	st.Append(runEvent("e1", "workflow_run.completed", `{"object":"signed_data_url","id":"sig_1","data":"https://example.invalid/x"}`))
	st.Append(workflowRun("e2", "workflow_run.failed", "workflow_run_C", "FAILED", ""))
	st.JoinRun("sig_1", "workflow_run_C")
	if r := st.Run("workflow_run_C"); fmt.Sprint(seqsOf(r.Events)) != "[1 2]" {
		t.Errorf("after JoinRun: %v, want [1 2]", seqsOf(r.Events))
	}
}

func TestVersionPrecedence(t *testing.T) {
	body := `{"object":"workflow","id":"workflow_1","version":"3","name":"AP"}` // 2025-04-21 or 2024-12-23 by its shape
	cases := []struct {
		query, header, source string
		want                  string
	}{
		{"api_version=2024-12-23", "2025-04-21", "query", "[2024-12-23]"},
		{"", "2026-02-09", "header", "[2026-02-09]"},
		{"api_version=bogus", "nonsense", "guess", "[2025-04-21 2024-12-23]"},
	}
	for _, c := range cases {
		ev := runEvent("e1", "workflow.created", body)
		ev.Query = c.query
		if c.header != "" {
			ev.SetHeaders([]Header{{Name: "X-Extend-Api-Version", Value: c.header}})
		}
		r := mustRecord(ev)
		if fmt.Sprint(ev.Versions()) != c.want || ev.VersionSource() != c.source || r.APIVersionSource != c.source || r.RunID != "workflow_1" || r.RunKind != "workflow" {
			t.Errorf("query %q header %q: %v from %s (record %s, run %s %s); want %s from %s",
				c.query, c.header, ev.Versions(), ev.VersionSource(), r.APIVersionSource, r.RunID, r.RunKind, c.want, c.source)
		}
	}
}

func TestRunIDsOfResolvesJoins(t *testing.T) {
	st := New(100, 0)
	first := extractRun("e1", "exr_1", "extract_run.processed")
	none := &Event{}
	none.SetBody([]byte("not json"))
	none.Classify()
	st.Append(first)
	st.Append(none)
	if got := fmt.Sprint(st.RunIDsOf([]*Event{first, none})); got != "[exr_1 ]" {
		t.Errorf("before the join: %s, want [exr_1 ]", got)
	}
	st.Append(stepRun("e3", "workflow_run_A", "EXTRACT", "exr_1", "2026"))
	if got := fmt.Sprint(st.RunIDsOf([]*Event{first})); got != "[workflow_run_A]" {
		t.Errorf("after the step run that contains it: %s, want [workflow_run_A]", got)
	}
}
