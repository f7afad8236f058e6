package ui

import (
	"runtime"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// niceness is the calling thread's nice value (the system call returns
// 20 - nice).
func niceness() (int, error) {
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	return 20 - p, err
}

// The screen's heavy work runs on a thread of lower priority, and only it:
// the thread that asked is as it was.
func TestHeavyWorkRunsBehindTheReceiver(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, err := niceness()
	if err != nil {
		t.Fatal(err)
	}
	var inside int
	var insideErr error
	newBackground().run(func() tea.Msg { inside, insideErr = niceness(); return nil })()
	if want := min(19, before+backgroundNice); insideErr != nil || inside != want {
		t.Errorf("the work ran at nice %d (%v); want %d", inside, insideErr, want)
	}
	if after, _ := niceness(); after != before {
		t.Errorf("the caller's thread went from nice %d to %d", before, after)
	}
}
