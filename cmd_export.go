package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

// exportFlags are the flags of `export`.
type exportFlags struct {
	format     formatFlag
	out        string
	types      typeGlobs
	categories categoryFlags
	target     string
	verbatim   bool
}

func newExportCmd(opts *options) *cobra.Command {
	f := exportFlags{format: formatFlag(export.JSONL)}
	cmd := &cobra.Command{
		Use:   "export FILE",
		Short: "Write a session's deliveries as JSON, JSONL, HAR or a curl script",
		Long: `export reads a session (a --record JSONL file, a JSONL or HAR export) and
writes its deliveries in another format, without the screen. Files are
written atomically and never over an existing file. See docs/formats.md.`,
		Example: `  extend-inspect export session.jsonl --format har --out ./bug-1234
  extend-inspect export session.jsonl --format curl --out ./replay \
    --type '*.failed'
  extend-inspect export events.har --format json --out ./fixtures \
    --category workflow`,
		Args: exactlyOne("session file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), args[0], f, opts.sessionOptions(), cmd.OutOrStdout())
		},
	}
	fs := cmd.Flags()
	opts.addMaxBody(fs)
	fs.Var(&f.format, "format", "json, jsonl, har or curl")
	fs.StringVar(&f.out, "out", "", "directory to write into (default ./extend-events-<timestamp>)")
	fs.Var(&f.types, "type", "only deliveries whose eventType matches GLOB (repeatable)")
	fs.Var(&f.categories, "category", "only deliveries of this category: workflow, processor_run, global, unknown (repeatable)")
	fs.StringVar(&f.target, "target", "", "curl format: the URL the script sends to by default (else where each delivery was received)")
	fs.BoolVar(&f.verbatim, "verbatim", false, "curl format: send the original timestamp and signature instead of re-signing")
	return cmd
}

// exactlyOne accepts one argument, called what in the error.
func exactlyOne(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageError(fmt.Errorf("%s takes one %s, got %d arguments (see --help)", cmd.CommandPath(), what, len(args)))
		}
		return nil
	}
}

func runExport(ctx context.Context, path string, f exportFlags, read session.Options, stdout io.Writer) error {
	events, warn, err := session.ReadFile(path, read)
	if err != nil {
		return err
	}
	if warn != nil {
		fmt.Fprintf(stdout, "warning: %v\n", warn)
	}
	selected := f.selectEvents(events)
	if len(selected) == 0 {
		return fmt.Errorf("%s: none of its %d deliveries match --type/--category; nothing written", path, len(events))
	}
	res, err := export.Write(ctx, selected, export.Options{
		Dir:       f.out,
		Format:    export.Format(f.format),
		TargetURL: f.target,
		Verbatim:  f.verbatim,
		Listen:    defaultOptions().listen.String(),
		Version:   versionString(),
	})
	fmt.Fprintln(stdout, res.Summary())
	return err
}

// selectEvents keeps the events the --type and --category flags let through.
func (f exportFlags) selectEvents(events []*store.Event) []*store.Event {
	var out []*store.Event
	for _, ev := range events {
		if f.types.match(ev.EventType()) && f.categories.match(ev.Category) {
			out = append(out, ev)
		}
	}
	return out
}

// formatFlag is --format.
type formatFlag export.Format

func (f *formatFlag) Set(s string) error {
	format, err := export.ParseFormat(s)
	if err != nil {
		return err
	}
	*f = formatFlag(format)
	return nil
}

func (f *formatFlag) String() string { return export.Format(*f).String() }
func (f *formatFlag) Type() string   { return "FORMAT" }

// categoryFlags is a repeatable --category.
type categoryFlags []extend.Category

func (c *categoryFlags) Set(s string) error {
	cat, err := extend.ParseCategory(s)
	if err != nil {
		return err
	}
	*c = append(*c, cat)
	return nil
}

func (c *categoryFlags) String() string { return fmt.Sprint([]extend.Category(*c)) }
func (c *categoryFlags) Type() string   { return "CATEGORY" }

// match reports whether cat is selected; no flag selects every category.
func (c categoryFlags) match(cat extend.Category) bool {
	return len(c) == 0 || slices.Contains(c, cat)
}
