package runs

import (
	"fmt"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

// With 100,000 events stored, summarising a run of 200 of them (what the
// Run view does when it opens) must stay under a millisecond.
func BenchmarkSummarizeRunOf200In100k(b *testing.B) {
	st := store.New(100_000, 1<<40)
	for i := range 100_000 - 200 {
		deliver(st, fmt.Sprintf("x%d", i), "extract_run.processed", fmt.Sprintf(`{"object":"extract_run","id":"exr_%d","status":"PROCESSED","updatedAt":%q}`, i, at(i%600)))
	}
	for i := range 199 {
		step(st, fmt.Sprintf("s%d", i), "workflow_run_BIG", "EXTRACT", fmt.Sprintf("exr_big%d", i), 200-i) // newest first: the sort has work
	}
	final(st, "f", "workflow_run.completed", "workflow_run_BIG", "PROCESSED", "", 0, 300)
	b.ReportAllocs()
	for b.Loop() {
		if s := Summarize(st.Run("workflow_run_BIG")); len(s.Lines) != 200 {
			b.Fatalf("%d lines", len(s.Lines))
		}
	}
}
