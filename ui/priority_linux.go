package ui

import "syscall"

// backgroundNice is how much nicer than the rest of the process the threads
// of the screen's heavy work are: the kernel gives a thread of nice 10
// about a tenth of the time of one of nice 0 when both want a CPU, and all
// of it when a CPU is free.
const backgroundNice = 10

// lowerThisThread lowers the scheduling priority of the calling thread
// (Linux sets niceness per thread), which must be locked to its goroutine.
// A failure leaves it as it was: the work is then only scheduled as before.
func lowerThisThread() {
	tid := syscall.Gettid()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid) // 20 - nice
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(19, 20-p+backgroundNice))
}
