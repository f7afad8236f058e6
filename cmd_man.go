package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write a man page for every command into DIR",
		Long: `man writes the manual pages of extend-inspect, one per command
(extend-inspect.1, extend-inspect-tail.1, ...), into DIR, made from the same
text as --help. Put DIR on your MANPATH, or copy the pages into a man1
directory.`,
		Example: `  extend-inspect man ~/.local/share/man/man1 && man extend-inspect-tail`,
		Args:    exactlyOne("directory"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeManPages(cmd.Root(), args[0])
		},
	}
}

// writeManPages writes a page per command of root's tree into dir.
func writeManPages(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("man: %w", err)
	}
	header := &doc.GenManHeader{Title: "EXTEND-INSPECT", Section: "1", Source: "extend-inspect " + versionString(), Manual: "extend-inspect manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("man: %w", err)
	}
	return nil
}
