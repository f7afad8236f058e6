package extend

import (
	"fmt"
	"strings"
)

// Category groups event types the way a developer thinks about them while
// integrating: runs of whole workflows, runs of single processors, and the
// lifecycle of the resources those runs use.
type Category uint8

// The categories, in the order the screen lists them.
const (
	CategoryWorkflow Category = iota
	CategoryProcessorRun
	CategoryGlobal
	CategoryUnknown
)

// Categories lists every category in display order.
var Categories = [...]Category{CategoryWorkflow, CategoryProcessorRun, CategoryGlobal, CategoryUnknown}

// String returns the wire name used in output, files and flags.
func (c Category) String() string {
	switch c {
	case CategoryWorkflow:
		return "workflow"
	case CategoryProcessorRun:
		return "processor_run"
	case CategoryGlobal:
		return "global"
	default:
		return "unknown"
	}
}

// Title is the heading the screen shows above the category's rows.
func (c Category) Title() string {
	switch c {
	case CategoryWorkflow:
		return "Workflow runs"
	case CategoryProcessorRun:
		return "Processor runs"
	case CategoryGlobal:
		return "Global"
	default:
		return "Unknown"
	}
}

// ParseCategory reads a wire name back into a Category.
func ParseCategory(name string) (Category, error) {
	for _, c := range Categories {
		if c.String() == name {
			return c, nil
		}
	}
	return CategoryUnknown, fmt.Errorf("unknown category %q (want workflow, processor_run, global or unknown)", name)
}

// familyCategories maps the family prefix of an event type (the text before
// its first dot) to its category. Classifying by family rather than by exact
// name means a type Extend adds later, such as extract_run.cancelled, still
// lands in the right group.
var familyCategories = map[string]Category{
	"workflow_run":        CategoryWorkflow,
	"processor_run":       CategoryProcessorRun,
	"parser_run":          CategoryProcessorRun,
	"extract_run":         CategoryProcessorRun,
	"classify_run":        CategoryProcessorRun,
	"split_run":           CategoryProcessorRun,
	"parse_run":           CategoryProcessorRun,
	"edit_run":            CategoryProcessorRun,
	"batch_processor_run": CategoryProcessorRun,
	"batch_parse_run":     CategoryProcessorRun,
	"workflow":            CategoryGlobal,
	"processor":           CategoryGlobal,
	"extractor":           CategoryGlobal,
	"classifier":          CategoryGlobal,
	"splitter":            CategoryGlobal,
}

// CategoryOf classifies any event type, known or not.
func CategoryOf(eventType string) Category {
	if c, ok := familyCategories[familyOf(eventType)]; ok {
		return c
	}
	return CategoryUnknown
}

// familyOf returns the family of an event type: the text before its first
// dot ("workflow_run" for workflow_run.step_run.processed), or "" for a name
// without one.
func familyOf(eventType string) string {
	family, _, found := strings.Cut(eventType, ".")
	if !found {
		return ""
	}
	return family
}

// Outcome says how an event type ended, for colouring and for `wait`.
type Outcome uint8

// Outcomes of an event type.
const (
	OutcomeNeutral   Outcome = iota // lifecycle and other informational events
	OutcomeSuccess                  // processed, completed
	OutcomeFailure                  // failed
	OutcomeAttention                // needs_review, rejected, cancelled
)

// String names the outcome.
func (o Outcome) String() string {
	switch o {
	case OutcomeSuccess:
		return "success"
	case OutcomeFailure:
		return "failure"
	case OutcomeAttention:
		return "attention"
	default:
		return "neutral"
	}
}

// IsFailure reports whether an event type says that a run did not succeed:
// any *.failed, and a run that a reviewer rejected or someone cancelled
// (*.rejected, *.cancelled, whatever the family, so an unknown type of that
// shape counts too). It is the one definition the screen's failure filter
// and the exit status of `wait` share.
func IsFailure(eventType string) bool {
	switch eventType[strings.LastIndexByte(eventType, '.')+1:] {
	case "failed", "rejected", "cancelled":
		return true
	}
	return false
}

// OutcomeOf reads the outcome from the last segment of an event type.
func OutcomeOf(eventType string) Outcome {
	last := eventType[strings.LastIndexByte(eventType, '.')+1:]
	switch last {
	case "processed", "completed":
		return OutcomeSuccess
	case "failed":
		return OutcomeFailure
	case "needs_review", "rejected", "cancelled":
		return OutcomeAttention
	default:
		return OutcomeNeutral
	}
}
