package ui

import (
	"strings"
	"testing"
)

// diffTwo marks the events at list items i and j and presses D.
func diffTwo(t *testing.T, m *Model, i, j int) {
	t.Helper()
	m.marks.toggle(m.list.items[i].ev)
	m.marks.toggle(m.list.items[j].ev)
	press(m, "D")
	if m.compare == nil {
		t.Fatalf("D with two marked shows no diff; footer: %s", footer(m))
	}
}

func TestDiffMarkedShowsTheTwoBodiesByPath(t *testing.T) {
	g := newEventMaker()
	held, approved := reviewEvents(t, g)
	m := outputModel(t, held, approved)
	press(m, "k") // select #1: the diff is not of the selected event
	m.marks.toggle(approved)
	m.marks.toggle(held)
	_, cmd := m.Update(keyPress("D"))
	if cmd == nil || m.pane.current() == nil || m.pane.current().more == nil {
		t.Fatal("the diff was not left to a command")
	}
	settle(m)
	if m.pane.view != viewReview {
		t.Errorf("D shows the %v view, want Review", m.pane.view)
	}
	wantScreen(t, m, "Diff of the marked events #1 → #2", "workflow_run.needs_review → workflow_run.completed",
		"~ payload.status  NEEDS_REVIEW → PROCESSED", "~ payload.reviewed  false → true", "D or esc: back to the review of the selected event")
	if sc := screen(m); strings.Contains(sc, "needs review") && !strings.Contains(sc, "Diff of") {
		t.Errorf("the diff reads as a review:\n%s", sc)
	}
}

func TestDiffMarkedOfTheSameBodySaysSo(t *testing.T) {
	g := newEventMaker()
	held, _ := reviewEvents(t, g)
	m := outputModel(t, held, g.raw(bodyOf(t, held)))
	diffTwo(t, m, 0, 1)
	wantScreen(t, m, "#1 → #2", "the two bodies are the same")
}

func TestDiffMarkedNeedsExactlyTwo(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	for _, c := range []struct {
		mark []int
		want string
	}{
		{nil, "diff needs two marked events: none is marked (space marks one)"},
		{[]int{0}, "one is marked, mark one more (space)"},
		{[]int{1, 2}, "3 are marked (space unmarks one, U clears them all)"},
	} {
		for _, i := range c.mark {
			m.marks.toggle(m.list.items[i].ev)
		}
		view := m.pane.view
		press(m, "D")
		if m.compare != nil || m.pane.view != view {
			t.Errorf("%d marked: D showed a diff", len(m.marks))
		}
		if f := footer(m); !strings.Contains(f, c.want) {
			t.Errorf("%d marked: footer %s, want %q", len(m.marks), f, c.want)
		}
	}
}

func TestLeavingTheDiff(t *testing.T) {
	for _, c := range []struct {
		name string
		keys []string
	}{
		{"D again", []string{"D"}},
		{"esc", []string{"esc"}},
		{"another selection", []string{"k"}},
		{"another view", []string{"x"}},
		{"the next view and back", []string{"v", "left"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _, _ := populated(t, 120, 40)
			sel := m.list.sel
			diffTwo(t, m, 0, 1)
			if !strings.Contains(screen(m), "Diff of the marked events #1 → #2") {
				t.Fatalf("no diff on screen:\n%s", screen(m))
			}
			press(m, c.keys...)
			if m.compare != nil || strings.Contains(screen(m), "Diff of the marked events") {
				t.Fatalf("%v did not leave the diff:\n%s", c.keys, screen(m))
			}
			if c.name == "D again" || c.name == "esc" {
				if m.list.sel != sel || m.pane.view != viewReview {
					t.Errorf("back from the diff: #%d in %v, want #%d in Review", m.list.sel.ev.Seq, m.pane.view, sel.ev.Seq)
				}
			}
		})
	}
}

// While the diff is shown, esc leaves it and clears no filter; once it is
// gone, esc clears the filters again.
func TestEscLeavesTheDiffBeforeClearingFilters(t *testing.T) {
	m, _, _ := populated(t, 120, 40)
	press(m, "f") // a filter for esc to clear: failures only
	diffTwo(t, m, 0, 1)
	press(m, "esc")
	if m.compare != nil || !m.list.filt.failures {
		t.Fatalf("esc: diff %v, failures filter %v", m.compare != nil, m.list.filt.failures)
	}
	press(m, "esc")
	if m.list.filt.failures {
		t.Error("esc after the diff cleared no filter")
	}
}

func TestDiffMarkedStopsFollowing(t *testing.T) {
	m, s, g := populated(t, 120, 40)
	press(m, "F")
	diffTwo(t, m, 0, 1)
	if m.list.following {
		t.Fatal("still following: the next arrival would end the diff")
	}
	s.Append(g.event(t, "workflow.deployed"))
	pull(m)
	if m.compare == nil {
		t.Error("an arrival ended the diff")
	}
}

func TestGoldenReviewDiffOfTwoMarked(t *testing.T) {
	g := newEventMaker()
	held, approved := reviewEvents(t, g)
	m := outputModel(t, held, approved)
	diffTwo(t, m, 0, 1)
	checkGolden(t, "review-diff-120x40", m.View().Content)
}
