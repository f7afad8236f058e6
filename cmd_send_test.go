package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
)

// Samples sent by the real send to a real tail come out as the flags say:
// every type verified, and each rehearsal with the outcome it rehearses.
func TestSendToTail(t *testing.T) {
	bin := buildBinary(t)
	p := startTail(t, bin, "--secret", tailSecret)
	send := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"send", "--to", p.url + "/hooks", "--secret", tailSecret}, args...)...)
		cmd.Env = append(os.Environ(), envSecret+"=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("send %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	all := extend.TypesIn(extend.V20260209)
	out := send("--all")
	if n := strings.Count(out, "\n"); n != len(all) {
		t.Fatalf("send --all printed %d lines, want %d:\n%s", n, len(all), out)
	}
	for _, want := range all {
		rec := p.next(t)
		if rec["eventType"] != want.Name || rec["verification"] != "verified" || rec["path"] != "/hooks" {
			t.Errorf("got %v %v at %v, want %s verified at /hooks", rec["eventType"], rec["verification"], rec["path"], want.Name)
		}
		if !strings.Contains(out, "200 OK  "+want.Name+" ") {
			t.Errorf("no report line for %s", want.Name)
		}
	}

	for flag, outcome := range map[string]string{"--bad-signature": "invalid", "--stale": "stale", "--unsigned": "missing"} {
		out := send("extract_run.failed", flag)
		if !strings.HasPrefix(out, "200 OK  extract_run.failed") || !strings.Contains(out, ", accepted") {
			t.Errorf("%s: report %q", flag, out)
		}
		if rec := p.next(t); rec["verification"] != outcome {
			t.Errorf("%s arrived %v, want %s", flag, rec["verification"], outcome)
		}
	}
}

func TestSendToAClosedPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	code, stdout, stderr := runCLI(t, "send", "--listen", addr, "--secret", tailSecret, "workflow_run.completed", "--count", "3")
	want := "extend-inspect: cannot reach http://" + addr + "/: connection refused — is extend-inspect running?"
	if code != 1 || !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and one line starting %q", code, stdout, stderr, want)
	}
	code, _, stderr = runCLI(t, "send", "--to", "http://"+addr+"/hook", "--secret", tailSecret, "workflow.created")
	if code != 1 || !strings.Contains(stderr, "connection refused — is your app running") {
		t.Errorf("--to: exit %d, stderr %q", code, stderr)
	}
}

// app is a stand-in for the user's app: it records what arrives and answers
// status.
type app struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	checks []extend.Check
}

func newApp(t *testing.T, status int) *app {
	a := &app{}
	v := extend.NewVerifier(tailSecret)
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		a.bodies = append(a.bodies, body)
		a.checks = append(a.checks, v.Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, time.Now()))
		a.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(a.Close)
	return a
}

func TestSendReportsFailedDeliveries(t *testing.T) {
	a := newApp(t, http.StatusInternalServerError)
	code, stdout, stderr := runCLI(t, "send", "--to", a.URL, "--secret", tailSecret, "workflow_run.*", "--count", "2")
	if code != 1 || stderr != "extend-inspect: 12 of 12 deliveries failed\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if n := strings.Count(stdout, "500 Internal Server Error  workflow_run."); n != 12 {
		t.Errorf("%d report lines with the 500, want 12:\n%s", n, stdout)
	}
}

// A rehearsal that the app refuses, as it should, is not a failure.
func TestSendRehearsalRefusedByTheApp(t *testing.T) {
	a := newApp(t, http.StatusUnauthorized)
	code, stdout, stderr := runCLI(t, "send", "--to", a.URL, "--secret", "", "--bad-signature", "classify_run.processed")
	if code != 0 || !strings.HasSuffix(stdout, "bad signature, refused\n") || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if len(a.checks) != 1 || a.checks[0].Outcome != extend.Invalid {
		t.Errorf("the app saw %v, want one invalid signature", a.checks)
	}
}

func TestSendFileByteForByte(t *testing.T) {
	a := newApp(t, http.StatusOK)
	own := []byte("{\"eventId\":\"evt_mine\",\"eventType\":\"workflow_run.completed\",\n \"payload\":{\"id\":\"workflow_run_1\"}}")
	path := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(path, own, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envSecret, tailSecret)
	code, stdout, stderr := runCLI(t, "send", "--to", a.URL, "--file", path, "--count", "2")
	if code != 0 || !strings.Contains(stdout, "200 OK  workflow_run.completed           evt_mine  → "+a.URL) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for i, b := range a.bodies {
		if string(b) != string(own) || a.checks[i].Outcome != extend.Verified {
			t.Errorf("delivery %d: %q %s, want the file's bytes, verified", i, b, a.checks[i].Outcome)
		}
	}
	if len(a.bodies) != 2 {
		t.Errorf("%d deliveries, want 2", len(a.bodies))
	}
}

func TestSendSetAndSignedURL(t *testing.T) {
	a := newApp(t, http.StatusOK)
	code, _, stderr := runCLI(t, "send", "--to", a.URL, "--secret", tailSecret, "--signed-url", "--api-version", "2025-04-21",
		"workflow_run.completed", "--set", "payload.metadata.tenant=acme")
	if code != 0 || len(a.bodies) != 1 {
		t.Fatalf("exit %d, %d deliveries, stderr %q", code, len(a.bodies), stderr)
	}
	env := extend.ParseEnvelope(a.bodies[0])
	if !env.IsSignedURL() || !strings.Contains(string(a.bodies[0]), `"tenant": "acme"`) || a.checks[0].Outcome != extend.Verified {
		t.Errorf("got %s (%s), want a verified signed-URL delivery with tenant acme", a.bodies[0], a.checks[0].Outcome)
	}
}

func TestSendScenarioList(t *testing.T) {
	code, stdout, _ := runCLI(t, "send", "--scenario", "list")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, sc := range sample.Scenarios() {
		if !strings.Contains(stdout, sc.Name+" ") || !strings.Contains(stdout, sc.Description) {
			t.Errorf("list lacks %s:\n%s", sc.Name, stdout)
		}
	}
}

func TestSendUsageErrors(t *testing.T) {
	t.Setenv(envSecret, tailSecret)
	cases := []struct {
		args []string
		want string
	}{
		{nil, "say what to send"},
		{[]string{"nope.created"}, `unknown event type "nope.created" (see extend-inspect types`},
		{[]string{"nope.*"}, `"nope.*" matches no event type of API version 2026-02-09`},
		{[]string{"processor.created"}, "pass --api-version 2025-04-21"},
		{[]string{"workflow.created", "--all"}, "--all sends every event type"},
		{[]string{"--scenario", "nope"}, `unknown scenario "nope" (see extend-inspect send --scenario list)`},
		{[]string{"--scenario", "demo", "--count", "2"}, "--count does not apply to --scenario"},
		{[]string{"--scenario", "demo", "workflow.created"}, "--scenario plays its own event types"},
		{[]string{"--file", "x.json", "workflow.created"}, "--file sends your own body"},
		{[]string{"--file", "does-not-exist.json"}, "--file: open does-not-exist.json"},
		{[]string{"workflow.created", "--unsigned", "--stale"}, "--unsigned and --stale cannot be combined"},
		{[]string{"workflow.created", "--set", "payload"}, `"--set" flag: "payload" is not path=value`},
		{[]string{"workflow.created", "--set", "payload.a.b=1"}, `set payload.a.b: payload: no field "a"`},
		{[]string{"workflow.created", "--to", "localhost:3000"}, `"--to" flag: want an http:// or https:// URL`},
		{[]string{"workflow.created", "--rate", "0"}, `"--rate" flag`},
		{[]string{"workflow.created", "--count", "0"}, `"--count" flag: must be at least 1`},
		{[]string{"workflow.created", "--api-version", "2024-12-23", "--signed-url"}, "no signed-download-URL delivery"},
		{[]string{"workflow.created", "--secret", ""}, "no signing secret: pass --secret or set EXTEND_WEBHOOK_SECRET"},
		{[]string{"workflow.created", "--listen", "127.0.0.1:0"}, "pass --to URL"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"send"}, c.args...)...)
			if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line with %q", code, stdout, stderr, c.want)
			}
			if strings.Contains(stderr, tailSecret) {
				t.Error("the message shows the secret")
			}
		})
	}
}

// send --serve-signed points its links at its own download server and
// keeps it up until interrupted: the link fetches while send runs.
func TestSendServeSigned(t *testing.T) {
	a := newApp(t, http.StatusOK)
	cmd := exec.Command(buildBinary(t), "send", "--to", a.URL, "--secret", tailSecret, "--serve-signed", "extract_run.processed")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line := make([]byte, 200)
	n, _ := io.ReadAtLeast(stderr, line, len("serving the signed links at http://127.0.0.1:"))
	if !strings.HasPrefix(string(line[:n]), "serving the signed links at http://127.0.0.1:") {
		t.Fatalf("stderr %q", line[:n])
	}
	a.mu.Lock()
	body := a.bodies[0]
	a.mu.Unlock()
	env := extend.ParseEnvelope(body)
	got, err := deliver.Fetcher{}.Fetch(t.Context(), env.SignedURL())
	if err != nil || !strings.Contains(string(got.Payload), `"object": "extract_run"`) {
		t.Fatalf("fetch %s: %v %.80s", env.SignedURL(), err, got.Payload)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("send after the interrupt: %v", err)
	}
}
