package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

const (
	fixtures   = "testdata/fixtures"
	tailSecret = "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU"
)

// tailProcess is a running `extend-inspect tail`.
type tailProcess struct {
	cmd    *exec.Cmd
	url    string
	lines  *bufio.Scanner // stdout
	stderr *bytes.Buffer  // stderr after the readiness line; read it after interrupt
	copied chan struct{}  // closed when stderr is closed
}

// startTail runs the binary and waits for its readiness line.
func startTail(t *testing.T, bin string, args ...string) *tailProcess {
	t.Helper()
	return startTailEnv(t, bin, []string{envSecret + "="}, args...)
}

// startTailEnv runs the binary with env added to the test's environment
// and waits for its readiness line; the warnings and notes before it go to
// stderr.
func startTailEnv(t *testing.T, bin string, env []string, args ...string) *tailProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"tail", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &tailProcess{cmd: cmd, lines: bufio.NewScanner(stdout), stderr: &bytes.Buffer{}, copied: make(chan struct{})}
	p.lines.Buffer(nil, 64<<20)
	t.Cleanup(func() { cmd.Process.Kill() })

	errLines := bufio.NewReader(stderr)
	ready, err := errLines.ReadString('\n')
	for err == nil && strings.HasPrefix(ready, "extend-inspect: ") {
		p.stderr.WriteString(ready)
		ready, err = errLines.ReadString('\n')
	}
	if err != nil {
		t.Fatalf("no readiness line: %v (stderr: %s)", err, p.stderr)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(ready), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("readiness line %q", ready)
	}
	p.url = url
	go func() {
		io.Copy(p.stderr, errLines)
		close(p.copied)
	}()
	return p
}

// next reads one NDJSON line.
func (p *tailProcess) next(t *testing.T) map[string]any {
	t.Helper()
	if !p.lines.Scan() {
		t.Fatalf("stdout ended: %v", p.lines.Err())
	}
	var rec map[string]any
	if err := json.Unmarshal(p.lines.Bytes(), &rec); err != nil {
		t.Fatalf("line is not JSON: %v\n%s", err, p.lines.Bytes())
	}
	return rec
}

// interrupt sends SIGINT and returns the remaining lines and the exit
// status. A tail that does not exit is killed after a generous delay, which
// fails the test instead of hanging it.
func (p *tailProcess) interrupt(t *testing.T) (rest []map[string]any, code int) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var killed atomic.Bool
	timer := time.AfterFunc(30*time.Second, func() { killed.Store(true); p.cmd.Process.Kill() })
	defer timer.Stop()
	for p.lines.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(p.lines.Bytes(), &rec); err != nil {
			t.Fatalf("line is not JSON: %v", err)
		}
		rest = append(rest, rec)
	}
	<-p.copied
	p.cmd.Wait() // only after every read: Wait closes the pipes
	if killed.Load() {
		t.Fatal("tail did not exit after SIGINT")
	}
	return rest, p.cmd.ProcessState.ExitCode()
}

// postDelivery POSTs body, signed with secret unless it is empty, and checks the
// acknowledgement.
func postDelivery(t *testing.T, url string, body []byte, secret string, wantStatus int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set(extend.HeaderTimestamp, ts)
		req.Header.Set(extend.HeaderSignature, extend.Sign(secret, ts, body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("answer %d, want %d", resp.StatusCode, wantStatus)
	}
}

func TestTail(t *testing.T) {
	bin := buildBinary(t)
	t.Run("fields", func(t *testing.T) { testTailFields(t, bin) })
	t.Run("interrupt flushes everything", func(t *testing.T) { testTailInterrupt(t, bin) })
	t.Run("type filter", func(t *testing.T) { testTailTypeFilter(t, bin) })
	t.Run("bad flag", func(t *testing.T) { testTailBadFlag(t, bin) })
}

func testTailFields(t *testing.T, bin string) {
	p := startTail(t, bin, "--secret", tailSecret, "--max-body", "64KiB")
	paths, err := filepath.Glob(filepath.Join(fixtures, "*.json"))
	if err != nil || len(paths) < 20 {
		t.Fatalf("fixtures: %d, %v", len(paths), err)
	}
	for i, path := range paths {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		postDelivery(t, p.url+"/hooks/"+strconv.Itoa(i)+"?api_version=x", body, tailSecret, http.StatusOK)
		rec := p.next(t)
		env := extend.ParseEnvelope(body)
		want := map[string]any{
			"seq": float64(i + 1), "method": "POST", "path": "/hooks/" + strconv.Itoa(i), "eventId": env.EventID,
			"eventType": env.EventType, "category": extend.CategoryOf(env.EventType).String(),
			"verification": "verified", "size": float64(len(body)), "body": string(body),
		}
		for k, v := range want {
			if rec[k] != v {
				t.Errorf("%s: %s = %v, want %v", filepath.Base(path), k, rec[k], v)
			}
		}
		if _, err := time.Parse(time.RFC3339, rec["receivedAt"].(string)); err != nil {
			t.Errorf("receivedAt: %v", err)
		}
		for _, absent := range []string{"duplicateOf", "parseError", "bodyBase64"} {
			if _, ok := rec[absent]; ok {
				t.Errorf("%s: %s present: %v", filepath.Base(path), absent, rec[absent])
			}
		}
		if h, _ := rec["headers"].(map[string]any); h["X-Extend-Request-Signature"] == nil {
			t.Errorf("headers %v", rec["headers"])
		}
	}

	first, _ := os.ReadFile(paths[0])
	postDelivery(t, p.url, first, tailSecret, http.StatusOK)
	if rec := p.next(t); rec["duplicateOf"] != float64(1) {
		t.Errorf("repeat delivery: duplicateOf %v, want 1", rec["duplicateOf"])
	}
	postDelivery(t, p.url, []byte("not json"), "", http.StatusOK)
	if rec := p.next(t); rec["parseError"] == nil || rec["verification"] != "missing" || rec["category"] != "unknown" {
		t.Errorf("non-JSON delivery: %v", rec)
	}
	postDelivery(t, p.url, []byte{'{', 0xff, '}'}, tailSecret, http.StatusOK)
	if rec := p.next(t); rec["bodyBase64"] != "e/99" || rec["body"] != nil {
		t.Errorf("invalid UTF-8: body %v, bodyBase64 %v", rec["body"], rec["bodyBase64"])
	}
	postDelivery(t, p.url, bytes.Repeat([]byte(" "), 65<<10), tailSecret, http.StatusRequestEntityTooLarge)
	if rec := p.next(t); rec["answer"] != float64(413) || rec["rejected"] == nil || rec["body"] != nil {
		t.Errorf("oversize delivery: %v", rec)
	}
	if _, code := p.interrupt(t); code != 0 {
		t.Errorf("exit status %d, stderr %q", code, p.stderr)
	}
	if strings.Contains(p.stderr.String(), tailSecret) {
		t.Error("stderr shows the secret")
	}
}

// Deliveries acknowledged just before SIGINT are all printed before tail
// exits 0; nothing is read from stdout until then.
func testTailInterrupt(t *testing.T, bin string) {
	p := startTail(t, bin)
	const n = 200
	for i := range n {
		postDelivery(t, p.url, fmt.Appendf(nil, `{"eventId":"event_%d","eventType":"workflow.created"}`, i), "", http.StatusOK)
	}
	rest, code := p.interrupt(t)
	if code != 0 || len(rest) != n {
		t.Fatalf("exit status %d after %d of %d lines; stderr %q", code, len(rest), n, p.stderr)
	}
	for i, rec := range rest {
		if rec["seq"] != float64(i+1) || rec["verification"] != "unchecked" {
			t.Fatalf("line %d: seq %v, verification %v", i, rec["seq"], rec["verification"])
		}
	}
	if _, err := http.Post(p.url, "application/json", nil); err == nil {
		t.Error("still accepting after exit")
	}
}

func testTailTypeFilter(t *testing.T, bin string) {
	p := startTail(t, bin, "--type", "workflow_run.*", "--type", "*.failed")
	types := []string{"workflow_run.completed", "extract_run.processed", "extract_run.failed", "workflow.deployed", "workflow_run.step_run.processed", ""}
	for _, typ := range types {
		postDelivery(t, p.url, fmt.Appendf(nil, `{"eventType":%q}`, typ), "", http.StatusOK)
	}
	rest, code := p.interrupt(t)
	var got []string
	for _, rec := range rest {
		got = append(got, rec["eventType"].(string))
	}
	if code != 0 || strings.Join(got, " ") != "workflow_run.completed extract_run.failed workflow_run.step_run.processed" {
		t.Errorf("exit %d, printed %v", code, got)
	}
}

func testTailBadFlag(t *testing.T, bin string) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "tail", "--capacity", "lots")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.ProcessState.ExitCode() != 2 {
		t.Errorf("exit status %d (%v), want 2", cmd.ProcessState.ExitCode(), err)
	}
	if strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), `"--capacity"`) || stdout.Len() > 0 {
		t.Errorf("stderr %q, stdout %q: want one line naming the flag", stderr.String(), stdout.String())
	}
}

func TestTypeGlobs(t *testing.T) {
	var g typeGlobs
	if err := g.Set("workflow_run.*,*.failed"); err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"workflow_run.completed":          true,
		"workflow_run.step_run.processed": true,
		"extract_run.failed":              true,
		"extract_run.processed":           false,
		"workflow.created":                false,
		"":                                false,
	}
	for typ, want := range cases {
		if got := g.match(typ); got != want {
			t.Errorf("match(%q) = %v, want %v", typ, got, want)
		}
	}
	for _, bad := range []string{"[", "a,", "x[a-"} {
		if err := new(typeGlobs).Set(bad); err == nil {
			t.Errorf("Set(%q) accepted a bad pattern", bad)
		}
	}
}
