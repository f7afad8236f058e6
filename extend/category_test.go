package extend

import "testing"

func TestIsFailure(t *testing.T) {
	for typ, want := range map[string]bool{
		"workflow_run.failed":             true,
		"workflow_run.rejected":           true,
		"workflow_run.cancelled":          true,
		"extract_run.failed":              true,
		"x.rejected":                      true, // unknown, but of a failure's shape
		"batch_parse_run.failed":          true,
		"failed":                          true,
		"workflow_run.step_run.processed": false,
		"workflow.deleted":                false,
		"workflow_run.completed":          false,
		"workflow_run.needs_review":       false,
		"extractor.created":               false,
		"":                                false,
	} {
		if got := IsFailure(typ); got != want {
			t.Errorf("IsFailure(%q) = %v, want %v", typ, got, want)
		}
	}
}
