package ui

import (
	"fmt"
	"runtime"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
)

// background runs the screen's own heavy work one command at a time:
// building the items and search index of new arrivals, formatting and
// highlighting payloads. Each would otherwise run in a goroutine of its
// own, and on a machine of two processors a burst would keep both busy
// while deliveries wait for one. With at most one processor on the
// screen's work, another stays free for the receiver, and an idle
// processor is the one that waits on the network, so a delivery is read as
// it comes rather than at the Go scheduler's next check, up to 10 ms later.
// The work also runs on a thread the kernel schedules behind the others
// (lowerThisThread), so that when the CPUs are short the receiver's
// threads come first. The user's own searches are not gated: a keystroke's
// results come first.
type background struct {
	slot chan struct{}
}

func newBackground() background { return background{slot: make(chan struct{}, 1)} }

// run returns cmd gated: it waits for the slot, then runs.
func (b background) run(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return b.do(cmd) }
}

// do runs work in the slot, on a thread of its own at low priority, and
// returns its message. work must take no lock another goroutine waits on
// (the store's): the kernel may leave its thread waiting for a CPU. A
// panic in work is raised again here, on the command's goroutine, where
// Bubble Tea catches it and restores the terminal.
func (b background) do(work func() tea.Msg) tea.Msg {
	defer b.hold()()
	done := make(chan lowResult, 1)
	go func() {
		// Never unlocked: the thread ends with this goroutine, and its
		// priority with it, so no other goroutine runs at the lower one.
		runtime.LockOSThread()
		lowerThisThread()
		var r lowResult
		defer func() {
			if r.panicked = recover(); r.panicked != nil {
				r.stack = debug.Stack()
			}
			done <- r
		}()
		r.msg = work()
	}()
	r := <-done
	if r.panicked != nil {
		panic(fmt.Sprintf("%v\n\non the screen's background thread:\n%s", r.panicked, r.stack))
	}
	return r.msg
}

// lowResult is what work on the low-priority thread ended with.
type lowResult struct {
	msg      tea.Msg
	panicked any
	stack    []byte
}

// hold takes the slot and returns its release.
func (b background) hold() (release func()) {
	b.slot <- struct{}{}
	return func() { <-b.slot }
}
