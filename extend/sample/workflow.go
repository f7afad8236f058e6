package sample

import (
	"fmt"
	"slices"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// This file builds the 2026-02-09 workflow payloads: workflow runs, their
// step runs and the workflow lifecycle.

// workflowStatus maps the last part of a workflow_run event to the run's status.
var workflowStatus = map[string]string{
	"completed":    "PROCESSED",
	"failed":       "FAILED",
	"needs_review": "NEEDS_REVIEW",
	"rejected":     "REJECTED",
	"cancelled":    "CANCELLED",
}

// stepsBefore lists the steps a run with this status has finished. A failed
// run is shown failing at its first step, a cancelled one after routing.
func stepsBefore(status string) []string {
	switch status {
	case "FAILED":
		return nil
	case "CANCELLED":
		return []string{"CLASSIFY"}
	case "PROCESSED":
		return []string{"CLASSIFY", "EXTRACT", "RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION"}
	default: // held for review, or rejected in it
		return []string{"CLASSIFY", "EXTRACT"}
	}
}

var rejectionNotes = []string{
	"Invoice total does not match the purchase order.",
	"Duplicate of an invoice that was already paid.",
	"Vendor is not on the approved supplier list.",
}

func (g *gen) workflowRun(action string) obj {
	id, status := g.runID, workflowStatus[action]
	g.doubtful = status == "NEEDS_REVIEW" || status == "REJECTED"
	steps := stepsBefore(status)
	stepRuns := []any{}
	for _, st := range steps {
		stepRuns = append(stepRuns, g.stepRun(st, id))
	}
	reason, message, usage := any(nil), any(nil), any(g.workflowUsage(steps))
	if status == "FAILED" {
		r, m := g.failure(workflowFailures)
		reason, message, usage = r, m, nil
	}
	by, note, reviewedAt, end := any(nil), any(nil), any(nil), any(g.atMs(0))
	switch {
	case status == "REJECTED":
		by, note, reviewedAt = reviewer, g.pick(rejectionNotes...), g.at(0)
	case status == "NEEDS_REVIEW":
		end = nil // paused at the review step, not finished
	case g.reviewed && status == "PROCESSED":
		by, reviewedAt = reviewer, g.at(0)
	}
	return obj{
		{"object", "workflow_run"}, {"id", id}, {"workflow", g.workflowSummary()}, {"workflowVersion", g.workflowVersionSummary()},
		{"dashboardUrl", "https://dashboard.extend.ai/workflows/" + id}, {"status", status}, {"metadata", g.metadata()},
		{"batchId", g.batchID()}, {"files", []any{g.file()}}, {"failureReason", reason}, {"failureMessage", message},
		{"initialRunAt", g.atMs(46 * time.Second)}, {"reviewedByUser", by}, {"reviewed", by != nil},
		{"rejectionNote", note}, {"reviewedAt", reviewedAt}, {"startTime", g.atMs(45 * time.Second)}, {"endTime", end},
		{"stepRuns", stepRuns}, {"usage", usage},
	}
}

// batchID is set on a third of runs: those submitted through the batch endpoint.
func (g *gen) batchID() any {
	if g.stable("batch?", 3) != 0 {
		return nil
	}
	return g.id("batch", "batch_")[:14]
}

// workflowUsage sums the runs the finished steps created; the workflow
// itself is not billed.
func (g *gen) workflowUsage(steps []string) obj {
	lines := []any{g.line("parse_run", g.id("parse_run", "pr_"), g.credits("parse_run"))}
	total := g.credits("parse_run")
	for _, st := range steps {
		if k, ok := stepRunKinds[st]; ok {
			c := g.credits(k.object)
			total += c
			lines = append(lines, g.line(k.object, g.id("run:"+st, k.prefix), c))
		}
	}
	return obj{{"credits", total}, {"totalCredits", total}, {"breakdown", lines}}
}

// stepRunKinds names the processor run each processing step creates.
var stepRunKinds = map[string]runKind{
	"EXTRACT":             runKinds["extract_run"],
	"CLASSIFY":            runKinds["classify_run"],
	"SPLIT":               runKinds["split_run"],
	"MERGE_EXTRACT":       runKinds["extract_run"],
	"CONDITIONAL_EXTRACT": runKinds["extract_run"],
}

var stepNames = map[string]string{
	"PARSE":                    "Parse document",
	"EXTRACT":                  "Extract invoice fields",
	"CLASSIFY":                 "Route document",
	"SPLIT":                    "Split vendor packet",
	"MERGE_EXTRACT":            "Merge header and line items",
	"CONDITIONAL_EXTRACT":      "Extract by document type",
	"RULE_VALIDATION":          "Sanity checks",
	"EXTERNAL_DATA_VALIDATION": "PO lookup",
}

// stepRunEvent is the payload of workflow_run.step_run.processed.
func (g *gen) stepRunEvent() (obj, error) {
	st, err := g.pickStepType()
	if err != nil {
		return nil, err
	}
	if g.v != extend.V20260209 {
		return g.legacyStepRun(st), nil
	}
	return g.stepRun(st, g.runID), nil
}

// pickStepType uses the caller's source, not the run's: several step-run
// samples of one run should not all be the same step.
func (g *gen) pickStepType() (string, error) {
	types := StepTypes(g.v)
	if g.stepType == "" {
		return types[g.ev.IntN(len(types))], nil
	}
	if !slices.Contains(types, g.stepType) {
		return "", fmt.Errorf("step type %q has no step run in API version %s (want one of %v)", g.stepType, g.v, types)
	}
	return g.stepType, nil
}

// stepRun is a finished step run. A split step lists the files it made
// after the one it split.
func (g *gen) stepRun(stepType, runID string) obj {
	files := []any{g.file()}
	if stepType == "SPLIT" {
		files = append(files, g.splitFiles()...)
	}
	return obj{
		{"stepType", stepType}, {"object", "workflow_step_run"}, {"id", g.id("step_run:"+stepType, "workflow_step_run_")},
		{"workflowRunId", runID}, {"status", "PROCESSED"}, {"files", files},
		{"step", obj{{"object", "workflow_step"}, {"id", g.id("step:"+stepType, "step_")}, {"name", stepNames[stepType]}, {"type", stepType}}},
		{"result", g.stepResult(stepType)},
	}
}

func (g *gen) stepResult(stepType string) obj {
	switch stepType {
	case "PARSE":
		return obj{{"parseRun", g.parseRun()}}
	case "RULE_VALIDATION":
		rules := g.rules()
		return obj{{"rules", rules}, {"allPassed", !g.doubtful}}
	case "EXTERNAL_DATA_VALIDATION":
		return obj{{"response", obj{{"status", 200}, {"data", g.poLookup()}}}}
	}
	k := stepRunKinds[stepType]
	run := g.processorRun(k, g.id("run:"+stepType, k.prefix), false, false)
	if stepType == "MERGE_EXTRACT" {
		return obj{{"mergedExtractors", g.mergedExtractors()}, {"extractRun", run}}
	}
	if stepType == "EXTRACT" && g.reviewed {
		g.approve(run)
	}
	return obj{{k.resultKey, run}}
}

func (g *gen) rules() []any {
	total := obj{{"name", "total_matches_po"}, {"valid", true}}
	if g.doubtful {
		total = obj{{"name", "total_matches_po"}, {"valid", false}, {"failureReason", "RULE_FAILED"}}
	}
	return []any{obj{{"name", "total_is_positive"}, {"valid", true}}, obj{{"name", "invoice_date_not_in_future"}, {"valid", true}}, total}
}

// poLookup is what the customer's endpoint answered for the invoice's PO.
func (g *gen) poLookup() obj {
	return obj{{"poNumber", g.doc.po}, {"matched", !g.doubtful}, {"openAmount", g.doc.total}}
}

func (g *gen) mergedExtractors() []any {
	return []any{
		obj{{"id", g.id("extractor", "ex_")}, {"versionId", g.id("extractor_version", "exv_")}, {"name", "Invoice Header Extractor"}},
		obj{{"id", g.id("extractor:lines", "ex_")}, {"versionId", g.id("extractor_version:lines", "exv_")}, {"name", "Invoice Line Items Extractor"}},
	}
}

func (g *gen) workflowSummary() obj {
	created, updated := g.age("workflow")
	return obj{
		{"object", "workflow"}, {"id", g.id("workflow", "workflow_")}, {"name", workflowNames[g.stable("workflow", len(workflowNames))]},
		{"createdAt", g.at(created)}, {"updatedAt", g.at(updated)}, {"createdBy", g.stableCreatedBy("workflow")},
	}
}

func (g *gen) workflowVersionSummary() obj {
	_, updated := g.age("workflow")
	return obj{
		{"object", "workflow_version"}, {"id", g.id("workflow_version", "workflow_version_")},
		{"version", fmt.Sprint(2 + g.stable("workflow:version", 9))}, {"name", "Add PO cross-check"},
		{"createdAt", g.at(updated)}, {"createdBy", g.stableCreatedBy("workflow_version")},
	}
}

// workflow is the payload of workflow.*: the workflow with its draft.
func (g *gen) workflow(action string) obj {
	o := g.workflowSummary()
	by := o.get("createdBy")
	o = o[:len(o)-1] // createdBy comes last in the SDK's Workflow
	o.set("updatedAt", g.at(0))
	if action == "created" {
		o.set("createdAt", g.at(0))
	}
	draft := obj{
		{"object", "workflow_version"}, {"id", g.id("workflow_draft", "workflow_version_")}, {"version", "draft"},
		{"name", nil}, {"steps", g.stepDefinitions()}, {"createdAt", g.at(0)}, {"createdBy", g.stableCreatedBy("workflow_draft")},
	}
	return append(o, kv{"draftVersion", draft}, kv{"createdBy", by})
}

func (g *gen) stepDefinitions() []any {
	ref := func(k resourceKind) obj {
		return obj{{"id", g.id(k.name, k.prefix)}, {"version", g.versionNumber(k.name)}}
	}
	return []any{
		obj{{"name", "Trigger"}, {"type", "TRIGGER"}},
		obj{{"name", stepNames["CLASSIFY"]}, {"type", "CLASSIFY"}, {"config", obj{{"classifier", ref(resourceKinds["classifier"])}}}},
		obj{{"name", stepNames["EXTRACT"]}, {"type", "EXTRACT"}, {"config", obj{{"extractor", ref(resourceKinds["extractor"])}}}},
		obj{{"name", stepNames["RULE_VALIDATION"]}, {"type", "RULE_VALIDATION"}},
		obj{{"name", stepNames["EXTERNAL_DATA_VALIDATION"]}, {"type", "EXTERNAL_DATA_VALIDATION"}},
		obj{{"name", "Review"}, {"type", "HUMAN_REVIEW"}},
		obj{{"name", "Send results"}, {"type", "WEBHOOK_RESPONSE"}},
	}
}
