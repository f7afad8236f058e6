// Package proc reads what the load scripts report of a process and of the
// machine from Linux's /proc: resident memory, CPU time, the load average.
// It is shared by the scripts in scripts/, which are programs of their own
// (`go run scripts/NAME.go`).
package proc

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"
)

// Status reads one "Name: N kB" line of /proc/PID/status, in bytes: VmRSS,
// VmHWM (the peak). It fails when the process has gone (a binary that
// crashed under load must not read as one that used no memory) or the
// line is not there.
func Status(pid int, name string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("%s of process %d: %w (has it exited?)", name, pid, err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib << 10, err
		}
	}
	return 0, fmt.Errorf("process %d: /proc/%d/status has no %s line", pid, pid, name)
}

// MustStatus is Status for a script that cannot go on without the figure:
// it exits with the error.
func MustStatus(pid int, name string) int64 {
	n, err := Status(pid, name)
	if err != nil {
		log.Fatal(err)
	}
	return n
}

// CPUTime is the user and system time of process pid so far, from
// /proc/PID/stat (in the kernel's clock ticks, 100 a second).
func CPUTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count after it.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// LoadAverage is the machine's load over 1, 5 and 15 minutes, as
// "0.52 0.61 0.70": beside a figure measured on a shared machine, it says
// how much to trust it.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(b))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}
