package sample

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// This file builds 2025-04-21 and 2024-12-23 payloads after REFERENCE.md
// §3.3 and §3.4 and the older fixtures. Optional fields are left out rather
// than sent as null, as those versions' SDK types marked them optional.

// legacy builds the payload of t in API version 2025-04-21 or 2024-12-23.
func (g *gen) legacy(t extend.EventType) (obj, error) {
	family, action, _ := strings.Cut(t.Name, ".")
	failed := hasFailureReason(t.Name)
	switch family {
	case "workflow_run":
		return g.legacyWorkflowRun(action), nil
	case "processor_run":
		return g.legacyProcessorRun(g.pick(processorTypes...), g.runID, failed), nil
	case "parser_run":
		return g.parserRunStatus(failed), nil
	case "workflow":
		return g.legacyWorkflow(action), nil
	case "processor":
		typ := g.pick(processorTypes...)
		if action == "version.published" {
			return g.processorVersion(typ, false), nil
		}
		return g.processor(typ, action), nil
	}
	return nil, fmt.Errorf("no %s shape for %s", g.v, t.Name)
}

var processorTypes = []string{"EXTRACT", "CLASSIFY", "SPLITTER"}

// legacyRunObjects names the 2026 run a legacy processor run became, for billing.
var legacyRunObjects = map[string]string{"EXTRACT": "extract_run", "CLASSIFY": "classify_run", "SPLITTER": "split_run"}

// processorKinds maps a legacy processor type to the 2026 kind whose names
// and configs it shares.
var processorKinds = map[string]resourceKind{
	"EXTRACT":  resourceKinds["extractor"],
	"CLASSIFY": resourceKinds["classifier"],
	"SPLITTER": resourceKinds["splitter"],
}

func (g *gen) legacyFile() obj {
	o := obj{{"object", "file"}, {"id", g.id("file", "file_")}, {"name", g.doc.fileName}, {"type", "PDF"}}
	if g.v == extend.V20250421 {
		o = append(o, kv{"presignedUrl", fmt.Sprintf("https://files.example-bucket.invalid/raw/%s.pdf?X-Signature=%06x&Expires=%d",
			o.get("id"), g.r.IntN(1<<24), g.now.Add(15*time.Minute).Unix())})
	}
	return append(o, obj{{"metadata", obj{{"pageCount", g.doc.pages}}},
		{"createdAt", g.at(48 * time.Second)}, {"updatedAt", g.at(47 * time.Second)}}...)
}

func (g *gen) legacyWorkflowRun(action string) obj {
	id, status := g.runID, workflowStatus[action]
	g.doubtful = status == "NEEDS_REVIEW" || status == "REJECTED"
	wf := g.id("workflow", "workflow_")
	o := obj{{"object", "workflow_run"}, {"id", id}, {"name", g.doc.fileName}}
	url := "https://dashboard.extend.ai/workflows/" + wf + "?workflowRunId=" + id
	if g.v == extend.V20250421 {
		o = append(o, kv{"url", url}, kv{"status", status})
	} else {
		o = append(o, kv{"status", status}, kv{"url", url})
	}
	o = append(o, kv{"metadata", g.metadata()})
	if b := g.batchID(); b != nil {
		o = append(o, kv{"batchId", b})
	}
	o = append(o, kv{"files", []any{g.legacyFile()}})
	if status == "FAILED" {
		r, m := g.failure(workflowFailures)
		o = append(o, kv{"failureReason", r}, kv{"failureMessage", m})
	}
	o = append(o, kv{"initialRunAt", g.atMs(46 * time.Second)})
	o = append(o, g.review(status)...)
	o = append(o, kv{"startTime", g.atMs(45 * time.Second)})
	if status != "NEEDS_REVIEW" {
		o = append(o, kv{"endTime", g.atMs(0)})
	}
	outputs := []any{}
	if status != "FAILED" {
		outputs = append(outputs, g.legacyProcessorRun("CLASSIFY", g.id("run:CLASSIFY", "dpr_"), false),
			g.legacyProcessorRun("EXTRACT", g.id("run:EXTRACT", "dpr_"), false))
	}
	o = append(o, kv{"outputs", outputs})
	if g.v == extend.V20250421 {
		stepRuns := []any{}
		if status != "FAILED" {
			stepRuns = append(stepRuns, g.legacyStepRun("RULE_VALIDATION"))
		}
		o = append(o, kv{"stepRuns", stepRuns})
	}
	o = append(o, kv{"workflow", g.legacyWorkflowRef(fmt.Sprint(2 + g.stable("workflow:version", 9)))})
	if g.v == extend.V20250421 && status != "FAILED" {
		o = append(o, kv{"usage", obj{{"credits", g.credits("classify_run") + g.credits("extract_run")}}})
	}
	return o
}

// review holds the reviewer fields. 2025-04-21 names the reviewer by email
// and always says whether the run was reviewed; 2024-12-23 names a user id.
func (g *gen) review(status string) obj {
	var o obj
	if status == "REJECTED" {
		reviewer := "ap-lead@northwind.example"
		if g.v == extend.V20241223 {
			reviewer = g.id("reviewer", "user_")
		}
		o = append(o, kv{"reviewedBy", reviewer})
	}
	if g.v == extend.V20250421 {
		o = append(o, kv{"reviewed", status == "REJECTED"})
	}
	if status == "REJECTED" {
		o = append(o, kv{"rejectionNote", g.pick(rejectionNotes...)}, kv{"reviewedAt", g.at(0)})
	}
	return o
}

func (g *gen) legacyWorkflowRef(version string) obj {
	return obj{
		{"object", "workflow"}, {"id", g.id("workflow", "workflow_")}, {"version", version},
		{"name", workflowNames[g.stable("workflow", len(workflowNames))]},
	}
}

// legacyWorkflow is the four-field payload of workflow.* before 2026-02-09.
func (g *gen) legacyWorkflow(action string) obj {
	version := fmt.Sprint(2 + g.stable("workflow:version", 9))
	if action == "created" {
		version = "draft"
	}
	return g.legacyWorkflowRef(version)
}

// legacyStepRun is a step run before 2026-02-09: validation steps only,
// without the run's id or a stepType.
func (g *gen) legacyStepRun(stepType string) obj {
	output := obj{{"rules", g.rules()}}
	if stepType == "EXTERNAL_DATA_VALIDATION" {
		output = g.poLookup()
	}
	return obj{
		{"object", "workflow_step_run"}, {"id", g.id("step_run:"+stepType, "workflow_step_run_")}, {"status", "PROCESSED"},
		{"step", obj{{"object", "workflow_step"}, {"id", g.id("step:"+stepType, "step_")}, {"name", stepNames[stepType]}, {"type", stepType}}},
		{"output", output},
	}
}

// legacyProcessorRun is a document_processor_run of type EXTRACT, CLASSIFY
// or SPLITTER; 2024-12-23 has no usage on it.
func (g *gen) legacyProcessorRun(typ, id string, failed bool) obj {
	k := processorKinds[typ]
	o := obj{
		{"object", "document_processor_run"}, {"id", id}, {"processorId", g.id("processor:"+typ, "dp_")},
		{"processorVersionId", g.id("processor_version:"+typ, "dpv_")}, {"processorName", k.names[g.stable(k.name, len(k.names))]},
	}
	var output any = obj{}
	if failed {
		r, m := g.failure(classifyFailures)
		o = append(o, kv{"status", "FAILED"}, kv{"output", output}, kv{"failureReason", r}, kv{"failureMessage", m})
	} else {
		output = g.legacyOutput(typ)
		o = append(o, kv{"status", "PROCESSED"}, kv{"output", output})
	}
	o = append(o, obj{
		{"metadata", g.metadata()}, {"reviewed", false}, {"edited", false}, {"edits", obj{}}, {"type", typ},
		{"config", g.legacyConfig(typ)},
	}...)
	if !failed {
		o = append(o, kv{"initialOutput", output})
	}
	o = append(o, obj{{"files", []any{g.legacyFile()}}, {"mergedProcessors", []any{}}, {"url", "https://dashboard.extend.ai/runs/" + id}}...)
	if g.v == extend.V20250421 && !failed {
		o = append(o, kv{"usage", obj{{"credits", g.credits(legacyRunObjects[typ])}}})
	}
	return o
}

// legacyOutput is the 2026 output of the same kind, except extraction,
// which old processors return as a fields array.
func (g *gen) legacyOutput(typ string) obj {
	switch typ {
	case "CLASSIFY":
		return g.classifyOutput()
	case "SPLITTER":
		return g.splitOutput()
	}
	return g.legacyFieldsOutput()
}

// legacyConfig carries its processor type, unlike the 2026 configs.
// An extractor's config lists its fields, the shape its output has; no
// splitter of these versions had an identifierKey.
func (g *gen) legacyConfig(typ string) obj {
	switch typ {
	case "EXTRACT":
		return obj{{"type", typ}, {"baseProcessor", "extraction_performance"}, {"baseVersion", "3.4.0"}, {"fields", legacyFields()}}
	case "SPLITTER":
		var classes []any
		for _, c := range splitClassifications {
			classes = append(classes, slices.DeleteFunc(slices.Clone(c.(obj)), func(f kv) bool { return f.k == "identifierKey" }))
		}
		return obj{{"type", typ}, {"baseProcessor", "splitting_performance"}, {"splitClassifications", classes}}
	}
	return append(obj{{"type", typ}}, processorKinds[typ].config()...)
}

// processor is the payload of processor.created, .updated, .deleted and
// .draft.updated.
func (g *gen) processor(typ, action string) obj {
	k := processorKinds[typ]
	created, _ := g.age(k.name)
	createdAt := g.at(created)
	draft := g.processorVersion(typ, true)
	if action == "created" {
		createdAt = g.at(0)
		draft.set("createdAt", createdAt)
		draft.set("updatedAt", createdAt)
	}
	return obj{
		{"object", "document_processor"}, {"id", g.id("processor:"+typ, "dp_")}, {"name", k.names[g.stable(k.name, len(k.names))]},
		{"type", typ}, {"createdAt", createdAt}, {"updatedAt", g.at(0)}, {"draftVersion", draft},
	}
}

// processorVersion is a document_processor_version: the draft, or the
// published version (the payload of processor.version.published).
func (g *gen) processorVersion(typ string, draft bool) obj {
	k := processorKinds[typ]
	key, version, created, updated := "processor_version:"+typ, g.versionNumber(k.name), g.at(0), g.at(0)
	if draft {
		c, u := g.age(k.name)
		key, version, created, updated = "processor_draft:"+typ, "draft", g.at(c), g.at(u)
	}
	o := obj{
		{"object", "document_processor_version"}, {"id", g.id(key, "dpv_")},
		{"processorId", g.id("processor:"+typ, "dp_")}, {"processorName", k.names[g.stable(k.name, len(k.names))]},
		{"processorType", typ},
	}
	if !draft {
		o = append(o, kv{"description", "Adds PO number and remit-to address"})
	}
	return append(o, obj{{"version", version}, {"config", g.legacyConfig(typ)}, {"createdAt", created}, {"updatedAt", updated}}...)
}

// parserRunStatus is the stub parser_run.* carried in 2025-04-21.
func (g *gen) parserRunStatus(failed bool) obj {
	o := obj{{"object", "parser_run_status"}, {"id", g.runID}}
	if failed {
		r, _ := g.failure(parseFailures)
		return append(o, kv{"status", "FAILED"}, kv{"failureReason", r})
	}
	return append(o, kv{"status", "PROCESSED"})
}
