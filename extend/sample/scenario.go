package sample

import (
	"fmt"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Scenario is a scripted sequence of deliveries, for demos and for trying a
// receiver. It is data only: a player sends the steps in order, each after
// its Delay, building each body with ScenarioStep.Body (or all at once with
// Scenario.Bodies), signing it with the endpoint's secret (or a wrong one
// when BadSignature is set) at the moment it sends.
type Scenario struct {
	Name        string // what the user types, e.g. "demo"
	Description string // one line for help output
	Steps       []ScenarioStep
}

// ScenarioStep is one delivery of a scenario. Step references are indexes
// into Scenario.Steps and always point backwards; -1 means none.
type ScenarioStep struct {
	Type  string        // event type; for a repeat, the repeated step's type
	Delay time.Duration // pause before sending this step

	// SameRunAs ties this event to the run of an earlier step: its body gets
	// RunIDOf(that step's body) as Options.RunID. -1 starts a new run.
	SameRunAs int

	// RepeatOf re-sends the exact body of an earlier step, eventId included,
	// as Extend does when it retries or duplicates a delivery. -1 builds a
	// new body.
	RepeatOf int

	StepType     string // for workflow_run.step_run.processed: the step; "" picks one
	SignedURL    bool   // send the signed-download-URL variant
	Reviewed     bool   // a completion approved in review, with an edit (Options.Reviewed)
	BadSignature bool   // sign with a wrong secret, so verification fails
	Note         string // what the step demonstrates, for the player's log
}

// Body builds this step's body. sent holds the bodies of the steps before
// it, in order; opt is used as given except for RunID, StepType, SignedURL
// and Reviewed, which the step sets.
func (st ScenarioStep) Body(sent [][]byte, opt Options) ([]byte, error) {
	if st.RepeatOf >= 0 {
		if st.RepeatOf >= len(sent) {
			return nil, fmt.Errorf("step %d repeats step %d, which has not been sent", len(sent), st.RepeatOf)
		}
		return sent[st.RepeatOf], nil
	}
	opt.RunID, opt.StepType, opt.SignedURL, opt.Reviewed = "", st.StepType, st.SignedURL, st.Reviewed
	if st.SameRunAs >= 0 {
		if st.SameRunAs >= len(sent) {
			return nil, fmt.Errorf("step %d joins the run of step %d, which has not been sent", len(sent), st.SameRunAs)
		}
		opt.RunID = RunIDOf(sent[st.SameRunAs])
	}
	return Build(st.Type, opt)
}

// Bodies builds the body of every step up front. A player that wants each
// body stamped at its own send time calls ScenarioStep.Body instead.
func (s Scenario) Bodies(opt Options) ([][]byte, error) {
	var sent [][]byte
	for i, st := range s.Steps {
		b, err := st.Body(sent, opt)
		if err != nil {
			return nil, fmt.Errorf("scenario %s, step %d (%s): %w", s.Name, i, st.Type, err)
		}
		sent = append(sent, b)
	}
	return sent, nil
}

// Length is how long the scenario takes to play: the sum of its delays.
func (s Scenario) Length() time.Duration {
	var d time.Duration
	for _, st := range s.Steps {
		d += st.Delay
	}
	return d
}

// ScenarioVersion is the API version whose event types and payloads the
// built-in scenarios follow.
const ScenarioVersion = extend.V20260209

// Scenarios returns the built-in scenarios, demo first. The slice and the
// steps are fresh on every call: callers may change them.
func Scenarios() []Scenario {
	return []Scenario{Demo(), workflowScenario(), reviewScenario(), failuresScenario(), lifecycleScenario(), retriesScenario(),
		runScenario(), stepFailureScenario(), retryScenario(), reclassifyScenario()}
}

// ScenarioByName finds a built-in scenario.
func ScenarioByName(name string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// send starts a step description; the methods below refine it, so the
// scenarios read as a script.
func send(eventType string) ScenarioStep {
	return ScenarioStep{Type: eventType, SameRunAs: -1, RepeatOf: -1}
}

func (st ScenarioStep) after(d time.Duration) ScenarioStep { st.Delay = d; return st }
func (st ScenarioStep) inRunOf(i int) ScenarioStep         { st.SameRunAs = i; return st }
func (st ScenarioStep) step(stepType string) ScenarioStep  { st.StepType = stepType; return st }
func (st ScenarioStep) badSignature() ScenarioStep         { st.BadSignature = true; return st }
func (st ScenarioStep) signed() ScenarioStep               { st.SignedURL = true; return st }
func (st ScenarioStep) approved() ScenarioStep             { st.Reviewed = true; return st }
func (st ScenarioStep) note(s string) ScenarioStep         { st.Note = s; return st }

// repeat re-sends step i of steps.
func repeat(steps []ScenarioStep, i int) ScenarioStep {
	st := send(steps[i].Type)
	st.RepeatOf = i
	return st
}

const beat = 700 * time.Millisecond

// Demo is the story --demo plays: a tour of what the screen shows.
func Demo() Scenario {
	// The run scenario first, its step timings included: the Run view (T)
	// of any of its events tells that run's story.
	steps := append(runScenario().Steps,
		send("extract_run.failed").after(2*beat).note("an API extract run fails"),
		send("workflow_run.needs_review").after(2*beat).note("another run stops for human review: its total is doubtful"),
		send("extractor.version.published").after(2*beat).note("someone publishes an extractor version"),
		send("workflow.deployed").after(beat).note("and deploys the workflow"),
	)
	steps = append(steps,
		repeat(steps, 4).after(2*beat).note("Extend delivers the completion again: same eventId"),
		send("classify_run.processed").after(2*beat).badSignature().note("a delivery signed with the wrong secret"),
		send("workflow_run.completed").inRunOf(6).approved().after(2*beat).note("the reviewer corrects the total and approves the held run"),
		send("extract_run.processed").signed().after(2*beat).note("an extract run delivered as a signed download link"),
	)
	return Scenario{
		Name:        "demo",
		Description: "A tour: one workflow run step by step (the run scenario), a failure, a review and its approval, lifecycle events, a duplicate, a bad signature and a signed link",
		Steps:       steps,
	}
}

// workflowScenario delivers every step run the completion then lists, with
// the same ids.
func workflowScenario() Scenario {
	var steps []ScenarioStep
	for i, st := range stepsBefore("PROCESSED") {
		s := send("workflow_run.step_run.processed").step(st).after(beat).note(stepNames[st])
		if i > 0 {
			s = s.inRunOf(0)
		}
		steps = append(steps, s)
	}
	steps[0].Delay = 0
	steps = append(steps, send("workflow_run.completed").inRunOf(0).after(beat).note("the run completes"))
	return Scenario{
		Name:        "workflow",
		Description: "One workflow run on the happy path: each step run as it finishes, then the completion",
		Steps:       steps,
	}
}

// reviewScenario holds a run for review and approves it after the reviewer
// corrects its misread total.
func reviewScenario() Scenario {
	return Scenario{
		Name:        "review",
		Description: "A run held for review with doubtful fields, then approved with an edit",
		Steps: []ScenarioStep{
			send("workflow_run.needs_review").note("the run stops for review: its total and a line amount are doubtful"),
			send("workflow_run.completed").inRunOf(0).approved().after(3 * beat).note("the reviewer corrects the total and approves"),
		},
	}
}

// failuresScenario is read off the catalogue, so a failure type added there
// is demonstrated here too. It plays the types whose samples carry a failure
// reason (*.failed), as its description says; extend.IsFailure also counts
// rejected and cancelled runs, which carry none.
func failuresScenario() Scenario {
	steps := oneOfEach(beat, func(t extend.EventType) bool { return hasFailureReason(t.Name) })
	return Scenario{Name: "failures", Description: "One delivery of every *.failed event type", Steps: steps}
}

func lifecycleScenario() Scenario {
	steps := oneOfEach(beat/2, func(t extend.EventType) bool { return t.Category == extend.CategoryGlobal })
	return Scenario{Name: "lifecycle", Description: "Every global lifecycle event: workflows, extractors, classifiers, splitters", Steps: steps}
}

// oneOfEach sends one delivery of each scenario type that picks, gap apart,
// noted with what the type means.
func oneOfEach(gap time.Duration, picks func(extend.EventType) bool) []ScenarioStep {
	var steps []ScenarioStep
	for _, t := range extend.TypesIn(ScenarioVersion) {
		if picks(t) {
			steps = append(steps, send(t.Name).after(gap).note(t.Meaning))
		}
	}
	steps[0].Delay = 0
	return steps
}

// retriesScenario imitates Extend retrying an unacknowledged delivery with
// exponential backoff; the real schedule is not published.
func retriesScenario() Scenario {
	steps := []ScenarioStep{send("extract_run.processed").note("first attempt")}
	steps = append(steps,
		repeat(steps, 0).after(2*time.Second).note("retry 1: same eventId"),
		repeat(steps, 0).after(4*time.Second).note("retry 2: same eventId"),
	)
	return Scenario{Name: "retries", Description: "One event delivered three times with backoff, as retries look to a receiver", Steps: steps}
}
