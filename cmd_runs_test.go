package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// testdata/runs-session.jsonl is a recorded session: a workflow run that
// completes after three steps, one that fails after its parse step, and a
// standalone extract run.
const runsSession = "testdata/runs-session.jsonl"

func TestRunsText(t *testing.T) {
	code, stdout, stderr := runCLI(t, "runs", runsSession)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || stderr != "" || len(lines) != 4 || !strings.HasPrefix(lines[0], "RUN ID") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	for i, want := range [][]string{
		{"workflow_run_DnMBUrtz7ckpfAm6rGX4", "workflow_run", "Vendor Bill Processing", "PROCESSED", " 4 ", " 3 ", "45.3s"},
		{"workflow_run_sesDyy6L7pmc6EqRh0ni", "AP Invoice Intake", "FAILED", " 2 ", " 1 ", "INTERNAL_ERROR"},
		{"exr_GgnyZfdtMAiZGYQa3nIO", "extract_run", "PROCESSED"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("line %d %q lacks %q", i+1, lines[i+1], w)
			}
		}
	}
}

func TestRunsJSON(t *testing.T) {
	for _, flag := range []string{"--json", "-o=json"} {
		code, stdout, _ := runCLI(t, "runs", runsSession, flag, "--kind", "workflow_run")
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if code != 0 || len(lines) != 2 {
			t.Fatalf("%s: exit %d, stdout %s", flag, code, stdout)
		}
		want := []string{
			`{"runId":"workflow_run_DnMBUrtz7ckpfAm6rGX4","runKind":"workflow_run","name":"Vendor Bill Processing","status":"PROCESSED","finished":true,"events":4,"steps":3,"durationMs":45305,"failureReason":"","seqs":[1,2,3,4]}`,
			`{"runId":"workflow_run_sesDyy6L7pmc6EqRh0ni","runKind":"workflow_run","name":"AP Invoice Intake","status":"FAILED","finished":true,"events":2,"steps":1,"durationMs":45585,"failureReason":"INTERNAL_ERROR","seqs":[5,6]}`,
		}
		for i := range want {
			if lines[i] != want[i] {
				t.Errorf("%s line %d:\n got %s\nwant %s", flag, i, lines[i], want[i])
			}
			var fields map[string]any
			if err := json.Unmarshal([]byte(lines[i]), &fields); err != nil || len(fields) != 10 {
				t.Errorf("line %d: %v, %d fields; want exactly the 10 documented", i, err, len(fields))
			}
		}
	}
}

func TestRunsExitStatuses(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--fail-on-failure"}, 1, "INTERNAL_ERROR"},
		{[]string{"--fail-on-failure", "--status", "PROC*"}, 0, "Vendor Bill Processing"},
		{[]string{"--status", "failed", "--json"}, 0, `"status":"FAILED"`},
		{[]string{"-o", "yaml"}, 2, ""},
		{[]string{"--status", "["}, 2, ""},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, append([]string{"runs", runsSession}, c.args...)...)
		if code != c.code || !strings.Contains(stdout, c.out) || (code == 2 && strings.Count(stderr, "\n") != 1) {
			t.Errorf("runs %v: exit %d, stdout %q, stderr %q; want %d and %q", c.args, code, stdout, stderr, c.code, c.out)
		}
	}
	if code, _, _ := runCLI(t, "runs"); code != 2 {
		t.Errorf("runs without a file: exit %d, want 2", code)
	}
}
