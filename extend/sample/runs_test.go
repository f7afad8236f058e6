package sample

import (
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Every catalogue type in every version it exists in gets the run identity
// the rules give it.
func TestRunIdentityEveryType(t *testing.T) {
	now := time.Date(2026, 7, 8, 14, 3, 30, 0, time.UTC)
	for _, v := range extend.Versions {
		for _, typ := range extend.TypesIn(v) {
			steps := []string{""}
			if typ.Object == "workflow_step_run" {
				steps = StepTypes(v)
			}
			for _, st := range steps {
				body, err := Build(typ.Name, Options{Version: v, Now: now, Rand: seeded(7), StepType: st})
				if err != nil {
					t.Fatal(err)
				}
				env := extend.ParseEnvelope(body)
				checkRunIdentity(t, v, typ, st, env)
			}
		}
	}
}

func checkRunIdentity(t *testing.T, v extend.Version, typ extend.EventType, step string, env extend.Envelope) {
	t.Helper()
	r := env.Run
	where := typ.Name + " " + string(v) + " " + step
	switch {
	case typ.Object == "workflow_step_run" && v == extend.V20260209:
		if r.ID != env.WorkflowRunID || r.Kind != "workflow_run" || r.StepName == "" || env.StepType != step {
			t.Errorf("%s: run %+v, want the workflow run %s with the step's name and type", where, r, env.WorkflowRunID)
		}
		if carriesRun(step) && (len(r.Contains) != 1 || (r.Time().IsZero() && step != "PARSE")) { // the ParseRun sample has no updatedAt
			t.Errorf("%s: contains %v at %v, want its nested run and that run's updatedAt", where, r.Contains, r.Time())
		}
	case typ.Object == "workflow_step_run":
		if r.ID != env.ID || r.Kind != "workflow_step_run" || r.Note() == "" {
			t.Errorf("%s: run %+v, want the step run alone with a note saying why", where, r)
		}
	case typ.Category == extend.CategoryGlobal && strings.HasSuffix(typ.Name, ".version.published"):
		if r.ID == "" || r.ID == env.ID || r.Kind+"_version" != typ.Object {
			t.Errorf("%s: run %+v, want the versioned resource's id", where, r)
		}
	default:
		if r.ID == "" || r.ID != env.ID || r.Kind != extend.RunKindOf(typ.Name) || r.Note() != "" {
			t.Errorf("%s: run %+v, want payload.id %q of kind %s", where, r, env.ID, extend.RunKindOf(typ.Name))
		}
	}
	if typ.Category == extend.CategoryWorkflow && typ.Object == "workflow_run" && (r.Name == "" || r.Started().IsZero() || (r.Time().IsZero() && typ.Name != "workflow_run.needs_review")) {
		t.Errorf("%s: run %+v, want the workflow's name, its start and the payload's time", where, r)
	}
}

func carriesRun(stepType string) bool {
	switch stepType {
	case "RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION":
		return false
	}
	return true
}
