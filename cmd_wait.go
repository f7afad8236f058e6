package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/watch"
)

// wait's exit statuses: a CI script branches on them.
const (
	waitMatched  = 0 // a matching delivery arrived, and it is not a failure
	waitFailed   = 1 // a matching failure arrived (*.failed, *.rejected, *.cancelled)
	waitTimedOut = 2 // no match before --timeout, or interrupted
	waitUsage    = 3 // a usage error, or the receiver could not start
)

// defaultWaitTimeout bounds a wait that nobody told how long to wait: a CI
// job left hanging costs more than one that fails.
const defaultWaitTimeout = 10 * time.Minute

// waitFlags are wait's own flags, beside the receiving ones.
type waitFlags struct {
	types   typeGlobs
	id      string
	run     string   // --run ID
	matches []string // --match PATH=VALUE
	fields  map[string]string
	timeout time.Duration
	record  string
}

func newWaitCmd(opts *options) *cobra.Command {
	f := &waitFlags{}
	cmd := &cobra.Command{
		Use:   "wait --type GLOB [--id ID] [--timeout DURATION]",
		Short: "Wait for one matching delivery, for CI jobs",
		Long: `wait receives deliveries without the screen until one matches, prints it on
stdout as one JSON object (the fields tail prints) and exits:

  0  a matching delivery arrived (verified, when a secret is set)
  1  a matching failure arrived: *.failed, workflow_run.rejected or
     workflow_run.cancelled
  2  nothing matched before --timeout (default 10m; 0 waits for ever), or
     wait was interrupted
  3  usage error: a bad flag or glob, nothing to wait for (no --type,
     --run or --match), or the address is taken; with --register, an
     Extend API call failed

--type matches the eventType (repeatable); --id matches the payload's id
(the run id your job created) or the eventId. With a signing secret
(--secret or $` + envSecret + `) only verified deliveries count: a
matching one that fails verification is reported on stderr and waiting goes
on. Without a secret nothing is verified and every match counts.
The line "listening on http://HOST:PORT" on stderr says when it is ready.`,
		Example: `  extend-inspect wait --type workflow_run.completed --timeout 5m
  extend-inspect wait --type 'workflow_run.*' --id "$RUN_ID" \
    --listen 127.0.0.1:8080 > event.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return waitUsageError(fmt.Errorf("wait takes no arguments, got %q: give the type with --type", args[0]))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return waitUsageError(err)
			}
			return runWait(cmd.Context(), opts, f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return waitUsageError(fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath()))
	})
	fs := cmd.Flags()
	opts.addReceiving(fs)
	fs.Var(&f.types, "type", "wait for a delivery whose eventType matches GLOB, e.g. 'workflow_run.*' (repeatable)")
	fs.StringVar(&f.id, "id", "", "only a delivery whose payload id (e.g. the workflow run id) or eventId is ID")
	fs.StringVar(&f.run, "run", "", "wait for the event that ends run ID: a workflow run's completed, failed, rejected or cancelled, a processor run's processed or failed")
	fs.StringArrayVar(&f.matches, "match", nil, "only a delivery whose body holds VALUE at the dotted PATH, e.g. payload.metadata.requestId=req-9 (repeatable, all must hold)")
	fs.DurationVar(&f.timeout, "timeout", defaultWaitTimeout, "give up after this long (exit 2); 0 waits for ever")
	addRecordFlag(fs, &f.record)
	addConnectFlags(fs, &opts.connect)
	return cmd
}

// waitUsageError is a usage error with wait's own status, 3: 2 already
// means "timed out".
func waitUsageError(err error) error { return &exitError{code: waitUsage, err: err} }

func (f *waitFlags) check() error {
	switch {
	case len(f.types) == 0 && len(f.matches) == 0 && f.run == "":
		return errors.New("say what to wait for with --type GLOB, --run ID or --match PATH=VALUE, e.g. --type workflow_run.completed")
	case f.timeout < 0:
		return fmt.Errorf(`invalid argument %q for "--timeout" flag: must not be negative`, f.timeout)
	}
	return f.parseMatches()
}

// parseMatches reads each --match PATH=VALUE into fields.
func (f *waitFlags) parseMatches() error {
	f.fields = map[string]string{}
	for _, m := range f.matches {
		path, value, ok := strings.Cut(m, "=")
		if !ok || path == "" {
			return fmt.Errorf(`invalid argument %q for "--match" flag: want PATH=VALUE, e.g. payload.metadata.requestId=req-9`, m)
		}
		f.fields[path] = value
	}
	return nil
}

func runWait(ctx context.Context, opts *options, f *waitFlags, stdout, stderr io.Writer) (err error) {
	// Signals are caught before the readiness line, so a script that stops
	// wait as soon as it is ready still gets a clean shutdown.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st := newStore(opts)
	rec, err := startRecording(st, f.record, stderr)
	if err != nil {
		return waitUsageError(err)
	}
	defer func() {
		if recErr := rec.stop(); recErr != nil {
			fmt.Fprintf(stderr, "extend-inspect: %v\n", recErr)
		}
	}()
	srv, err := startReceiver(ctx, opts, st, log.New(stderr, "extend-inspect: receiver: ", 0), stderr)
	if err != nil {
		return waitUsageError(err)
	}
	srv.fetchLinks(opts, st, stderr)
	fmt.Fprintf(stderr, "listening on http://%s\n", srv.Addr())
	srv.announceLink(stderr)
	w := watch.Wait{Match: f.types.match, ID: f.id, Run: f.run, Fields: f.fields, Verifying: opts.secret.value() != "", Warn: stderr}
	if !w.Verifying {
		fmt.Fprintf(stderr, "extend-inspect: no signing secret, so any matching delivery counts unverified; pass --secret or set %s to count only verified ones\n", envSecret)
	}
	ev, err := waitFor(ctx, w, st, f.timeout)
	stopped := stopReceiver(srv)
	if err != nil {
		return errors.Join(err, stopped)
	}
	line, err := ev.MarshalLine()
	if err != nil {
		return errors.Join(err, stopped)
	}
	if _, err := stdout.Write(line); err != nil {
		return errors.Join(fmt.Errorf("write delivery %d: %w", ev.Seq, err), stopped)
	}
	if stopped != nil {
		fmt.Fprintf(stderr, "extend-inspect: %v\n", stopped)
	}
	if still := (*connect.StillRegisteredError)(nil); errors.As(stopped, &still) {
		return &exitError{code: waitUsage} // said above; 1 would mean a failure arrived
	}
	if extend.IsFailure(ev.EventType()) {
		return &exitError{code: waitFailed}
	}
	return nil
}

// waitFor runs w for at most timeout (0: for ever) and gives each way it
// can end without a match wait's exit status.
func waitFor(ctx context.Context, w watch.Wait, st *store.Store, timeout time.Duration) (*store.Event, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	ev, err := w.First(ctx, st)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil, &exitError{code: waitTimedOut, err: fmt.Errorf("no matching delivery within %s", timeout)}
	case err != nil:
		return nil, &exitError{code: waitTimedOut, err: errors.New("interrupted before a matching delivery arrived")}
	}
	return ev, nil
}
