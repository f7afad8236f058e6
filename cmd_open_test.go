package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

func TestOpenUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.jsonl")
	code, stdout, stderr := runCLI(t, "open", missing)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "open session") || !strings.Contains(stderr, missing) ||
		strings.Count(stderr, "\n") != 1 {
		t.Errorf("missing file: exit %d, stderr %q; want 1 and one line naming the file", code, stderr)
	}
	code, _, stderr = runCLI(t, "open")
	if code != 2 || !strings.Contains(stderr, "takes one session file, got 0") {
		t.Errorf("no argument: exit %d, stderr %q; want 2", code, stderr)
	}
}

// open's --help gives open's own default --capacity, and the screen's its own.
func TestOpenHelpGivesItsCapacityDefault(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"open", "--help"}, "(default 1000000)"},
		{[]string{"--help"}, "(default 10000)"},
	} {
		_, stdout, _ := runCLI(t, c.args...)
		at := strings.Index(stdout, "--capacity N")
		if at < 0 {
			t.Fatalf("%v: no --capacity in\n%s", c.args, stdout)
		}
		flag, _, _ := strings.Cut(stdout[at:], "--max-memory")
		if !strings.Contains(flag, c.want) {
			t.Errorf("%v: --capacity reads %q; want %s", c.args, flag, c.want)
		}
	}
}

// sessionFile writes a JSONL session of n sample deliveries, its last line
// cut short as an interrupted recording leaves it.
func sessionFile(t *testing.T, n int) string {
	t.Helper()
	var lines []byte
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := range n {
		body, err := sample.Build("workflow_run.completed", sample.Options{Now: at})
		if err != nil {
			t.Fatal(err)
		}
		ev := &store.Event{Seq: uint64(i + 1), ReceivedAt: at, Method: "POST", Path: "/webhook",
			Status: 200}
		ev.SetHeaders([]store.Header{{Name: "Content-Type", Value: "application/json"}})
		ev.SetBody(body)
		ev.Classify()
		line, err := ev.MarshalLine()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line...)
	}
	lines = append(lines, `{"seq":99,"receivedAt":"2026-11-`...)
	path := filepath.Join(t.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, lines, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// open shows a session without a receiver, reports its truncated last line
// on the screen and after it, and exports from it.
func TestOpenEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	bin := buildBinary(t)
	file := sessionFile(t, 3)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	exitFile, errFile := filepath.Join(dir, "exit"), filepath.Join(dir, "stderr")
	s := &tmuxScreen{t: t, socket: fmt.Sprintf("extend-inspect-open-%d", os.Getpid()), session: "open"}
	command := fmt.Sprintf("%s open %s --export-dir %s 2>%s; echo EXIT=$? > %s", bin, file, out, errFile, exitFile)
	s.open(120, 40, command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })

	screen := s.waitFor("session", "session "+file+" · not receiving", "3 of 3 shown", "line 4 is cut short")
	if strings.Contains(screen, "listening on") {
		t.Errorf("the header claims to listen:\n%s", screen)
	}
	s.keys("V")
	s.waitFor("marks", "3 marked")
	s.keys("e")
	s.waitFor("dialog", "Export 3 events", "directory: "+out)
	s.keys("Enter")
	s.waitFor("export", "wrote 1 file (3 events) to "+out)
	events, warn, err := session.ReadFile(filepath.Join(out, "events.jsonl"), defaultOptions().sessionOptions())
	if err != nil || warn != nil || len(events) != 3 {
		t.Errorf("exported %d events, %v, %v", len(events), warn, err)
	}

	s.keys("q")
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, err := os.ReadFile(exitFile)
		if err == nil && strings.Contains(string(got), "EXIT=") {
			if strings.TrimSpace(string(got)) != "EXIT=0" {
				t.Errorf("after q: %s, want EXIT=0", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program did not exit after q:\n%s", s.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if stderr, _ := os.ReadFile(errFile); !strings.Contains(string(stderr), "warning: "+file+": line 4 is cut short") {
		t.Errorf("stderr after the screen: %q", stderr)
	}
}

// open with --listen receives too: new deliveries join the session's.
func TestOpenWithListenReceives(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	bin := buildBinary(t)
	session := sessionFile(t, 2)
	addr := freeAddr(t)
	s := &tmuxScreen{t: t, socket: fmt.Sprintf("extend-inspect-open-listen-%d", os.Getpid()), session: "open"}
	command := fmt.Sprintf("%s open %s --listen %s", bin, session, addr)
	s.open(120, 40, command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })

	s.waitFor("session", "listening on http://"+addr, "2 of 2 shown")
	post(t, addr, "/webhook", "wss_unused", []byte(`{"eventId":"evt_new","eventType":"workflow.created","payload":{}}`))
	s.waitFor("a new delivery", "3 of 3 shown", "workflow.created")
	s.keys("q")
}

// 13.3 and 13.4: open keeps the seq, attempt and duplicateOf a session was
// recorded with, gaps and all, and the forward results recorded after the
// deliveries; the exports of the screen show the same numbers.
func TestOpenKeepsWhatWasRecorded(t *testing.T) {
	var lines []byte
	for i, seq := range []uint64{5, 9, 13} {
		ev := &store.Event{Seq: seq, Method: "POST", Path: "/hooks", Status: 200, Attempt: int32(i + 1)}
		ev.SetBody([]byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{}}`))
		if seq != 5 {
			ev.SetDuplicateOf(5)
		}
		ev.Classify()
		line, err := ev.MarshalLine()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line...)
	}
	lines = append(lines, `{"seq":9,"update":"forward","forward":{"url":"http://localhost:3000/","status":500,"latencyMs":7}}`+"\n"...)
	file := filepath.Join(t.TempDir(), "session.jsonl")
	if err := os.WriteFile(file, lines, 0o600); err != nil {
		t.Fatal(err)
	}
	st, loading, err := openSession(defaultOptions(), file)
	if err != nil {
		t.Fatalf("openSession: %v", err)
	}
	if warn := loading.Wait(); warn != nil {
		t.Fatalf("openSession: %v", warn)
	}
	for i, ev := range st.All() {
		if ev.Seq != []uint64{5, 9, 13}[i] || int(ev.Attempt) != i+1 || ev.DuplicateOf() != []uint64{0, 5, 5}[i] {
			t.Errorf("event %d: seq %d, attempt %d, duplicate of %d", i, ev.Seq, ev.Attempt, ev.DuplicateOf())
		}
	}
	if ev, ok := st.Get(9); !ok || ev.Forward() == nil || ev.Forward().Status != 500 {
		t.Errorf("#9 lost its forward result")
	}
	res, err := export.Write(context.Background(), st.All(), export.Options{Dir: t.TempDir(), Format: export.JSON})
	if err != nil || len(res.Files) != 6 || !strings.Contains(res.Files[2], "000009-workflow_run.completed-evt_1") {
		t.Errorf("export: %v, %v", res.Files, err)
	}
}
