package extend

import (
	"slices"
	"testing"
)

func TestCatalogueCountsPerVersion(t *testing.T) {
	want := map[Version]int{V20260209: 38, V20250421: 17, V20241223: 15}
	for v, n := range want {
		if got := len(TypesIn(v)); got != n {
			t.Errorf("%s: %d types, want %d", v, got, n)
		}
	}
}

func TestCatalogueCategoryMatchesFamily(t *testing.T) {
	seen := map[string]bool{}
	for _, et := range Catalogue() {
		if seen[et.Name] {
			t.Errorf("%s listed twice", et.Name)
		}
		seen[et.Name] = true
		if got := CategoryOf(et.Name); got != et.Category {
			t.Errorf("%s: CategoryOf = %s, catalogue says %s", et.Name, got, et.Category)
		}
		if et.Meaning == "" || et.Object == "" || len(et.Versions) == 0 {
			t.Errorf("%s: incomplete entry %+v", et.Name, et)
		}
	}
}

// The reference's tables, version by version; a type missing here or there
// is a transcription error.
func TestCatalogueAgainstReference(t *testing.T) {
	v2024 := []string{
		"workflow_run.completed", "workflow_run.failed", "workflow_run.needs_review", "workflow_run.rejected",
		"workflow_run.step_run.processed", "processor_run.processed", "processor_run.failed",
		"workflow.created", "workflow.deployed", "workflow.deleted",
		"processor.created", "processor.updated", "processor.deleted", "processor.draft.updated",
		"processor.version.published",
	}
	v2025 := append(append([]string{}, v2024...), "parser_run.processed", "parser_run.failed")
	v2026 := []string{
		"workflow_run.completed", "workflow_run.failed", "workflow_run.needs_review", "workflow_run.rejected",
		"workflow_run.cancelled", "workflow_run.step_run.processed",
		"workflow.created", "workflow.deployed", "workflow.deleted",
		"extract_run.processed", "extract_run.failed", "classify_run.processed", "classify_run.failed",
		"split_run.processed", "split_run.failed", "parse_run.processed", "parse_run.failed",
		"edit_run.processed", "edit_run.failed", "batch_processor_run.processed", "batch_processor_run.failed",
		"batch_parse_run.processed", "batch_parse_run.failed",
		"extractor.created", "extractor.updated", "extractor.deleted", "extractor.draft.updated", "extractor.version.published",
		"classifier.created", "classifier.updated", "classifier.deleted", "classifier.draft.updated", "classifier.version.published",
		"splitter.created", "splitter.updated", "splitter.deleted", "splitter.draft.updated", "splitter.version.published",
	}
	for v, names := range map[Version][]string{V20241223: v2024, V20250421: v2025, V20260209: v2026} {
		if len(names) != len(TypesIn(v)) {
			t.Errorf("%s: reference lists %d, catalogue %d", v, len(names), len(TypesIn(v)))
		}
		for _, name := range names {
			et, ok := Lookup(name)
			if !ok || !et.In(v) {
				t.Errorf("%s: %s missing", v, name)
			}
		}
	}
}

func TestCategoryOfUnknownTypes(t *testing.T) {
	cases := map[string]Category{
		"extract_run.cancelled":       CategoryProcessorRun,
		"workflow_run.step_run.retry": CategoryWorkflow,
		"splitter.archived":           CategoryGlobal,
		"invoice.paid":                CategoryUnknown,
		"":                            CategoryUnknown,
		"workflow_run":                CategoryUnknown,
	}
	for name, want := range cases {
		if got := CategoryOf(name); got != want {
			t.Errorf("CategoryOf(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestOutcomeOf(t *testing.T) {
	cases := map[string]Outcome{
		"workflow_run.completed":          OutcomeSuccess,
		"workflow_run.step_run.processed": OutcomeSuccess,
		"extract_run.failed":              OutcomeFailure,
		"workflow_run.needs_review":       OutcomeAttention,
		"workflow_run.cancelled":          OutcomeAttention,
		"workflow.deployed":               OutcomeNeutral,
		"":                                OutcomeNeutral,
	}
	for name, want := range cases {
		if got := OutcomeOf(name); got != want {
			t.Errorf("OutcomeOf(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestVersionSetListsNewestFirst(t *testing.T) {
	set := SetOf(V20241223, V20260209, "2020-01-01")
	if got := set.List(); !slices.Equal(got, []Version{V20260209, V20241223}) {
		t.Errorf("List() = %v, want the two documented versions, newest first", got)
	}
	if VersionSet(0).List() != nil || !SetOf(V20250421).Is(V20250421) || set.Is(V20260209) {
		t.Error("an empty set lists nil; Is is true only of the set of exactly that version")
	}
}

// A VersionSet has a bit per version and store notes a header's version in
// a byte: a ninth API version needs both widened.
func TestEveryVersionHasABit(t *testing.T) {
	if n := len(Versions); n > 8 {
		t.Fatalf("%d API versions; VersionSet and store's apiVersion hold 8", n)
	}
	for _, v := range Versions {
		if !SetOf(v).Is(v) {
			t.Errorf("the set of %s does not hold it", v)
		}
	}
}
