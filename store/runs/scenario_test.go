package runs

import (
	"testing"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

// The run scenarios tell the stories their names promise once summarised.
func TestRunScenarios(t *testing.T) {
	cases := []struct {
		name                          string
		status                        string
		events, steps, superseded, rp int
	}{
		{"run", "PROCESSED", 5, 4, 0, 0},
		{"step-failure", "FAILED", 3, 2, 0, 0},
		{"retry", "PROCESSED", 4, 3, 0, 2},
		{"reclassify", "PROCESSED", 7, 5, 2, 0},
	}
	for _, c := range cases {
		sc, ok := sample.ScenarioByName(c.name)
		if !ok {
			t.Fatalf("no scenario %s", c.name)
		}
		bodies, err := sc.Bodies(sample.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st := store.New(100, 0)
		for _, b := range bodies {
			ev := &store.Event{}
			ev.SetBody(b)
			ev.Classify()
			st.Append(ev)
		}
		first, _ := st.Get(1)
		s := Summarize(st.RunOf(first))
		superseded, repeated := 0, 0
		for _, l := range s.Lines {
			if l.Superseded {
				superseded++
			}
			if l.Attempts > 1 {
				repeated++
			}
		}
		if s.Status != c.status || !s.Finished || len(s.Lines) != c.events || s.Steps != c.steps || superseded != c.superseded || repeated != c.rp {
			t.Errorf("%s: status %s finished %v, %d events, %d steps, %d superseded, %d repeated; want %s, %d, %d, %d, %d",
				c.name, s.Status, s.Finished, len(s.Lines), s.Steps, superseded, repeated, c.status, c.events, c.steps, c.superseded, c.rp)
		}
	}
}
