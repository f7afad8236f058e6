package ui

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

type fakeRecorder struct{ lost atomic.Uint64 }

func (f *fakeRecorder) Unrecorded() uint64 { return f.lost.Load() }

// Deliveries that --record could not write are counted in the footer, and
// the count follows the recorder as more are lost (issue 13, item 6).
func TestFooterCountsWhatWasNotRecorded(t *testing.T) {
	m, s, g := populated(t, 120, 40)
	rec := &fakeRecorder{}
	m.cfg.Recorder = rec
	footer := func() string {
		lines := strings.Split(m.View().Content, "\n")
		return ansi.Strip(lines[len(lines)-1])
	}
	if got := footer(); strings.Contains(got, "not recorded") {
		t.Fatalf("nothing lost, yet the footer says %q", got)
	}
	rec.lost.Store(1)
	fill(t, s, g, "workflow_run.completed")
	pull(m)
	if got := footer(); !strings.Contains(got, "1 delivery not recorded (--record)") {
		t.Fatalf("footer %q does not count the lost delivery", got)
	}
	rec.lost.Store(3)
	m.Update(tickMsg{})
	if got := footer(); !strings.Contains(got, "3 deliveries not recorded (--record)") {
		t.Fatalf("footer %q does not follow the count", got)
	}
}
