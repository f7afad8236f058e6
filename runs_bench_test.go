package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/runs"
)

// runs over a 100,000-event session must cost at most 1.5 × what open
// spends reading the file: compare BenchmarkRunsSession with
// BenchmarkReadSession in the same run.
func benchSession(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "s.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	var run string
	for i := range 100_000 {
		typ, step := "workflow_run.step_run.processed", "RULE_VALIDATION"
		if i%5 == 4 {
			typ, step = "workflow_run.completed", ""
		}
		body, err := sample.Build(typ, sample.Options{Now: at, RunID: run, StepType: step})
		if err != nil {
			b.Fatal(err)
		}
		run = sample.RunIDOf(body)
		if i%5 == 4 {
			run = ""
		}
		ev := &store.Event{Seq: uint64(i + 1), ReceivedAt: at, Method: "POST", Path: "/", Status: 200}
		ev.SetBody(body)
		ev.Classify()
		line, _ := ev.MarshalLine()
		f.Write(line)
	}
	f.Close()
	return path
}

func BenchmarkReadSession(b *testing.B) {
	path := benchSession(b)
	for b.Loop() {
		if _, _, err := session.ReadFile(path, defaultOptions().sessionOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRunsSession(b *testing.B) {
	path := benchSession(b)
	cmd := newRunsCmd(defaultOptions())
	cmd.SetOut(nopWriter{})
	for b.Loop() {
		if err := runRuns(cmd, path, defaultOptions().sessionOptions(), runs.Filter{}, false, false); err != nil {
			b.Fatal(err)
		}
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
