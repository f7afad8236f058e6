package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/runs"
)

func newRunsCmd(opts *options) *cobra.Command {
	var (
		asJSON, failOnFailure bool
		filter                runs.Filter
	)
	cmd := &cobra.Command{
		Use:   "runs FILE",
		Short: "Print one line per run of a recorded session (JSONL or HAR)",
		Long: `runs reads a session file, as open does, and prints one line per run: its id,
kind, name, final status, events, steps, duration and failure reason. A run
is a workflow run (its step runs and the processor runs they contain join
it), a standalone processor run, or a resource's lifecycle. With
--fail-on-failure it exits 1 when a workflow or processor run failed, was
rejected or cancelled, or never finished: "did every run complete?" in CI.`,
		Example: `  extend-inspect runs session.jsonl
  extend-inspect runs session.jsonl --json --kind workflow_run
  extend-inspect runs events.har --status 'fail*' --fail-on-failure`,
		Args: exactlyOne("session file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := filter.Check(); err != nil {
				return usageError(err)
			}
			return runRuns(cmd, args[0], opts.sessionOptions(), filter, asJSON, failOnFailure)
		},
	}
	fs := cmd.Flags()
	opts.addMaxBody(fs)
	addOutputFlags(fs, &asJSON, "print one JSON object per run (NDJSON)")
	fs.StringVar(&filter.Status, "status", "", "only runs whose final status matches `GLOB`, case-insensitively, e.g. 'fail*'")
	fs.StringVar(&filter.Kind, "kind", "", "only runs of this `KIND`, e.g. workflow_run, extract_run")
	fs.BoolVar(&failOnFailure, "fail-on-failure", false, "exit 1 when a printed run failed or never finished")
	return cmd
}

func runRuns(cmd *cobra.Command, path string, read session.Options, filter runs.Filter, asJSON, failOnFailure bool) error {
	events, warn, err := session.ReadFile(path, read)
	if err != nil {
		return err
	}
	if warn != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "extend-inspect: warning: %v\n", warn)
	}
	index := store.NewRunIndex()
	for _, ev := range events {
		index.Add(ev)
	}
	var kept []runs.Summary
	for _, s := range runs.Of(index) {
		if filter.Match(s) {
			kept = append(kept, s)
		}
	}
	if err := printRuns(cmd.OutOrStdout(), kept, asJSON); err != nil {
		return err
	}
	if failOnFailure {
		for _, s := range kept {
			if s.Failed() {
				return &exitError{code: 1, err: errors.New("a run failed or never finished")}
			}
		}
	}
	return nil
}

func printRuns(w io.Writer, all []runs.Summary, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, s := range all {
			if err := enc.Encode(s.Record()); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := fmt.Fprintln(w, runs.TableHeader); err != nil {
		return err
	}
	for _, s := range all {
		if _, err := fmt.Fprintln(w, s.Row()); err != nil {
			return err
		}
	}
	return nil
}
