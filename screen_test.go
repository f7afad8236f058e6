package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// Without a terminal (here: a new session, so no controlling terminal, and
// stdin not a terminal) the screen exits 1 before anything starts, and says
// to use tail instead.
func TestScreenWithoutATerminalSuggestsTail(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0") // stdin is /dev/null
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, _ := cmd.CombinedOutput()
	msg := string(out)
	if code := cmd.ProcessState.ExitCode(); code != 1 || strings.Count(msg, "\n") != 1 {
		t.Fatalf("exit %d, output %q: want 1 and one line", code, msg)
	}
	if !strings.Contains(msg, "could not open TTY") || !strings.Contains(msg, "extend-inspect tail") {
		t.Errorf("output %q: want the reason and the tail suggestion", msg)
	}
}
