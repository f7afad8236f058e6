package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

func newEndpointsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "endpoints",
		Short: "List and delete the webhook endpoints --register created",
		Long: `endpoints manages the webhook endpoints extend-inspect --register created in
Extend, recognised by their name ("extend-inspect <host> <pid> <time>"). A
session deletes its endpoint when it ends; one that was killed leaves it
behind, and prune deletes those. They read $` + connect.EnvAPIKey + ` and the other
variables --register reads.`,
		Args: noArgs,
	}
	cmd.AddCommand(newEndpointsListCmd(), newEndpointsPruneCmd(), newEndpointsDeleteCmd())
	return cmd
}

func newEndpointsListCmd() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the endpoints this tool created, and their sessions' state",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "" && output != "text" && output != "json" {
				return usageError(fmt.Errorf("-o %q: want text or json", output))
			}
			client, err := endpointsClient()
			if err != nil {
				return err
			}
			owned, err := client.ListOwned(cmd.Context())
			if err != nil {
				return err
			}
			if output == "json" {
				return writeEndpointsJSON(cmd.OutOrStdout(), owned)
			}
			return writeEndpointsTable(cmd.OutOrStdout(), owned)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "output format: text or json")
	return cmd
}

func newEndpointsPruneCmd() *cobra.Command {
	var all, yes bool
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete the endpoints left by sessions of this host that died",
		Long: `prune deletes the endpoints extend-inspect created on this host whose process
no longer runs (with --all: every endpoint extend-inspect created, on any
host). It lists them and asks first; --yes skips the question, and is needed
where there is no terminal to ask on.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			client, err := endpointsClient()
			if err != nil {
				return err
			}
			return runPrune(cmd, client, all, yes)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "every endpoint extend-inspect created, running sessions and other hosts' included")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking")
	return cmd
}

func newEndpointsDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete endpoints extend-inspect created, by id",
		Long: `delete deletes each endpoint given, after checking that extend-inspect created
it: an endpoint of another name is refused.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(errors.New("endpoints delete takes the ids of the endpoints to delete, e.g. whe_…"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, ids []string) error {
			client, err := endpointsClient()
			if err != nil {
				return err
			}
			return deleteEach(cmd, ids, func(ctx context.Context, id string) error { return client.DeleteOwned(ctx, id) })
		},
	}
}

// endpointsClient is the management API's client, from the environment;
// a missing key is a usage error, as under --register.
func endpointsClient() (*connect.Client, error) {
	cfg, err := connect.ConfigFromEnv(os.Getenv, versionString())
	if err != nil {
		return nil, usageError(err)
	}
	client, err := connect.New(cfg)
	if err != nil {
		return nil, usageError(err)
	}
	return client, nil
}

func runPrune(cmd *cobra.Command, client *connect.Client, all, yes bool) error {
	owned, err := client.ListOwned(cmd.Context())
	if err != nil {
		return err
	}
	picked := connect.Prunable(owned, all, connect.Hostname(), connect.Running)
	out := cmd.OutOrStdout()
	if len(picked) == 0 {
		fmt.Fprintln(out, "nothing to prune")
		return nil
	}
	if err := writeEndpointsTable(out, picked); err != nil {
		return err
	}
	if !yes {
		if !term.IsTerminal(os.Stdin.Fd()) {
			return usageError(fmt.Errorf("refusing to delete %d webhook endpoints without asking, and there is no terminal to ask on: add --yes", len(picked)))
		}
		if !confirm(cmd.InOrStdin(), cmd.ErrOrStderr(), fmt.Sprintf("Delete %d webhook endpoints? [y/N] ", len(picked))) {
			fmt.Fprintln(out, "nothing deleted")
			return nil
		}
	}
	ids := make([]string, len(picked))
	for i, o := range picked {
		ids[i] = o.ID
	}
	return deleteEach(cmd, ids, func(ctx context.Context, id string) error {
		if err := client.DeleteEndpoint(ctx, id); err != nil && !connect.IsNotFound(err) {
			return err
		}
		return nil
	})
}

// deleteEach deletes every id, reporting each, and fails when any failed.
func deleteEach(cmd *cobra.Command, ids []string, remove func(context.Context, string) error) error {
	failed := 0
	for _, id := range ids {
		if err := remove(cmd.Context(), id); err != nil {
			failed++
			fmt.Fprintf(cmd.ErrOrStderr(), "extend-inspect: %s: %v\n", sanitize.Text(id), err)
			continue
		}
		fmt.Fprintf(cmd.OutOrStdout(), "deleted webhook endpoint %s\n", sanitize.Text(id))
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d webhook endpoints not deleted", failed, len(ids))}
	}
	return nil
}

func confirm(in io.Reader, prompt io.Writer, question string) bool {
	fmt.Fprint(prompt, question)
	answer, _ := bufio.NewReader(in).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}

// endpointJSON is one entry of `endpoints list -o json`.
type endpointJSON struct {
	ID      string        `json:"id"`
	URL     string        `json:"url"`
	Name    string        `json:"name"`
	Host    string        `json:"host,omitempty"`
	PID     int           `json:"pid,omitempty"`
	Started *time.Time    `json:"started,omitempty"`
	State   connect.State `json:"state"`
}

func endpointRow(o connect.Owned) endpointJSON {
	row := endpointJSON{
		ID: sanitize.Text(o.ID), URL: sanitize.Text(o.URL), Name: sanitize.Text(o.Name),
		State: o.State(connect.Hostname(), connect.Running),
	}
	if o.Known {
		row.Host, row.PID, row.Started = o.Session.Host, o.Session.PID, &o.Session.Started
	}
	return row
}

func writeEndpointsJSON(w io.Writer, owned []connect.Owned) error {
	rows := make([]endpointJSON, len(owned))
	for i, o := range owned {
		rows[i] = endpointRow(o)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func writeEndpointsTable(w io.Writer, owned []connect.Owned) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tURL\tHOST\tPID\tSTARTED\tSTATE")
	for _, o := range owned {
		row := endpointRow(o)
		host, pid, started := "-", "-", "-"
		if row.Started != nil {
			host, pid, started = row.Host, fmt.Sprint(row.PID), row.Started.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", row.ID, row.URL, host, pid, started, row.State)
	}
	return tw.Flush()
}
