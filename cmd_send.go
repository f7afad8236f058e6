package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
)

// sendFlags are send's own flags, beside --secret and --listen.
type sendFlags struct {
	to           targetURL
	apiVersion   apiVersion
	signedURL    bool
	all          bool
	count        count
	rate         rate
	file         string
	overrides    overrides
	unsigned     bool
	badSignature bool
	stale        bool
	scenario     string
	serveSigned  bool
}

func newSendCmd(opts *options) *cobra.Command {
	f := &sendFlags{apiVersion: apiVersion(extend.V20260209), count: 1}
	cmd := &cobra.Command{
		Use:   "send [TYPE|GLOB ...]",
		Short: "Send sample deliveries, signed as Extend signs them",
		Long: `send POSTs realistic sample deliveries of the named event types, signed with
the endpoint's secret exactly as Extend signs them, to a running inspector
(the --listen address) or to your own app (--to URL). Each sample has fresh
ids and the current time. Name types or globs from "extend-inspect types".

It prints one line per delivery with the status the target answered, and
exits 1 when any delivery failed or the target could not be reached.

--unsigned, --bad-signature and --stale rehearse the deliveries a receiver
must refuse; your app should answer them with a 4xx (the inspector accepts
and flags them). --scenario plays a scripted story; --scenario list names
the stories. --serve-signed sends signed-URL deliveries whose links a
download server on loopback answers, and keeps serving them until
interrupted.`,
		Example: `  extend-inspect send workflow_run.completed
  extend-inspect send 'workflow_run.*' --to http://localhost:3000/webhooks
  extend-inspect send --all --api-version 2025-04-21
  extend-inspect send extract_run.failed \
    --set payload.failureReason=INTERNAL_ERROR
  extend-inspect send --file captured.json --to http://localhost:3000/hook
  extend-inspect send workflow_run.completed --bad-signature
  extend-inspect send --scenario demo
  extend-inspect send workflow_run.completed --serve-signed`,
		ValidArgsFunction: completeEventTypes,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.scenario == "list" {
				return writeScenarioList(cmd.OutOrStdout())
			}
			job, err := planSend(opts, f, args, cmd.Flags().Changed, cmd.InOrStdin())
			if err != nil {
				return usageError(err)
			}
			return runSend(cmd.Context(), job, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fs := cmd.Flags()
	opts.addListen(fs)
	opts.addSecret(fs)
	fs.Var(&f.to, "to", "send to this URL instead of the inspector at --listen")
	fs.Var(&f.apiVersion, "api-version", "API version the samples follow ("+versionList()+")")
	fs.BoolVar(&f.signedURL, "signed-url", false, "send the signed-download-URL variant of each sample")
	fs.BoolVar(&f.all, "all", false, "send a sample of every event type of the API version")
	fs.Var(&f.count, "count", "send each delivery N times (fresh ids every time)")
	fs.Var(&f.rate, "rate", "send at most R deliveries per second (default: each as soon as the last is answered)")
	fs.StringVar(&f.file, "file", "", "sign and send this body (a file, or - for stdin) byte for byte instead of a sample")
	fs.Var(&f.overrides, "set", "set a field of the body, e.g. payload.status=FAILED (repeatable)")
	fs.BoolVar(&f.unsigned, "unsigned", false, "send without signature headers (a verifier says missing)")
	fs.BoolVar(&f.badSignature, "bad-signature", false, "sign with a wrong secret (a verifier says invalid)")
	fs.BoolVar(&f.stale, "stale", false, "sign with a timestamp an hour old (a verifier says stale)")
	fs.StringVar(&f.scenario, "scenario", "", "play the scripted story NAME; list names them")
	fs.BoolVar(&f.serveSigned, "serve-signed", false, "send signed-URL deliveries whose links a local download server serves, and keep serving until interrupted")
	return cmd
}

// sendJob is a checked send command line, ready to run.
type sendJob struct {
	deliver.Job
	sender  *deliver.Sender
	preface string              // said on stderr before sending, or ""
	toUs    bool                // the target is the inspector at --listen, not --to
	links   *deliver.LinkServer // with --serve-signed: serves the links, from before the first delivery until interrupted
}

// planSend checks the flags and arguments together and has deliver plan the
// deliveries. Every error it returns is a usage error.
func planSend(opts *options, f *sendFlags, args []string, changed func(string) bool, stdin io.Reader) (*sendJob, error) {
	signing, err := f.signing()
	if err != nil {
		return nil, err
	}
	job := &sendJob{sender: &deliver.Sender{Secret: opts.secret.value()}, toUs: f.to == ""}
	if f.serveSigned {
		job.links = deliver.NewLinkServer()
	}
	batch := deliver.Batch{Overrides: f.overrides, Count: int(f.count), Rate: float64(f.rate), Signing: signing}
	switch {
	case f.scenario != "":
		err = planScenario(job, f, args, changed)
	case f.file != "":
		err = planFile(job, f, args, changed, batch, stdin)
	default:
		err = planSamples(job, f, args, batch)
	}
	if err != nil {
		return nil, err
	}
	if job.sender.Secret == "" && signing.NeedsSecret() {
		return nil, fmt.Errorf("no signing secret: pass --secret or set %s to the secret the receiver verifies with, or send an unsigned delivery with --unsigned", envSecret)
	}
	if f.file == "" {
		job.sender.Version = extend.Version(f.apiVersion)
	}
	job.sender.URL, err = f.target(opts)
	return job, err
}

func (f *sendFlags) signing() (deliver.Signing, error) {
	var chosen []string
	signing := deliver.Signed
	for _, c := range []struct {
		set  bool
		name string
		s    deliver.Signing
	}{{f.unsigned, "--unsigned", deliver.Unsigned}, {f.badSignature, "--bad-signature", deliver.BadSignature}, {f.stale, "--stale", deliver.Stale}} {
		if c.set {
			chosen, signing = append(chosen, c.name), c.s
		}
	}
	if len(chosen) > 1 {
		return 0, fmt.Errorf("%s cannot be combined: choose one rejection to rehearse", strings.Join(chosen, " and "))
	}
	return signing, nil
}

// target is --to, or the inspector at --listen, told the samples' API
// version (a file's body is the user's, so it is not tagged).
func (f *sendFlags) target(opts *options) (string, error) {
	if f.to != "" {
		return string(f.to), nil
	}
	var v extend.Version
	if f.file == "" {
		v = extend.Version(f.apiVersion)
	}
	return deliver.InspectorURL(string(opts.listen), v)
}

// notWith names the flags that are set but do not apply.
func notWith(what string, changed func(string) bool, flags ...string) error {
	for _, name := range flags {
		if changed(name) {
			return fmt.Errorf("--%s does not apply to %s", name, what)
		}
	}
	return nil
}

func planScenario(job *sendJob, f *sendFlags, args []string, changed func(string) bool) error {
	if len(args) > 0 {
		return fmt.Errorf("--scenario plays its own event types: drop %q", args[0])
	}
	if err := notWith("--scenario", changed, "all", "file", "count", "rate", "set", "signed-url", "unsigned", "bad-signature", "stale"); err != nil {
		return err
	}
	if extend.Version(f.apiVersion) != sample.ScenarioVersion {
		return fmt.Errorf("the scenarios follow API version %s, not %s", sample.ScenarioVersion, f.apiVersion)
	}
	sc, ok := sample.ScenarioByName(f.scenario)
	if !ok {
		return fmt.Errorf("unknown scenario %q (see extend-inspect send --scenario list)", f.scenario)
	}
	job.Job = deliver.ScenarioJob(sc, sample.Options{LinkTo: job.linkTo()})
	job.preface = fmt.Sprintf("playing scenario %s: %d deliveries over about %s", sc.Name, len(sc.Steps), sc.Length().Round(time.Second))
	return nil
}

func planFile(job *sendJob, f *sendFlags, args []string, changed func(string) bool, batch deliver.Batch, stdin io.Reader) error {
	if len(args) > 0 || f.all {
		return errors.New("--file sends your own body: drop the event types and --all")
	}
	if err := notWith("--file", changed, "api-version", "signed-url", "serve-signed"); err != nil {
		return err
	}
	raw, err := readBody(f.file, stdin)
	if err != nil {
		return err
	}
	if job.Job, err = batch.Body(raw); err != nil {
		return fmt.Errorf("--set on %s: %w", f.file, err)
	}
	return nil
}

// readBody reads --file: a path, or - for stdin.
func readBody(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("read the body from stdin: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--file: %w", err)
	}
	return b, nil
}

func planSamples(job *sendJob, f *sendFlags, args []string, batch deliver.Batch) error {
	v := extend.Version(f.apiVersion)
	patterns := args
	switch {
	case f.all && len(args) > 0:
		return errors.New("--all sends every event type: drop the types, or drop --all")
	case f.all:
		patterns = []string{"*"}
	case len(args) == 0:
		return errors.New("say what to send: event types or globs (see extend-inspect types), --all, --file BODY.json or --scenario NAME")
	}
	types, err := deliver.MatchTypes(v, patterns)
	var elsewhere *deliver.VersionError
	switch {
	case errors.As(err, &elsewhere):
		return fmt.Errorf("%w: pass --api-version %s", err, elsewhere.In[0])
	case err != nil:
		return fmt.Errorf("%w (see extend-inspect types --api-version %s)", err, v)
	}
	job.Job, err = batch.Samples(types, sample.Options{Version: v, SignedURL: f.signedURL || f.serveSigned, LinkTo: job.linkTo()})
	return err
}

// linkTo is where samples put their signed links' payloads: the download
// server with --serve-signed, else nowhere (links under .invalid).
func (job *sendJob) linkTo() func([]byte) string {
	if job.links == nil {
		return nil
	}
	return job.links.Stash
}

// runSend sends the planned deliveries, one report line each on stdout.
func runSend(ctx context.Context, job *sendJob, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if job.preface != "" {
		fmt.Fprintf(stderr, "%s → %s\n", job.preface, job.sender.URL)
	}
	if job.links != nil {
		if err := job.links.Listen("127.0.0.1:0"); err != nil {
			return err
		}
		defer job.links.Close()
	}
	err := job.sender.SendAll(ctx, job.Job, func(r deliver.Result) { fmt.Fprintln(stdout, r) })
	var down *deliver.UnreachableError
	if errors.As(err, &down) {
		return fmt.Errorf("%w — %s", down, job.unreachableHint())
	}
	if job.links != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "serving the signed links at %s until interrupted (ctrl+c)\n", job.links.URL())
		<-ctx.Done()
	}
	return err
}

func (job *sendJob) unreachableHint() string {
	if job.toUs {
		return "is extend-inspect running? start it with extend-inspect (or extend-inspect tail), or pass --to URL"
	}
	return "is your app running and listening there?"
}

// writeScenarioList is `send --scenario list`.
func writeScenarioList(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tDELIVERIES\tLENGTH\tDESCRIPTION")
	for _, sc := range sample.Scenarios() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", sc.Name, len(sc.Steps), sc.Length().Round(time.Second), sc.Description)
	}
	return tw.Flush()
}

// Flag values of send. Like main.go's, each validates in Set, so the flag
// parser reports a bad value naming the flag.

// targetURL is --to: an http or https URL with a host.
type targetURL string

func (t *targetURL) Set(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an http:// or https:// URL, e.g. http://localhost:3000/webhooks/extend")
	}
	*t = targetURL(s)
	return nil
}

func (t *targetURL) String() string { return string(*t) }
func (t *targetURL) Type() string   { return "URL" }

// rate is deliveries per second; 0 means no pause.
type rate float64

func (r *rate) Set(s string) error {
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return errors.New("want a number of deliveries per second above 0, e.g. 10 or 0.5")
	}
	*r = rate(n)
	return nil
}

func (r *rate) String() string { return strconv.FormatFloat(float64(*r), 'g', -1, 64) }
func (r *rate) Type() string   { return "R" }

// overrides collects --set path=value.
type overrides []deliver.Override

func (o *overrides) Set(s string) error {
	ov, err := deliver.ParseOverride(s)
	if err != nil {
		return err
	}
	*o = append(*o, ov)
	return nil
}

func (o *overrides) String() string {
	parts := make([]string, len(*o))
	for i, ov := range *o {
		parts[i] = ov.Path + "=" + ov.Value
	}
	return strings.Join(parts, ",")
}

func (o *overrides) Type() string { return "path=value" }
