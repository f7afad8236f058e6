//go:build !unix

package connect

import "os"

// Running reports whether a process with this pid runs on this machine.
// Where the system cannot say, it answers true, so that prune never deletes
// the endpoint of a session that may be alive.
func Running(pid int) bool {
	if pid <= 0 {
		return false
	}
	_, err := os.FindProcess(pid)
	return err == nil
}
