package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
)

// writeSession records one sample of each type as a JSONL session file.
func writeSession(t *testing.T, types ...string) string {
	t.Helper()
	var session bytes.Buffer
	for i, typ := range types {
		body, err := sample.Build(typ, sample.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ev := &store.Event{Seq: uint64(i + 1), Method: "POST", Path: "/hooks", Status: 200}
		ev.SetHeaders([]store.Header{{Name: "Content-Type", Value: "application/json"}})
		ev.SetBody(body)
		ev.Classify()
		line, err := ev.MarshalLine()
		if err != nil {
			t.Fatal(err)
		}
		session.Write(line)
	}
	path := filepath.Join(t.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, session.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportFiltersAndWrites(t *testing.T) {
	file := writeSession(t, "workflow_run.completed", "extract_run.failed", "workflow.deployed", "parse_run.failed")
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"export", file, "--format", "jsonl", "--out", out, "--type", "*.failed", "--category", "processor_run"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "(2 events)") {
		t.Errorf("summary = %q", stdout.String())
	}
	events, warn, err := session.ReadFile(filepath.Join(out, "events.jsonl"), defaultOptions().sessionOptions())
	if err != nil || warn != nil || len(events) != 2 {
		t.Fatalf("exported %d events (warn %v, err %v)", len(events), warn, err)
	}
	for _, ev := range events {
		if !strings.HasSuffix(ev.EventType(), ".failed") || ev.Category != extend.CategoryProcessorRun {
			t.Errorf("%s (%s) let through", ev.EventType(), ev.Category)
		}
	}
}

func TestExportUsageErrors(t *testing.T) {
	session := writeSession(t, "workflow_run.completed")
	for name, args := range map[string][]string{
		"bad format":   {"export", session, "--format", "xml"},
		"bad category": {"export", session, "--category", "runs"},
		"no file":      {"export"},
		"two files":    {"export", session, session},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if lines := strings.Count(stderr.String(), "\n"); lines != 1 {
				t.Errorf("want one line on stderr, got %q", stderr.String())
			}
		})
	}
}

func TestExportNothingMatches(t *testing.T) {
	session := writeSession(t, "workflow_run.completed")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"export", session, "--type", "splitter.*", "--out", t.TempDir()}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "nothing written") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// 13.8: a file with no end of line, such as /dev/zero, ends in a clear
// error instead of a process that grows until it is killed.
func TestExportOfAnEndlessFileEnds(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "export", "/dev/zero", "--out", t.TempDir()).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "read session /dev/zero: line 1 is over 63307776 bytes") {
		t.Errorf("%v: %s", err, out)
	}
}
