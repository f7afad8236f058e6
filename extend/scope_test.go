package extend

import (
	"slices"
	"testing"
)

// The Python SDK's WebhookEndpointEventType: rows 7–38 of the reference's
// 2026-02-09 table, everything but workflow_run.*.
func TestEndpointTypes2026ExcludeWorkflowRuns(t *testing.T) {
	types := Names(EndpointTypes(V20260209))
	if len(types) != 32 {
		t.Errorf("%d endpoint types in 2026-02-09, want 32: %v", len(types), types)
	}
	for _, name := range types {
		if familyOf(name) == "workflow_run" {
			t.Errorf("%s may not be enabled on a 2026-02-09 endpoint", name)
		}
	}
}

func TestEndpointTypesOlderVersionsAreTheWholeVersion(t *testing.T) {
	for _, v := range []Version{V20250421, V20241223} {
		if got, want := Names(EndpointTypes(v)), Names(TypesIn(v)); !slices.Equal(got, want) {
			t.Errorf("%s: endpoint types %v, want every type of the version %v", v, got, want)
		}
	}
	if got := EndpointTypes("1999-01-01"); len(got) != 0 {
		t.Errorf("an unknown version has endpoint types %v", Names(got))
	}
}

// The docstring of the Python SDK's WebhookSubscriptionEventType.
func TestSubscriptionTypes2026(t *testing.T) {
	batch := []string{"batch_processor_run.processed", "batch_processor_run.failed"}
	want := map[Resource][]string{
		ResourceExtractor:  append([]string{"extract_run.processed", "extract_run.failed"}, batch...),
		ResourceClassifier: append([]string{"classify_run.processed", "classify_run.failed"}, batch...),
		ResourceSplitter:   append([]string{"split_run.processed", "split_run.failed"}, batch...),
		ResourceWorkflow: {"workflow_run.completed", "workflow_run.failed", "workflow_run.needs_review",
			"workflow_run.rejected", "workflow_run.cancelled", "workflow_run.step_run.processed"},
	}
	for r, names := range want {
		got := Names(SubscriptionTypes(r, V20260209))
		slices.Sort(got)
		slices.Sort(names)
		if !slices.Equal(got, names) {
			t.Errorf("%s: %v, want %v", r, got, names)
		}
	}
}

func TestSubscriptionTypesOlderVersions(t *testing.T) {
	if got := Names(SubscriptionTypes(ResourceWorkflow, V20250421)); len(got) != 5 || slices.Contains(got, "workflow_run.cancelled") {
		t.Errorf("2025-04-21 workflow subscription: %v, want its five workflow_run types", got)
	}
	if got := SubscriptionTypes(ResourceExtractor, V20241223); len(got) != 0 {
		t.Errorf("2024-12-23 has no extractor events, got %v", Names(got))
	}
}

func TestResourceOf(t *testing.T) {
	cases := map[string]Resource{
		"workflow_BMlfq_yWM3sT-ZzvCnA3f": ResourceWorkflow,
		"ex_Xj8mK2pL9nR4vT7qY5wZ":        ResourceExtractor,
		"cl_abc":                         ResourceClassifier,
		"spl_abc":                        ResourceSplitter,
		"workflow_run_xKm9pNv3qWsY":      "",
		"workflow_version_abc":           "",
		"workflow_step_run_abc":          "",
		"exr_abc":                        "",
		"sp_abc":                         "",
		"dp_abc":                         "",
		"workflow_":                      "",
		"":                               "",
	}
	for id, want := range cases {
		got, ok := ResourceOf(id)
		if got != want || ok != (want != "") {
			t.Errorf("ResourceOf(%q) = %q, %v; want %q", id, got, ok, want)
		}
	}
}
