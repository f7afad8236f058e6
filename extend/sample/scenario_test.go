package sample

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
)

func TestScenariosWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Scenarios() {
		if seen[s.Name] || s.Name == "" || s.Description == "" || len(s.Steps) == 0 {
			t.Errorf("scenario %q: duplicate or incomplete", s.Name)
		}
		seen[s.Name] = true
		for i, st := range s.Steps {
			if et, ok := extend.Lookup(st.Type); !ok || !et.In(extend.V20260209) {
				t.Errorf("%s step %d: %q is not a 2026-02-09 event type", s.Name, i, st.Type)
			}
			if st.SameRunAs >= i || st.RepeatOf >= i || st.SameRunAs < -1 || st.RepeatOf < -1 {
				t.Errorf("%s step %d: references must point to earlier steps (%d, %d)", s.Name, i, st.SameRunAs, st.RepeatOf)
			}
			if st.RepeatOf >= 0 && s.Steps[st.RepeatOf].Type != st.Type {
				t.Errorf("%s step %d: repeats a %s but says %s", s.Name, i, s.Steps[st.RepeatOf].Type, st.Type)
			}
			if st.Delay < 0 {
				t.Errorf("%s step %d: negative delay", s.Name, i)
			}
		}
		bodies, err := s.Bodies(Options{Rand: seeded(11), Now: sampleNow})
		if err != nil || len(bodies) != len(s.Steps) {
			t.Fatalf("%s: %v", s.Name, err)
		}
		again, _ := s.Bodies(Options{Rand: seeded(11), Now: sampleNow})
		if !slices.EqualFunc(bodies, again, bytes.Equal) {
			t.Errorf("%s: a seeded build is not reproducible", s.Name)
		}
	}
	for _, name := range []string{"demo", "workflow", "review", "failures", "retries"} {
		if s, ok := ScenarioByName(name); !ok || s.Name != name {
			t.Errorf("ScenarioByName(%q) not found", name)
		}
	}
	if _, ok := ScenarioByName("nope"); ok {
		t.Error("ScenarioByName found a scenario that does not exist")
	}
}

// The demo tells the story: one run's step runs then its
// completion, a failed extract run, a review, lifecycle events, a duplicate
// delivery and a bad signature.
func TestDemoScenarioStory(t *testing.T) {
	s, _ := ScenarioByName("demo")
	bodies, err := s.Bodies(Options{Rand: seeded(2), Now: sampleNow})
	if err != nil {
		t.Fatal(err)
	}
	var run string
	var steps, lifecycle, bad, repeats int
	var completed, failedExtract, review, approved, signed bool
	var held string
	for i, st := range s.Steps {
		d := decodeDelivery(t, bodies[i])
		switch {
		case st.RepeatOf >= 0:
			repeats++
			if !bytes.Equal(bodies[i], bodies[st.RepeatOf]) {
				t.Errorf("step %d repeats step %d with a different body", i, st.RepeatOf)
			}
		case d.EventType == "workflow_run.step_run.processed":
			steps++
			if run == "" {
				run = d.Payload["workflowRunId"].(string)
			} else if d.Payload["workflowRunId"] != run {
				t.Errorf("step %d belongs to run %v, not %s", i, d.Payload["workflowRunId"], run)
			}
		case d.Payload["object"] == "signed_data_url":
			signed = true
		case d.EventType == "workflow_run.completed" && st.Reviewed:
			approved = d.Payload["id"] == held && d.Payload["reviewed"] == true
		case d.EventType == "workflow_run.completed":
			completed = completed || (d.Payload["id"] == run && steps > 0)
		case d.EventType == "extract_run.failed":
			failedExtract = true
		case d.EventType == "workflow_run.needs_review":
			review, held = d.Payload["status"] == "NEEDS_REVIEW", d.Payload["id"].(string)
		case extend.CategoryOf(d.EventType) == extend.CategoryGlobal:
			lifecycle++
		}
		if st.BadSignature {
			bad++
		}
	}
	if steps < 2 || !completed || !failedExtract || !review || !approved || !signed || lifecycle == 0 || repeats == 0 || bad != 1 {
		t.Errorf("story incomplete: %d step runs, completion of their run %v, failed extract %v, review %v, approval %v, signed link %v, %d lifecycle, %d repeats, %d bad signatures",
			steps, completed, failedExtract, review, approved, signed, lifecycle, repeats, bad)
	}
}

func TestFailuresScenarioCoversEveryFailure(t *testing.T) {
	s, _ := ScenarioByName("failures")
	var want, got []string
	for _, et := range extend.TypesIn(extend.V20260209) {
		if strings.HasSuffix(et.Name, ".failed") {
			want = append(want, et.Name)
		}
	}
	for _, st := range s.Steps {
		got = append(got, st.Type)
	}
	if !slices.Equal(want, got) {
		t.Errorf("failures sends %v, want %v", got, want)
	}
}

func TestRetriesScenarioRepeatsOneEvent(t *testing.T) {
	s, _ := ScenarioByName("retries")
	bodies, err := s.Bodies(Options{})
	if err != nil || len(bodies) != 3 {
		t.Fatalf("%d bodies, %v", len(bodies), err)
	}
	for _, b := range bodies[1:] {
		if !bytes.Equal(b, bodies[0]) {
			t.Error("a retry differs from the first delivery")
		}
	}
}

func TestScenarioStepBodyRejectsForwardReferences(t *testing.T) {
	for _, st := range []ScenarioStep{send("extract_run.processed").inRunOf(0), repeat([]ScenarioStep{send("workflow.created")}, 0)} {
		if _, err := st.Body(nil, Options{}); err == nil {
			t.Errorf("%+v built without the step it refers to", st)
		}
	}
}

// The completion of the workflow scenario lists exactly the step runs that
// were delivered before it.
func TestWorkflowScenarioCompletionListsDeliveredSteps(t *testing.T) {
	s, _ := ScenarioByName("workflow")
	bodies, err := s.Bodies(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var delivered, listed []any
	for _, b := range bodies[:len(bodies)-1] {
		delivered = append(delivered, decodeDelivery(t, b).Payload["id"])
	}
	done := decodeDelivery(t, bodies[len(bodies)-1])
	for _, sr := range done.Payload["stepRuns"].([]any) {
		listed = append(listed, sr.(map[string]any)["id"])
	}
	if done.EventType != "workflow_run.completed" || !slices.Equal(delivered, listed) {
		t.Errorf("delivered step runs %v, the completion lists %v", delivered, listed)
	}
}
