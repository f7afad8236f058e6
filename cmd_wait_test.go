package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

// waitProcess is a running `extend-inspect wait`.
type waitProcess struct {
	cmd    *exec.Cmd
	url    string
	stdout bytes.Buffer
	stderr bytes.Buffer // after the readiness line
	copied chan struct{}
}

// startWait runs the binary's wait on a free port and returns once it is
// ready, that is once it has printed its readiness line.
func startWait(t *testing.T, bin string, env []string, args ...string) *waitProcess {
	t.Helper()
	p := &waitProcess{copied: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"wait", "--listen", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout = &p.stdout
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	r := bufio.NewReader(stderr)
	ready, err := r.ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(ready), "listening on ")
	if err != nil || !ok {
		t.Fatalf("readiness line %q, %v", ready, err)
	}
	p.url = url
	go func() {
		io.Copy(&p.stderr, r)
		close(p.copied)
	}()
	return p
}

// exit waits for the process to end on its own; one that does not within a
// generous delay is killed, which fails the test rather than hanging it.
func (p *waitProcess) exit(t *testing.T) int {
	t.Helper()
	timer := time.AfterFunc(30*time.Second, func() { p.cmd.Process.Kill() })
	defer timer.Stop()
	<-p.copied
	p.cmd.Wait()
	return p.cmd.ProcessState.ExitCode()
}

// printed decodes the one JSON object wait prints.
func (p *waitProcess) printed(t *testing.T) store.Record {
	t.Helper()
	var rec store.Record
	if err := json.Unmarshal(p.stdout.Bytes(), &rec); err != nil || strings.Count(p.stdout.String(), "\n") != 1 {
		t.Fatalf("stdout %q is not one JSON line: %v", p.stdout.String(), err)
	}
	return rec
}

func sampleOf(t *testing.T, eventType, runID string) []byte {
	t.Helper()
	b, err := sample.Build(eventType, sample.Options{RunID: runID})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWaitExitStatuses(t *testing.T) {
	bin := buildBinary(t)
	withSecret := []string{envSecret + "=" + tailSecret}

	t.Run("0: the verified match, by payload id", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--type", "workflow_run.*", "--id", "workflow_run_mine")
		postDelivery(t, p.url, sampleOf(t, "workflow.deployed", ""), tailSecret, 200)                        // another type
		postDelivery(t, p.url, sampleOf(t, "workflow_run.completed", "workflow_run_other"), tailSecret, 200) // another run
		postDelivery(t, p.url, sampleOf(t, "workflow_run.step_run.processed", "workflow_run_mine"), tailSecret, 200)
		postDelivery(t, p.url, sampleOf(t, "workflow_run.completed", "workflow_run_mine"), "wss_wrong", 200) // unverified
		want := sampleOf(t, "workflow_run.completed", "workflow_run_mine")
		postDelivery(t, p.url, want, tailSecret, 200)
		if code := p.exit(t); code != waitMatched {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		rec := p.printed(t)
		if rec.EventID != extend.ParseEnvelope(want).EventID || rec.Verification != "verified" || rec.Body == nil || *rec.Body != string(want) {
			t.Errorf("printed %+v, want the last delivery", rec)
		}
		if !strings.Contains(p.stderr.String(), "ignored workflow_run.completed event_") || !strings.Contains(p.stderr.String(), "signature invalid") {
			t.Errorf("stderr %q does not report the unverified match", p.stderr.String())
		}
	})

	t.Run("1: a matching failure, by eventId", func(t *testing.T) {
		failed := sampleOf(t, "workflow_run.cancelled", "")
		p := startWait(t, bin, withSecret, "--type", "workflow_run.completed,workflow_run.cancelled", "--id", extend.ParseEnvelope(failed).EventID)
		postDelivery(t, p.url, sampleOf(t, "workflow_run.completed", ""), tailSecret, 200)
		postDelivery(t, p.url, failed, tailSecret, 200)
		if code := p.exit(t); code != waitFailed {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		if rec := p.printed(t); rec.EventType != "workflow_run.cancelled" {
			t.Errorf("printed %s", rec.EventType)
		}
	})

	t.Run("0 without a secret: unchecked counts", func(t *testing.T) {
		p := startWait(t, bin, []string{envSecret + "="}, "--type", "*.processed")
		postDelivery(t, p.url, sampleOf(t, "extract_run.processed", ""), "", 200)
		if code := p.exit(t); code != waitMatched {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		if rec := p.printed(t); rec.Verification != "unchecked" {
			t.Errorf("printed %s", rec.Verification)
		}
		if !strings.Contains(p.stderr.String(), "no signing secret") {
			t.Errorf("stderr %q does not say nothing is verified", p.stderr.String())
		}
	})

	t.Run("2: timeout", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--type", "workflow_run.completed", "--timeout", "300ms")
		postDelivery(t, p.url, sampleOf(t, "workflow_run.needs_review", ""), tailSecret, 200)
		if code := p.exit(t); code != waitTimedOut {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		if p.stdout.Len() != 0 || p.stderr.String() != "extend-inspect: no matching delivery within 300ms\n" {
			t.Errorf("stdout %q, stderr %q", p.stdout.String(), p.stderr.String())
		}
	})

	t.Run("2: interrupted", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--type", "workflow_run.completed")
		if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		if code := p.exit(t); code != waitTimedOut || !strings.Contains(p.stderr.String(), "interrupted before a matching delivery arrived") {
			t.Errorf("exit %d, stderr %q", code, p.stderr.String())
		}
	})

	t.Run("3: usage error", func(t *testing.T) {
		cmd := exec.Command(bin, "wait", "--type", "workflow_run.[")
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != waitUsage || !strings.Contains(string(out), `"--type" flag: bad pattern`) {
			t.Errorf("exit %d, output %q", code, out)
		}
	})
}

func TestWaitUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "say what to wait for with --type GLOB"},
		{[]string{"--type", "["}, `"--type" flag: bad pattern`},
		{[]string{"--type", "x", "--timeout", "soon"}, `invalid argument "soon" for "--timeout" flag`},
		{[]string{"--type", "x", "--timeout", "-1s"}, `"--timeout" flag: must not be negative`},
		{[]string{"--type", "x", "--nope"}, "unknown flag: --nope"},
		{[]string{"--type", "x", "--capacity", "0"}, `"--capacity" flag: must be at least 1`},
		{[]string{"workflow_run.completed"}, `wait takes no arguments, got "workflow_run.completed"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"wait"}, c.args...)...)
			if code != waitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 3 and one line with %q", code, stdout, stderr, c.want)
			}
		})
	}
}
