package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/store/export"
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
	return cmd
}

// runOpen loads the session into a store, then runs the screen on it, with
// a receiver only when --listen was given. The store holds every delivery
// of the session unless --capacity says otherwise.
func runOpen(cmd *cobra.Command, opts *options, path string) error {
	events, warn, err := export.ReadSessionFile(path)
	if err != nil {
		return err
	}
	if !cmd.Flags().Changed("capacity") {
		opts.capacity = count(max(int(opts.capacity), len(events)))
	}
	st := newStore(opts)
	for _, ev := range events {
		st.Append(ev)
	}
	run := screenRun{store: st, receive: cmd.Flags().Changed("listen"), session: path}
	if warn != nil {
		run.notice = fmt.Sprintf("warning: %v", warn)
	}
	if dropped := st.Stats().Evicted; dropped > 0 && run.notice == "" {
		run.notice = fmt.Sprintf("%d of the session's %d deliveries did not fit in --capacity or --max-memory: the oldest were dropped", dropped, len(events))
	}
	err = runScreenWith(cmd, opts, run)
	if warn != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "extend-inspect: warning: %v\n", warn)
	}
	return err
}
