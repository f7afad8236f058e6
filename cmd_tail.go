package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/watch"
)

func newTailCmd(opts *options) *cobra.Command {
	var types typeGlobs
	var recordPath string
	cmd := &cobra.Command{
		Use:   "tail",
		Short: "Print each delivery as one line of JSON on stdout",
		Long: `tail receives deliveries without the screen and writes each one, as it is
stored, to stdout as one JSON object per line (NDJSON), flushed at once.
The line "listening on http://HOST:PORT" on stderr says when it is ready.
Interrupt it (SIGINT or SIGTERM) to stop: requests in flight finish, every
delivery received is printed, and it exits 0.`,
		Example: `  extend-inspect tail
  extend-inspect tail --type 'workflow_run.*' --type '*.failed' | jq .eventType
  EXTEND_WEBHOOK_SECRET=wss_... extend-inspect tail --listen 127.0.0.1:0`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTail(cmd.Context(), opts, types, recordPath, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fs := cmd.Flags()
	opts.addReceiving(fs)
	fs.Var(&types, "type", "only deliveries whose eventType matches GLOB, e.g. 'workflow_run.*' (repeatable)")
	addRecordFlag(fs, &recordPath)
	addConnectFlags(fs, &opts.connect)
	return cmd
}

func runTail(ctx context.Context, opts *options, types typeGlobs, recordPath string, stdout, stderr io.Writer) (err error) {
	// Signals are caught before the readiness line, so an interrupt sent
	// the moment it appears still ends in a flush and exit 0.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st := newStore(opts)
	rec, err := startRecording(st, recordPath, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, rec.stop()) }()
	srv, err := startReceiver(ctx, opts, st, log.New(stderr, "extend-inspect: receiver: ", 0), stderr)
	if err != nil {
		return err
	}
	srv.fetchLinks(opts, st, stderr)
	fmt.Fprintf(stderr, "listening on http://%s\n", srv.Addr())
	srv.announceLink(stderr)
	tail := watch.NewTailer(st, watch.Tail{Match: types.match, Out: stdout, Warn: stderr, Forwards: srv.forwards()})
	defer tail.Close()
	err = tail.Run(ctx)
	stop()                       // a second interrupt ends the process at once
	stopped := stopReceiver(srv) // every forward has its result after this
	if err != nil {
		return errors.Join(err, stopped)
	}
	return errors.Join(tail.Flush(), stopped)
}

// typeGlobs are --type patterns with path.Match syntax: * matches any run of
// characters, ? one character, [...] a class. Several may be given at once,
// separated by commas.
type typeGlobs []string

func (g *typeGlobs) Set(s string) error {
	for _, glob := range strings.Split(s, ",") {
		if _, err := path.Match(glob, ""); err != nil || glob == "" {
			return fmt.Errorf("bad pattern %q: use * and ? as wildcards, e.g. 'workflow_run.*'", glob)
		}
		*g = append(*g, glob)
	}
	return nil
}

func (g *typeGlobs) String() string { return strings.Join(*g, ",") }
func (g *typeGlobs) Type() string   { return "GLOB" }

// match reports whether eventType matches any pattern; no pattern matches
// everything, including deliveries without a type.
func (g typeGlobs) match(eventType string) bool {
	if len(g) == 0 {
		return true
	}
	for _, glob := range g {
		if ok, _ := path.Match(glob, eventType); ok {
			return true
		}
	}
	return false
}
