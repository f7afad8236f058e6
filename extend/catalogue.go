package extend

import "slices"

// Version is an Extend API version. Every webhook endpoint is pinned to one,
// and it decides both the event names and the payload shapes it receives.
type Version string

// The documented API versions, newest first.
const (
	V20260209 Version = "2026-02-09"
	V20250421 Version = "2025-04-21"
	V20241223 Version = "2024-12-23"
)

// Versions lists every documented API version, newest first.
var Versions = []Version{V20260209, V20250421, V20241223}

// ParseVersion checks that name is a documented API version.
func ParseVersion(name string) (Version, bool) {
	v := Version(name)
	return v, slices.Contains(Versions, v)
}

// VersionSet is a set of documented API versions, one bit per entry of
// Versions. An envelope keeps its guess as one: a byte where a slice would
// take 24 in every stored event.
type VersionSet uint8

// SetOf is the set of the documented versions in vs; others are ignored.
func SetOf(vs ...Version) VersionSet {
	var set VersionSet
	for i, v := range Versions {
		if slices.Contains(vs, v) {
			set |= 1 << i
		}
	}
	return set
}

// List returns the versions in the set, newest first, or nil when it is
// empty.
func (set VersionSet) List() []Version {
	var out []Version
	for i, v := range Versions {
		if set&(1<<i) != 0 {
			out = append(out, v)
		}
	}
	return out
}

// Is reports whether the set holds exactly v.
func (set VersionSet) Is(v Version) bool { return set == SetOf(v) }

// EventType describes one event type of the catalogue.
type EventType struct {
	Name     string    // the eventType on the wire, e.g. "workflow_run.completed"
	Category Category  // how the screen groups it
	Object   string    // the payload's "object" value
	Meaning  string    // one line on what happened
	Versions []Version // the API versions that send it, newest first
}

// In reports whether the type exists in API version v.
func (t EventType) In(v Version) bool { return slices.Contains(t.Versions, v) }

var (
	all     = []Version{V20260209, V20250421, V20241223}
	current = []Version{V20260209}
	older   = []Version{V20250421, V20241223}
)

// catalogue is transcribed from the reference's tables for the three
// versions; catalogue_test.go checks it against the counts per version.
var catalogue = []EventType{
	{"workflow_run.completed", CategoryWorkflow, "workflow_run", "A workflow run finished successfully", all},
	{"workflow_run.failed", CategoryWorkflow, "workflow_run", "A workflow run failed", all},
	{"workflow_run.needs_review", CategoryWorkflow, "workflow_run", "A workflow run is waiting at a Human Review step", all},
	{"workflow_run.rejected", CategoryWorkflow, "workflow_run", "A reviewer rejected the workflow run in the dashboard", all},
	{"workflow_run.cancelled", CategoryWorkflow, "workflow_run", "A workflow run was cancelled", current},
	{"workflow_run.step_run.processed", CategoryWorkflow, "workflow_step_run", "One step of a workflow run finished; the payload is that step run", all},

	{"processor_run.processed", CategoryProcessorRun, "document_processor_run", "An extract, classify or split run finished (payload.type says which)", older},
	{"processor_run.failed", CategoryProcessorRun, "document_processor_run", "A processor run failed", older},
	{"parser_run.processed", CategoryProcessorRun, "parser_run_status", "A parser run finished; the payload is a status stub without output", []Version{V20250421}},
	{"parser_run.failed", CategoryProcessorRun, "parser_run_status", "A parser run failed", []Version{V20250421}},
	{"extract_run.processed", CategoryProcessorRun, "extract_run", "An extraction run finished", current},
	{"extract_run.failed", CategoryProcessorRun, "extract_run", "An extraction run failed", current},
	{"classify_run.processed", CategoryProcessorRun, "classify_run", "A classification run finished", current},
	{"classify_run.failed", CategoryProcessorRun, "classify_run", "A classification run failed", current},
	{"split_run.processed", CategoryProcessorRun, "split_run", "A split run finished", current},
	{"split_run.failed", CategoryProcessorRun, "split_run", "A split run failed", current},
	{"parse_run.processed", CategoryProcessorRun, "parse_run_status", "A parse run finished; the payload is a status stub, fetch GET /parse_runs/{id} for output", current},
	{"parse_run.failed", CategoryProcessorRun, "parse_run_status", "A parse run failed", current},
	{"edit_run.processed", CategoryProcessorRun, "edit_run", "A PDF edit (form fill) run finished", current},
	{"edit_run.failed", CategoryProcessorRun, "edit_run", "A PDF edit (form fill) run failed", current},
	{"batch_processor_run.processed", CategoryProcessorRun, "batch_run", "A batch of extract, classify or split runs finished; the payload is a four-field pointer", current},
	{"batch_processor_run.failed", CategoryProcessorRun, "batch_run", "A batch of extract, classify or split runs failed", current},
	{"batch_parse_run.processed", CategoryProcessorRun, "batch_run", "A batch of parse runs finished; the payload is a four-field pointer", current},
	{"batch_parse_run.failed", CategoryProcessorRun, "batch_run", "A batch of parse runs failed", current},

	{"workflow.created", CategoryGlobal, "workflow", "A workflow was created", all},
	{"workflow.deployed", CategoryGlobal, "workflow", "A new version of a workflow was deployed", all},
	{"workflow.deleted", CategoryGlobal, "workflow", "A workflow was deleted", all},
	{"processor.created", CategoryGlobal, "document_processor", "A processor was created", older},
	{"processor.updated", CategoryGlobal, "document_processor", "A processor's metadata was updated", older},
	{"processor.deleted", CategoryGlobal, "document_processor", "A processor was deleted", older},
	{"processor.draft.updated", CategoryGlobal, "document_processor", "A processor's draft version was edited", older},
	{"processor.version.published", CategoryGlobal, "document_processor_version", "A processor version was published; the payload is the version", older},
	{"extractor.created", CategoryGlobal, "extractor", "An extractor was created", current},
	{"extractor.updated", CategoryGlobal, "extractor", "An extractor's metadata was updated", current},
	{"extractor.deleted", CategoryGlobal, "extractor", "An extractor was deleted", current},
	{"extractor.draft.updated", CategoryGlobal, "extractor", "An extractor's draft version was edited", current},
	{"extractor.version.published", CategoryGlobal, "extractor_version", "An extractor version was published; the payload is the version", current},
	{"classifier.created", CategoryGlobal, "classifier", "A classifier was created", current},
	{"classifier.updated", CategoryGlobal, "classifier", "A classifier's metadata was updated", current},
	{"classifier.deleted", CategoryGlobal, "classifier", "A classifier was deleted", current},
	{"classifier.draft.updated", CategoryGlobal, "classifier", "A classifier's draft version was edited", current},
	{"classifier.version.published", CategoryGlobal, "classifier_version", "A classifier version was published; the payload is the version", current},
	{"splitter.created", CategoryGlobal, "splitter", "A splitter was created", current},
	{"splitter.updated", CategoryGlobal, "splitter", "A splitter's metadata was updated", current},
	{"splitter.deleted", CategoryGlobal, "splitter", "A splitter was deleted", current},
	{"splitter.draft.updated", CategoryGlobal, "splitter", "A splitter's draft version was edited", current},
	{"splitter.version.published", CategoryGlobal, "splitter_version", "A splitter version was published; the payload is the version", current},
}

var catalogueByName = func() map[string]EventType {
	m := make(map[string]EventType, len(catalogue))
	for _, t := range catalogue {
		m[t.Name] = t
	}
	return m
}()

// Catalogue returns every known event type, grouped by category. The slice
// is a copy: callers may sort or filter it.
func Catalogue() []EventType { return slices.Clone(catalogue) }

// TypesIn returns the event types API version v sends.
func TypesIn(v Version) []EventType {
	var types []EventType
	for _, t := range catalogue {
		if t.In(v) {
			types = append(types, t)
		}
	}
	return types
}

// Lookup finds a type by its wire name.
func Lookup(name string) (EventType, bool) {
	t, ok := catalogueByName[name]
	return t, ok
}
