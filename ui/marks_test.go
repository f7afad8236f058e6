package ui

import (
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

// markedTypes lists the event types of the marked events, in seq order.
func markedTypes(m *Model) []string {
	var out []string
	for _, ev := range m.marks.events() {
		out = append(out, ev.EventType())
	}
	return out
}

func headerOf(m *Model) string { return strings.Join(strings.Split(screen(m), "\n")[:3], "\n") }

func TestSpaceMarksAndMovesDown(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	press(m, "g", "space", "space")
	if got := strings.Join(markedTypes(m), ","); got != "workflow_run.step_run.processed,workflow_run.completed" {
		t.Fatalf("marked %s", got)
	}
	if !strings.Contains(headerOf(m), "2 marked") {
		t.Errorf("header does not count the marks:\n%s", headerOf(m))
	}
	lines := strings.Split(screen(m), "\n")
	marked := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "● ") {
			marked++
		}
	}
	if marked != 2 {
		t.Errorf("%d rows show the mark, want 2:\n%s", marked, screen(m))
	}
	press(m, "k", "space") // unmark the second
	if got := strings.Join(markedTypes(m), ","); got != "workflow_run.step_run.processed" {
		t.Errorf("after unmarking: %s", got)
	}
}

func TestMarkShownObeysTheFiltersAndSurvivesThem(t *testing.T) {
	m, _, _ := populated(t, 160, 48)
	press(m, "f", "V")
	want := "extract_run.failed,workflow_run.failed,batch_parse_run.failed"
	if got := strings.Join(markedTypes(m), ","); got != want {
		t.Fatalf("V under the failures filter marked %s, want %s", got, want)
	}
	press(m, "esc")
	if got := strings.Join(markedTypes(m), ","); got != want || !strings.Contains(headerOf(m), "3 marked") {
		t.Errorf("after clearing the filters: marked %s; header:\n%s", got, headerOf(m))
	}
	press(m, "U")
	if len(m.marks) != 0 || strings.Contains(headerOf(m), "marked") {
		t.Errorf("U left %d marks; header:\n%s", len(m.marks), headerOf(m))
	}
}

func TestEvictedEventsLoseTheirMarks(t *testing.T) {
	s := store.New(4, 0)
	g := newEventMaker()
	m := newTestModel(t, s, 160, 48)
	fill(t, s, g, "workflow_run.completed", "workflow.deployed", "parse_run.processed", "extract_run.failed")
	pull(m)
	press(m, "V")
	if len(m.marks) != 4 {
		t.Fatalf("marked %d, want 4", len(m.marks))
	}
	fill(t, s, g, "classify_run.processed", "workflow_run.failed")
	pull(m)
	if got := strings.Join(markedTypes(m), ","); got != "parse_run.processed,extract_run.failed" {
		t.Errorf("after two evictions the marks are %s", got)
	}
}
