package ui

import (
	tea "charm.land/bubbletea/v2"

	"os"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// reviewEvents are the review scenario's deliveries: the run held for
// review, then its approval with the total corrected.
func reviewEvents(t *testing.T, g *eventMaker) (held, approved *store.Event) {
	t.Helper()
	sc, ok := sample.ScenarioByName("review")
	if !ok {
		t.Fatal("no review scenario")
	}
	bodies, err := sc.Bodies(sample.Options{Now: g.at, Rand: g.rand})
	if err != nil {
		t.Fatal(err)
	}
	return g.raw(bodies[0]), g.raw(bodies[1])
}

// outputModel is a 120×40 screen holding evs, the last one selected.
func outputModel(t *testing.T, evs ...*store.Event) *Model {
	t.Helper()
	s := store.New(100, 0)
	m := newTestModel(t, s, 120, 40)
	for _, ev := range evs {
		s.Append(ev)
	}
	pull(m)
	return m
}

func TestGoldenOutputScreens(t *testing.T) {
	g := newEventMaker()
	held, approved := reviewEvents(t, g)
	legacy, err := os.ReadFile("testdata/legacy-fields.json")
	if err != nil {
		t.Fatal(err)
	}
	rejected := g.raw([]byte(strings.Replace(string(storetest.Body(held)), `"NEEDS_REVIEW"`,
		`"REJECTED","rejectionNote":"Not our vendor: the PO does not match"`, 1)))
	cases := []struct {
		name string
		ev   *store.Event
		key  string
	}{
		{"fields-schema", approved, "x"},
		{"fields-legacy", g.raw(legacy), "x"},
		{"fields-classification", g.event(t, "classify_run.processed"), "x"},
		{"fields-split", g.event(t, "split_run.processed"), "x"},
		{"fields-none", g.event(t, "workflow.deployed"), "x"},
		{"review-approved", approved, "d"},
		{"review-rejected", rejected, "d"},
		{"review-needs", held, "d"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := outputModel(t, c.ev)
			press(m, c.key)
			checkGolden(t, c.name+"-120x40", m.View().Content)
		})
	}
}

func TestFieldsMarksDoubtfulFields(t *testing.T) {
	held, _ := reviewEvents(t, newEventMaker())
	m := outputModel(t, held)
	press(m, "x")
	wantScreen(t, m, "3 fields below 0.80", "! total.amount")

	strict := newTestModel(t, store.New(10, 0), 120, 40)
	strict.kit.lowConfidence = 0.999
	strict.cfg.Source.(*store.Store).Append(held)
	pull(strict)
	press(strict, "x")
	if sc := screen(strict); strings.Contains(sc, "3 fields below") || !strings.Contains(sc, "below 1.00") {
		t.Errorf("the threshold was not applied:\n%s", sc)
	}
}

func TestReviewShowsTheEditOldToNew(t *testing.T) {
	_, approved := reviewEvents(t, newEventMaker())
	m := outputModel(t, approved)
	press(m, "d")
	wantScreen(t, m, "reviewed by ap-lead@northwind.example", "~ total.amount", "→", "Digits transposed in the scan")
}

func TestTabBarFitsSixtyColumns(t *testing.T) {
	m := outputModel(t, newEventMaker().event(t, "workflow_run.completed"))
	for _, w := range []int{60, 80} {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 20})
		settle(m)
		sc := screen(m)
		for _, l := range strings.Split(sc, "\n") {
			if width(l) > w {
				t.Fatalf("a line is wider than %d columns: %q", w, l)
			}
		}
		if !strings.Contains(sc, "Review") && !strings.Contains(sc, " Rev ") {
			t.Errorf("%d columns: no Review tab:\n%s", w, sc)
		}
	}
}
