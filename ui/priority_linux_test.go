package ui

import (
	"runtime"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// niceness is the calling thread's nice value (the system call returns
// 20 - nice).
func niceness(t *testing.T) int {
	t.Helper()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

// The screen's heavy work runs on a thread of lower priority, and only it:
// the thread that asked is as it was.
func TestHeavyWorkRunsBehindTheReceiver(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := niceness(t)
	var inside int
	newBackground().run(func() tea.Msg { inside = niceness(t); return nil })()
	if inside != min(19, before+backgroundNice) {
		t.Errorf("the work ran at nice %d; want %d", inside, before+backgroundNice)
	}
	if after := niceness(t); after != before {
		t.Errorf("the caller's thread went from nice %d to %d", before, after)
	}
}
