package ui

import "fmt"

// Recorder is the --record file the session writes; the footer says how
// many deliveries it could not write (a full disk, a file that went away).
type Recorder interface {
	Unrecorded() uint64
}

// readRecorder takes the recorder's count; call it in Update.
func (m *Model) readRecorder() {
	if m.cfg.Recorder != nil {
		m.unrecorded = m.cfg.Recorder.Unrecorded()
	}
}

// addUnrecorded warns, first in the footer, of deliveries --record lost.
func (m *Model) addUnrecorded(lb *lineBuilder) {
	if m.unrecorded == 0 {
		return
	}
	what := "deliveries"
	if m.unrecorded == 1 {
		what = "delivery"
	}
	lb.add(fmt.Sprintf(" %d %s not recorded (--record) ", m.unrecorded, what), m.inks.Failure)
}
