package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// The wiring, end to end inside one process: a real Bubble Tea program over
// a real store, fed by appends from another goroutine, quit with q.
func TestProgramSmoke(t *testing.T) {
	s := store.New(100, 0)
	m := newTestModel(t, s, 120, 40)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))

	g := newEventMaker()
	go fill(t, s, g, "workflow_run.completed", "extract_run.failed")

	// The renderer writes only the cells that changed, so "2 received" may
	// reach the output as a lone "2": wait for the second delivery's row,
	// and count what the program saw in its final model.
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		return bytes.Contains(out, []byte("extract_run.failed"))
	}, teatest.WithDuration(10*time.Second))

	tm.Send(keyPress("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	if len(final.list.items) != 2 {
		t.Errorf("the program saw %d deliveries, want 2", len(final.list.items))
	}
}
