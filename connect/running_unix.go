//go:build unix

package connect

import (
	"errors"
	"syscall"
)

// Running reports whether a process with this pid runs on this machine. A
// process of another user still counts: signal 0 is refused, not unknown.
func Running(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
