package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
)

func newOpenCmd(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "open FILE",
		Short: "Open a recorded session (JSONL or HAR) in the screen",
		Long: `open loads a session file (a --record JSONL file, a JSONL or HAR export) into
the screen, to browse, filter, mark, export and copy its deliveries. It
receives nothing unless --listen is given: then new deliveries join the
session's. A truncated last line (a recording that was interrupted) is
reported and the rest loads.`,
		Example: `  extend-inspect open session.jsonl
  extend-inspect open bug-1234/events.har --listen 127.0.0.1:8080`,
		Args: exactlyOneFile,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOpen(cmd, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.screen.theme, "theme", "", "colours of the screen (see extend-inspect --help)")
	cmd.Flags().StringVar(&opts.screen.keys, "keys", "", "key bindings file (see docs/keys.md)")
	cmd.Flags().StringVar(&opts.screen.exportDir, "export-dir", "", "directory the export dialog (e) writes into (default ./extend-events-<timestamp>)")
	addLowConfidenceFlag(cmd, &opts.screen)
	return cmd
}

// runOpen loads the session into a store, then runs the screen on it, with
// a receiver only when --listen was given.
func runOpen(cmd *cobra.Command, opts *options, path string) error {
	st, warn, err := openSession(opts, path, cmd.Flags().Changed("capacity"))
	if err != nil {
		return err
	}
	run := screenRun{store: st, receive: cmd.Flags().Changed("listen"), session: path}
	if warn != nil {
		run.notice = fmt.Sprintf("warning: %v", warn)
	}
	err = runScreenWith(cmd, opts, run)
	if warn != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "extend-inspect: warning: %v\n", warn)
	}
	return err
}

// openSession reads the session at path into a new store, with the seq,
// attempt and duplicateOf it was recorded with. The store holds every
// delivery of the session unless --capacity was given; warn says what did
// not load or fit.
func openSession(opts *options, path string, capacityGiven bool) (st *store.Store, warn, err error) {
	events, warn, err := session.ReadFile(path, opts.sessionOptions())
	if err != nil {
		return nil, nil, err
	}
	if !capacityGiven {
		opts.capacity = count(max(int(opts.capacity), len(events)))
	}
	st = newStore(opts)
	if n := session.Load(st, events); n > 0 {
		warn = errors.Join(warn, fmt.Errorf("%d of its deliveries were numbered anew: their seq was not after the one before", n))
	}
	if dropped := st.Stats().Evicted; dropped > 0 {
		warn = errors.Join(warn, fmt.Errorf("%d of the session's %d deliveries did not fit in --capacity or --max-memory: the oldest were dropped", dropped, len(events)))
	}
	return st, warn, nil
}

// sessionOptions are how session files are read: their lines are bounded
// by what a delivery under --max-body can make.
func (o *options) sessionOptions() session.Options {
	return session.Options{MaxBody: int64(o.maxBody)}
}
