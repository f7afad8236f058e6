// Package output reads what a run produced out of a delivery body (or the
// payload fetched from a signed link): the fields of an extraction, a
// classification, the splits of a document; what a reviewer changed; the
// credits it cost; and the structural difference of two JSON bodies. The
// Fields, Review and Summary views are drawn from it. Like extend it uses
// the standard library only, and it does no I/O.
package output

import (
	"fmt"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
)

// DefaultLowConfidence is the confidence below which a field is marked as
// doubtful (--low-confidence): Extend's own review examples flag fields
// under 0.8.
const DefaultLowConfidence = 0.8

// Kind is what an output is made of.
type Kind uint8

// The kinds of output.
const (
	KindNone           Kind = iota
	KindExtraction          // JSON Schema output: {value, metadata}
	KindLegacyFields        // the fields-array output: {field: {type, value, confidence, references}}
	KindClassification      // {id, type, confidence, insights}
	KindSplit               // {splits: [...]}
)

// String names the kind as a heading shows it.
func (k Kind) String() string {
	switch k {
	case KindExtraction:
		return "extraction"
	case KindLegacyFields:
		return "extraction (fields array)"
	case KindClassification:
		return "classification"
	case KindSplit:
		return "split"
	default:
		return "none"
	}
}

// Run is one run inside a body whose output can be read.
type Run struct {
	Path   string // where it sits: "payload", "payload.stepRuns[1].result.extractRun", "payload.outputs[0]"
	Object string // extract_run, classify_run, split_run, document_processor_run
	ID     string
	Name   string // the step's, processor's or extractor's name; "" when none is given
	Status string
	Raw    Raw    // the run object
	fields Object // Raw's members, read once
}

// Title names the run in one line, e.g. "Extract invoice fields · extract_run exr_…".
func (r Run) Title() string {
	t := strings.TrimSpace(r.Object + " " + r.ID)
	if r.Name != "" {
		return r.Name + " · " + t
	}
	return t
}

// Get returns a field of the run.
func (r Run) Get(key string) Raw { return r.fields.Get(key) }

// Output is the run's output: the reviewed one when there is one, as
// Extend's own `output` is.
func (r Run) Output() Raw { return r.Get("output") }

// Payload finds the payload of a delivery body: {eventId, eventType,
// payload}. A body fetched from a signed link is the payload itself; pass
// it to RunsIn directly.
func Payload(body []byte) (eventType string, payload Raw) {
	env := trimRaw(body).Object()
	return env.Get("eventType").Str(), env.Get("payload")
}

// RunsIn lists the runs a payload carries, in order: the payload itself
// when it is a processor run; a step run's result.*Run; a workflow run's
// stepRuns[].result.*Run and the legacy outputs[].
func RunsIn(payload Raw) []Run { return runsIn(payload, payload.Object()) }

func runsIn(raw Raw, p Object) []Run {
	switch p.Get("object").Str() {
	case "workflow_run":
		return workflowRuns(p)
	case "workflow_step_run":
		return stepRunRuns("payload", p)
	case "extract_run", "classify_run", "split_run", "document_processor_run":
		return []Run{runAt("payload", raw, p, "")}
	}
	return nil
}

func workflowRuns(p Object) []Run {
	var runs []Run
	p.Get("stepRuns").Items(func(i int, step Raw) bool {
		runs = append(runs, stepRunRuns(fmt.Sprintf("payload.stepRuns[%d]", i), step.Object())...)
		return true
	})
	p.Get("outputs").Items(func(i int, run Raw) bool {
		runs = append(runs, runAt(fmt.Sprintf("payload.outputs[%d]", i), run, run.Object(), ""))
		return true
	})
	return runs
}

// resultKeys are the keys of a step run's result that hold a processor run.
var resultKeys = []string{"extractRun", "classifyRun", "splitRun"}

func stepRunRuns(path string, step Object) []Run {
	result, name := step.Get("result").Object(), step.Get("step").Get("name").Str()
	var runs []Run
	for _, key := range resultKeys {
		if run := result.Get(key); run.IsObject() {
			runs = append(runs, runAt(path+".result."+key, run, run.Object(), name))
		}
	}
	return runs
}

func runAt(path string, raw Raw, run Object, name string) Run {
	if name == "" {
		name = firstString(run.Get("processorName"), run.Get("extractor").Get("name"), run.Get("classifier").Get("name"), run.Get("splitter").Get("name"))
	}
	return Run{Path: path, Object: run.Get("object").Str(), ID: run.Get("id").Str(), Name: name, Status: run.Get("status").Str(), Raw: raw, fields: run}
}

func firstString(vs ...Raw) string {
	for _, v := range vs {
		if s := v.Str(); s != "" {
			return s
		}
	}
	return ""
}

// KindOf tells what an output is by its shape, which holds across API
// versions where the run's object and type do not.
func KindOf(out Raw) Kind { return kindOf(out.Object()) }

func kindOf(o Object) Kind {
	switch {
	case len(o) == 0:
		return KindNone
	case o.Get("splits").IsArray():
		return KindSplit
	case o.Get("value").Present() && o.Get("metadata").Present():
		return KindExtraction
	case o.Get("type").IsString() && o.Get("confidence").Present():
		return KindClassification
	}
	if first := o[0].Value; first.IsObject() && (first.Get("value") != nil || first.Get("type").IsString()) {
		return KindLegacyFields
	}
	return KindNone
}

// hasOutput is a cheap test that an output may be readable; KindOf, which
// reads the whole output, settles it.
func hasOutput(out Raw) bool { return out.IsObject() && len(trimRaw(out[1:len(out)-1])) > 0 }

// NoOutput says what an event without a readable output is instead, in
// one sentence, or "" when the payload carries runs with outputs.
func NoOutput(eventType string, payload Raw) string {
	p := payload.Object()
	return noOutput(eventType, p, runsIn(payload, p))
}

func noOutput(eventType string, p Object, runs []Run) string {
	object := p.Get("object").Str()
	switch {
	case object == "signed_data_url" || (p.Get("data").IsString() && object == ""):
		return "the payload is behind a signed link: fetch it to read the output"
	case object == "parse_run_status" || object == "parser_run_status":
		return eventType + " carries only a status: its output is fetched through Extend's API"
	case object == "batch_run":
		return eventType + " carries only the batch's status and run count: its runs' outputs are fetched through Extend's API"
	case extend.CategoryOf(eventType) == extend.CategoryGlobal:
		return "a lifecycle event has no output"
	case object == "edit_run":
		return "an edit run's output is a filled file (output.editedFile), not fields"
	case len(p) == 0:
		return "the body has no payload object"
	}
	for _, r := range runs {
		if hasOutput(r.Output()) {
			return ""
		}
	}
	return noRunOutput(object, p, runs)
}

func noRunOutput(object string, p Object, runs []Run) string {
	switch {
	case len(runs) == 1 && runs[0].Status == "FAILED":
		return fmt.Sprintf("%s failed (%s) before it produced an output", runs[0].Title(), runs[0].Get("failureReason").Text())
	case len(runs) > 0:
		return "no run here has produced an output yet"
	case object == "workflow_step_run":
		return fmt.Sprintf("a %s step run carries no extracted fields: see the Run view", firstString(p.Get("stepType"), p.Get("step").Get("type")))
	case object == "workflow_run":
		return "this workflow run lists no step run with an output"
	}
	return fmt.Sprintf("a %s payload has no output", orUnknown(object))
}

func orUnknown(s string) string {
	if s == "" {
		return "payload without an object"
	}
	return s
}
