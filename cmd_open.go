package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui"
)

func newOpenCmd(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "open FILE",
		Short: "Open a recorded session (JSONL or HAR) in the screen",
		Long: `open loads a session file (a --record JSONL file, a JSONL or HAR export) into
the screen, to browse, filter, mark, export and copy its deliveries. It
receives nothing unless --listen is given: then new deliveries join the
session's. The screen opens at once and the session loads behind it, with
its progress in the header. It keeps the newest deliveries that fit
--capacity (default 1,000,000 for open) and --max-memory, read from the end
of the file, and says so in the header when that is not all of them. A
truncated last line (a recording that was interrupted) is reported and the
rest loads.`,
		Example: `  extend-inspect open session.jsonl
  extend-inspect open bug-1234/events.har --listen 127.0.0.1:8080`,
		Args: exactlyOne("session file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOpen(cmd, opts, args[0])
		},
	}
	opts.addReceiving(cmd.Flags())
	cmd.Flags().Lookup("capacity").DefValue = strconv.Itoa(sessionCapacity) // what --help says; runOpen applies it
	addScreenFlags(cmd.Flags(), &opts.screen)
	return cmd
}

// sessionCapacity is open's default --capacity: a session is browsed, not
// received, so it keeps as many deliveries as --max-memory allows, up to a
// million.
const sessionCapacity = 1_000_000

// runOpen starts loading the session into a store, then runs the screen on
// it while the rest loads, with a receiver only when --listen was given.
func runOpen(cmd *cobra.Command, opts *options, path string) error {
	if !cmd.Flags().Changed("capacity") {
		opts.capacity = sessionCapacity
	}
	st, loading, err := openSession(opts, path)
	if err != nil {
		return err
	}
	defer loading.Close() // the bodies stay in the file until the screen is done
	run := screenRun{store: st, receive: cmd.Flags().Changed("listen"), session: path, loading: sessionLoading{loading}}
	err = runScreenWith(cmd, opts, run)
	if warn := loading.Progress().Warn; warn != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "extend-inspect: warning: %v\n", warn)
	}
	return err
}

// openSession starts loading the session at path into a new store, with
// the seq, attempt and duplicateOf it was recorded with: the newest
// deliveries that fit --capacity and --max-memory.
func openSession(opts *options, path string) (*store.Store, *session.Loading, error) {
	st := newStore(opts)
	loading, err := session.Open(path, opts.sessionOptions(), session.Bounds{Capacity: int(opts.capacity), MaxBytes: int64(opts.maxMemory)}, st)
	if err != nil {
		return nil, nil, err
	}
	return st, loading, nil
}

// sessionLoading shows a session's loading in the screen's header
// (ui.Loading).
type sessionLoading struct{ l *session.Loading }

func (s sessionLoading) LoadProgress() ui.LoadProgress {
	p := s.l.Progress()
	lp := ui.LoadProgress{Loaded: p.Loaded, Total: p.Total, InFile: p.InFile, Done: p.Done}
	switch p.Bound {
	case session.BoundCapacity:
		lp.Bound = "--capacity"
	case session.BoundMemory:
		lp.Bound = "--max-memory"
	}
	if p.Warn != nil {
		lp.Warning = fmt.Sprintf("warning: %v", p.Warn)
	}
	return lp
}

// sessionOptions are how session files are read: their lines are bounded
// by what a delivery under --max-body can make.
func (o *options) sessionOptions() session.Options {
	return session.Options{MaxBody: int64(o.maxBody)}
}
