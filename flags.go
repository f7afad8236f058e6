package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/respond"
)

// Each flag of options is defined here once; a command takes the group of
// them it reads, so a flag it would ignore is an unknown flag (exit 2)
// rather than silently accepted. A command's set-up is a list of these
// calls: adding a group of flags to it is one more line.

// addReceiving registers the flags of a command that receives deliveries:
// the screen, open, tail and wait.
func (o *options) addReceiving(fs *pflag.FlagSet) {
	o.addListen(fs)
	o.addSecret(fs)
	o.addTolerance(fs)
	o.addMaxBody(fs)
	fs.Var(&o.capacity, "capacity", "deliveries kept in memory (at most 1000000); the oldest are dropped beyond it")
	fs.Var(&o.maxMemory, "max-memory", "memory for the deliveries kept and those being read (e.g. 512MiB, 1GB); also sets the Go runtime's soft memory limit")
	o.addForwarding(fs)
	fs.Var(&o.respond, "respond", fmt.Sprintf("what to answer Extend: a status (200, 500, 429...), slow (after %d s) or pass-through (the app's status; needs --forward-to)", respond.SlowDelay/time.Second))
}

func (o *options) addListen(fs *pflag.FlagSet) {
	fs.Var(&o.listen, "listen", "address the inspector receives deliveries on; port 0 picks a free one")
}

func (o *options) addSecret(fs *pflag.FlagSet) {
	fs.Var(&o.secret, "secret", "the endpoint's signing secret (default $"+envSecret+")")
}

func (o *options) addTolerance(fs *pflag.FlagSet) {
	fs.Var(&o.tolerance, "tolerance", "how old a signature's timestamp may be (e.g. 300s, 5m); 0 turns the age check off")
}

// addMaxBody is also the flag of the commands that read session files: it
// bounds their lines (sessionOptions).
func (o *options) addMaxBody(fs *pflag.FlagSet) {
	fs.Var(&o.maxBody, "max-body", "largest body stored; larger ones are refused with 413 (e.g. 10MiB)")
}

// addForwarding registers where deliveries go on to and how that app's
// certificate is trusted: the forwarder and the screen's replays use them.
func (o *options) addForwarding(fs *pflag.FlagSet) {
	fs.StringVarP(&o.forwardTo, "forward-to", "f", "", "forward each delivery, byte for byte with its signature, to your app at `URL`")
	fs.BoolVar(&o.fetchSigned, "fetch-signed-urls", false, "download each signed link's payload as it arrives (verified deliveries only)")
	fs.BoolVar(&o.insecure, "insecure", false, "forward and replay to an https app without checking its certificate")
	fs.Var(&o.caFile, "ca-file", "trust the PEM certificates in FILE (e.g. your app's self-signed one) as well as the system's")
}

// trust is how forwarding and replays check the app's certificate.
func (o *options) trust() deliver.Trust {
	return deliver.Trust{Insecure: o.insecure, Roots: o.caFile.roots}
}

// caFile is --ca-file: read and parsed when the flag is parsed, so a
// missing or empty file exits 2 before anything starts.
type caFile struct {
	path  string
	roots *x509.CertPool
}

func (c *caFile) Set(path string) error {
	roots, err := deliver.LoadRoots(path)
	if err != nil {
		return err
	}
	c.path, c.roots = path, roots
	return nil
}

func (c *caFile) String() string { return c.path }
func (c *caFile) Type() string   { return "FILE" }

// aliasFlags lets each alias stand for its flag on cmd, as pflag's
// normalisation does it: the alias sets the flag itself (so Changed sees
// it). When listed, the flag's help names the alias; an old name kept for
// scripts is not listed.
func aliasFlags(cmd *cobra.Command, listed bool, aliases map[string]string) {
	fs := cmd.Flags()
	for alias, name := range aliases {
		if f := fs.Lookup(name); f != nil && listed {
			f.Usage += " (alias --" + alias + ")"
		}
	}
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if to, ok := aliases[name]; ok {
			return pflag.NormalizedName(to)
		}
		return pflag.NormalizedName(name)
	})
}

// outputFormat is -o/--output, as kubectl and Extend's CLI spell it: text
// or json. It sets the same bool as the command's --json.
type outputFormat struct{ json *bool }

// addOutputFlags registers --json and -o/--output on a command that prints
// a format on stdout.
func addOutputFlags(fs *pflag.FlagSet, asJSON *bool, jsonUsage string) {
	fs.BoolVar(asJSON, "json", false, jsonUsage)
	fs.VarP(outputFormat{asJSON}, "output", "o", "output format: text or json (-o json is --json)")
}

func (o outputFormat) Set(s string) error {
	switch strings.ToLower(s) {
	case "text":
		*o.json = false
	case "json":
		*o.json = true
	default:
		return errors.New("want text or json")
	}
	return nil
}

func (o outputFormat) String() string {
	if o.json != nil && *o.json {
		return "json"
	}
	return "text"
}

func (o outputFormat) Type() string { return "FORMAT" }
