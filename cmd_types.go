package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/extend"
)

func newTypesCmd() *cobra.Command {
	var (
		version apiVersion
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "types",
		Short: "List every event type Extend sends, by category",
		Long: `types prints the catalogue of Extend's webhook event types: the category
extend-inspect files each under, the payload's object, the API versions that
send it, and what it means.`,
		Example: `  extend-inspect types
  extend-inspect types --api-version 2025-04-21
  extend-inspect types -o json |
    jq -r '.[] | select(.category == "workflow") | .type'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			types := extend.Catalogue()
			if version != "" {
				types = extend.TypesIn(extend.Version(version))
			}
			if asJSON {
				return writeTypesJSON(cmd.OutOrStdout(), types)
			}
			return writeTypesTable(cmd.OutOrStdout(), types)
		},
	}
	fs := cmd.Flags()
	fs.Var(&version, "api-version", "only the types API version V sends ("+versionList()+")")
	addOutputFlags(fs, &asJSON, "print a JSON array instead of a table")
	// --version was this flag's first name. It does not clash with the
	// root's --version, which is the root's alone, so it stays, unlisted.
	aliasFlags(cmd, false, map[string]string{"version": "api-version"})
	return cmd
}

func writeTypesTable(w io.Writer, types []extend.EventType) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tCATEGORY\tOBJECT\tVERSIONS\tMEANING")
	for _, t := range types {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Category, t.Object, versionsCell(t.Versions), t.Meaning)
	}
	return tw.Flush()
}

// versionsCell keeps the table narrow: a type every version sends says
// "all", which is most of the older catalogue.
func versionsCell(vs []extend.Version) string {
	if len(vs) == len(extend.Versions) {
		return "all"
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = string(v)
	}
	return strings.Join(names, ",")
}

// typeJSON is one entry of `types --json`; its field names are a public
// interface, like the tail lines'.
type typeJSON struct {
	Type     string           `json:"type"`
	Category string           `json:"category"`
	Object   string           `json:"object"`
	Versions []extend.Version `json:"versions"`
	Outcome  string           `json:"outcome"`
	Meaning  string           `json:"meaning"`
}

func writeTypesJSON(w io.Writer, types []extend.EventType) error {
	out := make([]typeJSON, len(types))
	for i, t := range types {
		out[i] = typeJSON{t.Name, t.Category.String(), t.Object, t.Versions, extend.OutcomeOf(t.Name).String(), t.Meaning}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// apiVersion is an --api-version value: one of the documented API versions.
type apiVersion string

func (v *apiVersion) Set(s string) error {
	if _, ok := extend.ParseVersion(s); !ok {
		return fmt.Errorf("unknown API version (want %s)", versionList())
	}
	*v = apiVersion(s)
	return nil
}

func (v *apiVersion) String() string { return string(*v) }
func (v *apiVersion) Type() string   { return "V" }

func versionList() string {
	names := make([]string, len(extend.Versions))
	for i, v := range extend.Versions {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}
