package proc

import (
	"os"
	"os/exec"
	"testing"
)

func TestStatusReadsALiveProcessAndFailsForAGoneOne(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc here")
	}
	if rss, err := Status(os.Getpid(), "VmRSS"); err != nil || rss <= 0 {
		t.Errorf("Status(self, VmRSS) = %d, %v", rss, err)
	}
	if _, err := Status(os.Getpid(), "NoSuchLine"); err == nil {
		t.Error("Status of a line /proc does not have succeeded")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	if rss, err := Status(cmd.Process.Pid, "VmRSS"); err == nil {
		t.Errorf("Status of an exited process = %d, want an error", rss)
	}
}
