package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// fixturesDir holds a copy of the protocol reference's signed-delivery
// fixtures: the project's tests read nothing outside the module.
const fixturesDir = "testdata/fixtures"

// tmuxScreen drives the real binary in a real terminal: a tmux server of
// its own (so the user's sessions are never touched), one 120×40 pane.
type tmuxScreen struct {
	t       *testing.T
	socket  string
	session string
}

func (s *tmuxScreen) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// open starts the tmux server with one w×h pane running command. Keys
// reach the program as sent: with tmux's default escape-time, an ESC
// followed soon by a key would arrive as alt+key.
func (s *tmuxScreen) open(w, h int, command string) {
	s.t.Helper()
	s.run("-f", "/dev/null", "new-session", "-d", "-s", s.session, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "sh", "-c", command)
	s.run("set-option", "-s", "escape-time", "0")
}

func (s *tmuxScreen) capture() string { return s.run("capture-pane", "-p", "-t", s.session) }

func (s *tmuxScreen) keys(keys ...string) {
	s.run(append([]string{"send-keys", "-t", s.session}, keys...)...)
}

func (s *tmuxScreen) typeText(text string) { s.run("send-keys", "-t", s.session, "-l", text) }

// waitFor polls the screen until every want is on it.
func (s *tmuxScreen) waitFor(what string, wants ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := s.capture()
		missing := ""
		for _, w := range wants {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %q never appeared on the screen:\n%s", what, missing, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// post sends one signed delivery over a raw connection, so that the test,
// not an HTTP client's validation, decides every byte of the request.
func post(t *testing.T, addr, path, secret string, body []byte, extraHeaders ...string) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var req bytes.Buffer
	fmt.Fprintf(&req, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", path, addr)
	for _, h := range extraHeaders {
		req.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&req, "%s: %s\r\n%s: %s\r\n", extend.HeaderTimestamp, ts, extend.HeaderSignature, extend.Sign(secret, ts, body))
	fmt.Fprintf(&req, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	req.Write(body)
	if _, err := conn.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("POST %q: %v", path, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %q: status %d", path, resp.StatusCode)
	}
}

// The screen end to end: the real binary in tmux at 120×40, signed
// fixtures over real HTTP, a filter typed with /, hostile deliveries that
// try to drive the terminal, and q, which must exit 0.
func TestScreenEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	fixtures, _ := filepath.Glob(filepath.Join(fixturesDir, "*.json"))
	if len(fixtures) == 0 {
		t.Fatalf("no fixtures in %s", fixturesDir)
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	const secret = "wss_e2e_9fT2qLmX7vKc4RzN8wPd1HsY"
	exitFile, stderrFile := filepath.Join(dir, "exit"), filepath.Join(dir, "stderr")
	s := &tmuxScreen{t: t, socket: fmt.Sprintf("extend-inspect-e2e-%d", os.Getpid()), session: "screen"}
	command := fmt.Sprintf("%s --listen %s --secret %s 2>%s; echo EXIT=$? > %s", bin, addr, secret, stderrFile, exitFile)
	s.open(120, 40, command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	title := s.run("display", "-p", "-t", s.session, "#{pane_title}")

	s.waitFor("empty state", "Waiting for webhooks on http://"+addr, "extend-inspect send --all")

	for _, f := range fixtures {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		post(t, addr, "/webhook", secret, body)
	}
	n := len(fixtures)
	s.waitFor("fixtures", fmt.Sprintf("%d received", n), "Workflow runs", "Processor runs", "Global",
		"workflow_run.completed", "parse_run.processed", fmt.Sprintf("%d of %d shown", n, n))

	// parse_run.processed's eventId, typed into the live filter.
	s.keys("/")
	s.typeText("Rt4Wn8Lq1K")
	s.keys("Enter")
	screen := s.waitFor("filter", fmt.Sprintf("1 of %d shown", n), `text "Rt4Wn8Lq1K"`, "parse_run.processed")
	if strings.Contains(screen, "workflow_run.completed") {
		t.Errorf("the filter left other rows on screen:\n%s", screen)
	}
	s.keys("Escape")
	s.waitFor("filter cleared", fmt.Sprintf("%d of %d shown", n, n))

	// Deliveries that try to set the window title, clear the screen and
	// change colours: in a JSON string, a header value, the path, and a
	// body that is not JSON (the newest, selected as it arrives).
	post(t, addr, "/webhook", secret, []byte(`{"eventId":"evt_hostile","eventType":"workflow_run.failed","payload":{"object":"workflow_run","id":"wr_hostile","status":"FAILED","failureMessage":"\u001b]2;pwned\u0007\u001b[2J\u001b[41mred"}}`))
	post(t, addr, "/webhook", secret, []byte(`{"eventId":"evt_header","eventType":"workflow.created","payload":{}}`),
		"X-Hostile: \x9b2J \xe2\x80\xae \xc2\x9b31m end")
	post(t, addr, "/%1B%5D2;pwned%07%1B%5B2J", secret, []byte(`{"eventId":"evt_path","eventType":"workflow.deleted","payload":{}}`))
	post(t, addr, "/webhook", secret, []byte("\x1b]2;pwned\x07\x1b[2J\x1b[31mred, and not JSON"))
	s.waitFor("hostile deliveries", fmt.Sprintf("%d received", n+4), "(not a JSON object)", "Workflow runs", "parse_run.processed")

	if got := s.run("display", "-p", "-t", s.session, "#{pane_title}"); got != title {
		t.Errorf("a delivery changed the window title from %q to %q", title, got)
	}
	s.keys("w") // the raw bytes, escapes shown as text
	s.waitFor("raw view", `\x1b]2;pwned\x07\x1b[2J\x1b[31mred, and not JSON`)
	s.keys("k", "h") // the path's delivery, its request line
	s.waitFor("path", `POST /\x1b]2;pwned\x07\x1b[2J`)
	s.keys("k") // the header's delivery
	s.waitFor("header value", `X-Hostile: \x9b2J \u202e \u009b31m end`)
	s.keys("/") // the JSON string, decoded in the summary
	s.typeText("evt_hostile")
	s.keys("Enter", "s")
	s.waitFor("summary", "1 of", `\x1b]2;pwned\x07\x1b[2J\x1b[41mred`)
	if got := s.run("display", "-p", "-t", s.session, "#{pane_title}"); got != title {
		t.Errorf("a delivery changed the window title from %q to %q", title, got)
	}

	// The review scenario: a run held for review, then approved with its
	// total corrected; the approval's fields and its edit.
	s.keys("Escape")
	send := exec.Command(bin, "send", "--scenario", "review", "--listen", addr, "--secret", secret)
	if out, err := send.CombinedOutput(); err != nil {
		t.Fatalf("send --scenario review: %v\n%s", err, out)
	}
	s.waitFor("review scenario", fmt.Sprintf("%d received", n+6), "workflow_run.needs_review")
	s.keys("/")
	s.typeText("ap-lead@northwind")
	s.keys("Enter", "x")
	s.waitFor("fields", "1 of", "no field below 0.80", "total.amount", "conf")
	s.keys("d")
	s.waitFor("review", "reviewed by ap-lead@northwind.example", "~ total.amount", " → ", "Digits transposed")

	// The run scenario: a workflow run's step runs, then its completion;
	// T shows them in order, i keeps the run's events only.
	s.keys("Escape")
	s.waitFor("review filter cleared", fmt.Sprintf("%d of %d shown", n+6, n+6))
	s.keys("F") // apart from Escape, which it would make alt+F
	send = exec.Command(bin, "send", "--scenario", "run", "--listen", addr, "--secret", secret)
	if out, err := send.CombinedOutput(); err != nil {
		t.Fatalf("send --scenario run: %v\n%s", err, out)
	}
	s.waitFor("run scenario", fmt.Sprintf("%d received", n+11))
	s.keys("T")
	screen = s.waitFor("run view", "Workflow run workflow_run_", "PROCESSED, finished", "5 stored, 4 of them step runs")
	last := -1
	for _, step := range []string{"PARSE", "CLASSIFY", "EXTRACT", "RULE_VALIDATION", "› "} {
		at := strings.Index(screen, step)
		if at <= last {
			t.Fatalf("the Run view does not show %s after the steps before it:\n%s", step, screen)
		}
		last = at
	}
	s.keys("i")
	s.waitFor("run filter", fmt.Sprintf("5 of %d shown", n+11), "run workflow_run_")
	s.keys("Escape")
	s.waitFor("run filter cleared", fmt.Sprintf("%d of %d shown", n+11, n+11))

	// Reading a payload: the filter's query found in the payload with n,
	// which focuses the pane, and the object around it folded with z. (The
	// filters are cleared: the screen has taken the esc before this key, so
	// the two cannot be read as one alt+p.)
	s.keys("p", "/")
	s.typeText("invoice_number")
	s.keys("Enter", "n")
	s.waitFor("match-next", `"invoice_number"`, "match 1 of")
	s.keys("z")
	s.waitFor("fold", "{…}")

	s.keys("q")
	if got := s.waitExit(exitFile); got != "EXIT=0" {
		t.Errorf("after q: %s, want EXIT=0", got)
	}
	summary := fmt.Sprintf("extend-inspect: %d received, 0 evicted, 0 never shown\n", n+11)
	if stderr, _ := os.ReadFile(stderrFile); string(stderr) != summary {
		t.Errorf("stderr after q: %q, want %q", stderr, summary)
	}
}

// waitExit waits for the line `echo EXIT=$? > exitFile` writes when the
// program ends, and returns it.
func (s *tmuxScreen) waitExit(exitFile string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := os.ReadFile(exitFile)
		if err == nil && strings.Contains(string(out), "EXIT=") {
			return strings.TrimSpace(string(out))
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the program did not exit:\n%s", s.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The screen's own flags are checked before anything starts: exit status 2
// and one line naming the flag and what would be right.
func TestScreenFlagErrors(t *testing.T) {
	badKeys := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(badKeys, []byte(`{"qiut": "q"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--theme", "solarized"}, `--theme: unknown theme "solarized" (want one of dark, light, high-contrast, mono)`},
		{[]string{"--keys", badKeys}, `unknown action "qiut"`},
		{[]string{"--keys", filepath.Join(t.TempDir(), "missing.json")}, "read key bindings"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, append([]string{"--listen", "127.0.0.1:0"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line containing %q", c.args, code, stderr, c.want)
		}
	}
}
