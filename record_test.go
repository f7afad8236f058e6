package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/session"
)

// tail --record writes every delivery to the session file as it is stored,
// byte for byte, and the file reopens.
func TestTailRecordsTheSession(t *testing.T) {
	bin := buildBinary(t)
	file := filepath.Join(t.TempDir(), "session.jsonl")
	p := startTail(t, bin, "--record", file)
	var sent [][]byte
	for _, typ := range []string{"workflow_run.completed", "extract_run.failed", "splitter.deleted"} {
		body, err := extend.Sample(typ, extend.SampleOptions{})
		if err != nil {
			t.Fatal(err)
		}
		postDelivery(t, p.url+"/hooks?api_version=2026-02-09", body, "", 200)
		sent = append(sent, body)
	}
	postDelivery(t, p.url, []byte("not json \x1b[2J"), "", 200)
	sent = append(sent, []byte("not json \x1b[2J"))
	if _, code := p.interrupt(t); code != 0 {
		t.Fatalf("exit %d: %s", code, p.stderr)
	}
	events, warn, err := session.ReadFile(file, defaultOptions().sessionOptions())
	if err != nil || warn != nil {
		t.Fatalf("read session: %v, %v", err, warn)
	}
	if len(events) != len(sent) {
		t.Fatalf("recorded %d deliveries, sent %d", len(events), len(sent))
	}
	for i, ev := range events {
		if !bytes.Equal(ev.Body, sent[i]) || ev.URI() == "" {
			t.Errorf("delivery %d recorded as %q at %q", i+1, ev.Body, ev.URI())
		}
	}
	if events[0].Query != "api_version=2026-02-09" {
		t.Errorf("query = %q", events[0].Query)
	}
}

func TestRecordToAnUnwritablePathIsAnError(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	out, code := runBinary(t, bin, "tail", "--listen", "127.0.0.1:0", "--record", filepath.Join(dir, "missing", "session.jsonl"))
	if code != 1 || !bytes.Contains(out, []byte("--record")) {
		t.Errorf("exit %d: %s", code, out)
	}
}

// runBinary runs the binary to completion and returns its combined output
// and exit status.
func runBinary(t *testing.T, bin string, args ...string) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return out, cmd.ProcessState.ExitCode()
}

func TestWaitRecordsWhatItSaw(t *testing.T) {
	bin := buildBinary(t)
	file := filepath.Join(t.TempDir(), "wait.jsonl")
	cmd := exec.Command(bin, "wait", "--listen", "127.0.0.1:0", "--type", "extract_run.*", "--record", file, "--timeout", "30s")
	cmd.Env = append(os.Environ(), envSecret+"=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	errLines := bufio.NewReader(stderr)
	ready, err := errLines.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimPrefix(strings.TrimSpace(ready), "listening on ")
	go io.Copy(io.Discard, errLines)
	for _, typ := range []string{"workflow.created", "extract_run.processed"} {
		body, err := extend.Sample(typ, extend.SampleOptions{})
		if err != nil {
			t.Fatal(err)
		}
		postDelivery(t, url, body, "", 200)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("wait: %v", err)
	}
	events, warn, err := session.ReadFile(file, defaultOptions().sessionOptions())
	if err != nil || warn != nil || len(events) != 2 {
		t.Fatalf("recorded %d (warn %v, err %v)", len(events), warn, err)
	}
}
