package sample

import "time"

// The run scenarios give the Run view something to show: one workflow run
// with realistic step timings, a run that fails, a retried step delivery,
// and a review that re-classifies. Every event after the first joins the
// first one's run; the player stamps each body when it sends it, so the
// delays are the step timings the payloads carry.

// runSteps are the step runs of an invoice workflow with how long each
// step takes, roughly as Extend's take on a two-page invoice.
var runSteps = []struct {
	stepType string
	took     time.Duration
}{
	{"PARSE", 2400 * time.Millisecond},
	{"CLASSIFY", 1800 * time.Millisecond},
	{"EXTRACT", 4200 * time.Millisecond},
	{"RULE_VALIDATION", 300 * time.Millisecond},
}

func stepsOfRun(types ...string) []ScenarioStep {
	var steps []ScenarioStep
	for _, want := range types {
		for _, st := range runSteps {
			if st.stepType == want {
				s := send("workflow_run.step_run.processed").step(st.stepType).after(st.took).note(stepNames[st.stepType])
				if len(steps) > 0 {
					s = s.inRunOf(0)
				}
				steps = append(steps, s)
			}
		}
	}
	steps[0].Delay = 0
	return steps
}

func runScenario() Scenario {
	steps := append(stepsOfRun("PARSE", "CLASSIFY", "EXTRACT", "RULE_VALIDATION"),
		send("workflow_run.completed").inRunOf(0).after(400*time.Millisecond).note("the run completes"))
	return Scenario{Name: "run", Description: "One workflow run with realistic step timings: parse, classify, extract, rule validation, then the completion", Steps: steps}
}

func stepFailureScenario() Scenario {
	steps := append(stepsOfRun("PARSE", "CLASSIFY"),
		send("workflow_run.failed").inRunOf(0).after(3*time.Second).note("the extract step fails, and with it the run"))
	return Scenario{Name: "step-failure", Description: "A workflow run whose extract step fails after parse and classify", Steps: steps}
}

func retryScenario() Scenario {
	steps := stepsOfRun("PARSE", "EXTRACT")
	steps = append(steps,
		repeat(steps, 1).after(2*time.Second).note("Extend retries the extract step's delivery: same eventId"),
		send("workflow_run.completed").inRunOf(0).after(beat).note("the run completes"))
	return Scenario{Name: "retry", Description: "A workflow run whose extract step run is delivered twice (same eventId)", Steps: steps}
}

func reclassifyScenario() Scenario {
	steps := stepsOfRun("PARSE", "CLASSIFY", "EXTRACT")
	steps = append(steps, send("workflow_run.needs_review").inRunOf(0).after(beat).note("the run stops for review"))
	for _, st := range stepsOfRun("CLASSIFY", "EXTRACT") {
		steps = append(steps, st.inRunOf(0).note("the reviewer re-classified: "+st.Note+" again"))
	}
	steps[4].Delay = 3 * time.Second
	steps = append(steps, send("workflow_run.completed").inRunOf(0).after(beat).note("the reviewed run completes; the first classify and extract are superseded"))
	return Scenario{Name: "reclassify", Description: "A review re-classifies and the run restarts at the classify step: the earlier step runs are superseded", Steps: steps}
}
