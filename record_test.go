package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// tail --record writes every delivery to the session file as it is stored,
// byte for byte, and the file reopens.
func TestTailRecordsTheSession(t *testing.T) {
	bin := buildBinary(t)
	file := filepath.Join(t.TempDir(), "session.jsonl")
	p := startTail(t, bin, "--record", file)
	var sent [][]byte
	for _, typ := range []string{"workflow_run.completed", "extract_run.failed", "splitter.deleted"} {
		body, err := sample.Build(typ, sample.Options{})
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
		if !bytes.Equal(storetest.Body(ev), sent[i]) || ev.URI() == "" {
			t.Errorf("delivery %d recorded as %q at %q", i+1, storetest.Body(ev), ev.URI())
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
		body, err := sample.Build(typ, sample.Options{})
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

// 13.3: with --forward-to, the recording holds each forward result, which
// comes in after the delivery was stored, and reopening restores it.
func TestRecordKeepsTheForwardResults(t *testing.T) {
	bin := buildBinary(t)
	app := startApp(t, http.StatusAccepted)
	file := filepath.Join(t.TempDir(), "session.jsonl")
	p := startTail(t, bin, "--record", file, "--forward-to", app.URL+"/hooks")
	postDelivery(t, p.url, []byte(`{"eventId":"evt_1","eventType":"workflow.created","payload":{}}`), "", 200)
	p.next(t)
	if _, code := p.interrupt(t); code != 0 {
		t.Fatalf("exit %d: %s", code, p.stderr)
	}
	events, warn, err := session.ReadFile(file, defaultOptions().sessionOptions())
	if err != nil || warn != nil || len(events) != 1 {
		t.Fatalf("read %d events, %v, %v", len(events), warn, err)
	}
	if f := events[0].Forward(); f == nil || f.Status != http.StatusAccepted || f.URL != app.URL+"/hooks" {
		t.Errorf("forward = %+v", f)
	}
}

// 13.6: every delivery that could not be recorded is counted and reported.
func TestRecordCountsWhatItCouldNotWrite(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	bin := buildBinary(t)
	p := startTail(t, bin, "--record", "/dev/full")
	for range 3 {
		postDelivery(t, p.url, []byte(`{}`), "", 200)
		p.next(t)
	}
	_, code := p.interrupt(t)
	stderr := p.stderr.String()
	if code != 1 || strings.Count(stderr, "no space left on device") != 2 || // when it first failed, and in the summary
		!strings.Contains(stderr, "--record: 3 deliveries or forward results not recorded in /dev/full") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// 13.9: --record refuses a link and a file that is not a session file, and
// leaves them as they were.
func TestRecordRefusesWhatIsNotASession(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	os.WriteFile(config, []byte("{\"debug\": true}\n"), 0o644)
	link := filepath.Join(dir, "session.jsonl")
	os.Symlink(config, link)
	for path, want := range map[string]string{link: "is a symbolic link", config: "is not a session file"} {
		out, code := runBinary(t, bin, "tail", "--listen", "127.0.0.1:0", "--record", path)
		if code != 1 || !bytes.Contains(out, []byte("--record: ")) || !bytes.Contains(out, []byte(want)) {
			t.Errorf("%s: exit %d: %s", path, code, out)
		}
	}
	if b, _ := os.ReadFile(config); string(b) != "{\"debug\": true}\n" {
		t.Errorf("config.json became %q", b)
	}
}

// 13.10: tail's lines carry C1 controls and bidi overrides escaped, and
// the body decodes to the exact bytes sent.
func TestTailEscapesWhatTerminalsObey(t *testing.T) {
	bin := buildBinary(t)
	p := startTail(t, bin)
	body := "{\"note\":\"\u009b31m \u0085 \u202egnp.exe \u2066x\u2069\"}"
	postDelivery(t, p.url, []byte(body), "", 200)
	if !p.lines.Scan() {
		t.Fatal(p.lines.Err())
	}
	line := p.lines.Text()
	if strings.ContainsAny(line, "\u009b\u0085\u202e\u2066\u2069") || !strings.Contains(line, `\u009b31m \u0085 \u202egnp.exe`) {
		t.Errorf("line = %q", line)
	}
	var rec struct{ Body string }
	if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Body != body {
		t.Errorf("body %q, %v", rec.Body, err)
	}
	p.interrupt(t)
}
