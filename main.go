// Command extend-inspect receives Extend's webhooks on a local port and shows
// them as they arrive: on a terminal screen, or as JSON lines with `tail`.
//
// The root files are wiring only: flags, the commands, and the lifecycle of
// the receiver and the store. What they wire lives in extend/, store/,
// receiver/ and ui/.
//
// # Adding to it
//
// The root command with no subcommand runs the screen (screen.go; `open`
// shares it through runScreenWith). opts holds the shared receiving flags,
// already validated; a command registers the ones it reads with the groups
// of flags.go (opts.addReceiving(cmd.Flags()) for a receiving command).
// newStore(opts) and startReceiver(ctx, opts, st, errorLog, stderr) build
// the store and start the receiver on it, with forwarding when --forward-to
// is given (receiving.go), the way `tail` does. A command returns
// an error to exit 1 with "extend-inspect: <error>" on stderr; it wraps one
// in usageError to exit 2, or returns an *exitError for another status. New
// commands are added in newRootCmd, each in its own cmd_NAME.go.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/receiver"
	"github.com/extend-inspect/extend-inspect/respond"
	"github.com/extend-inspect/extend-inspect/store"
)

// envSecret names the environment variable the signing secret is read from
// when --secret is not given. Prefer it: a flag's value is visible to every
// user of the machine in the process list.
const envSecret = "EXTEND_WEBHOOK_SECRET"

// shutdownGrace is how long requests in flight get to finish on exit.
const shutdownGrace = 10 * time.Second

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module's build information.
var version string

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the process's exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return exitStatus(root.ExecuteContext(ctx), stderr)
}

func newRootCmd() *cobra.Command {
	opts := defaultOptions()
	root := &cobra.Command{
		Use:   "extend-inspect",
		Short: "Watch Extend's webhooks arrive, live",
		Long: `extend-inspect receives Extend's webhook deliveries on a local port, verifies
their signatures, keeps them in memory and shows them as they arrive.

With no command it opens the inspector screen. Point an Extend webhook
endpoint at the address it listens on (through a tunnel such as
cloudflared or ngrok when Extend must reach your machine).`,
		Version:       versionString(),
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runScreen(cmd, opts)
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath()))
	})
	fs := root.Flags()
	opts.addReceiving(fs)
	fs.BoolVar(&opts.demo, "demo", false, "open the screen and play a short story of sample deliveries through it")
	addScreenFlags(fs, &opts.screen)
	addRecordFlag(fs, &opts.screen.record)
	addConnectFlags(fs, &opts.connect)
	root.AddCommand(newTailCmd(opts), newTypesCmd(), newExportCmd(opts), newOpenCmd(opts), newRunsCmd(opts))
	root.AddCommand(newSendCmd(opts), newWaitCmd(opts), newVerifyCmd(opts))
	root.AddCommand(newVersionCmd(), newManCmd(), newEndpointsCmd())
	finishTree(root)
	return root
}

// helpWidth is the width --help is written for.
const helpWidth = 80

// finishTree adds what cobra would add as it runs (help, completion), so
// the tree that man pages and tests walk is the one users get, wraps flag
// help to helpWidth, and gives the flags their value completion.
func finishTree(root *cobra.Command) {
	root.SetVersionTemplate(versionText() + "\n")
	usage := strings.NewReplacer(
		"Flags.FlagUsages", fmt.Sprintf("Flags.FlagUsagesWrapped %d", helpWidth),
		"for more information about a command.", "for more about each.",
	).Replace(root.UsageTemplate())
	root.SetUsageTemplate(usage)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	rewordCompletionHelp(root)
	registerCompletions(root)
}

// options are the flags shared by every command that receives deliveries.
type options struct {
	listen    listenAddr
	secret    secretFlag
	tolerance tolerance
	maxBody   byteSize
	capacity  count
	maxMemory byteSize
	forwardTo string // --forward-to: the app under test
	// fetchSigned is --fetch-signed-urls: fetch each verified delivery's
	// signed link as it arrives.
	fetchSigned bool
	respond     respond.Mode // --respond
	insecure    bool         // --insecure: the app's certificate is not checked
	caFile      caFile       // --ca-file: the roots the app's certificate is checked against
	demo        bool         // --demo: the screen plays the demo scenario (demo.go)
	screen      screenFlags
	connect     connectFlags // --register, --tunnel and theirs (cmd_connect.go)
}

func defaultOptions() *options {
	return &options{
		listen:    receiver.DefaultListen,
		tolerance: tolerance(receiver.DefaultTolerance),
		maxBody:   receiver.DefaultMaxBody,
		capacity:  store.DefaultCapacity,
		maxMemory: store.DefaultMaxMemory,
	}
}

// receiverConfig turns the flags into the receiver's options.
func (o *options) receiverConfig(errorLog *log.Logger) receiver.Config {
	cfg := receiver.DefaultConfig()
	cfg.Listen = string(o.listen)
	cfg.Secret = o.secret.value()
	cfg.Tolerance = time.Duration(o.tolerance)
	cfg.MaxBody = int64(o.maxBody)
	cfg.MaxMemory = int64(o.maxMemory)
	cfg.ErrorLog = errorLog
	cfg.Respond = o.respond
	return cfg
}

// newStore makes the store the flags describe: it keeps what --max-memory
// leaves once the bodies being read have their share, and the Go runtime's
// soft memory limit is set from --max-memory.
func newStore(o *options) *store.Store {
	setMemoryLimit(int64(o.maxMemory))
	return store.New(int(o.capacity), receiver.SplitMemory(int64(o.maxMemory), int64(o.maxBody)).Kept)
}

// setMemoryLimit sets the Go runtime's soft memory limit to a quarter more
// than --max-memory, plus 64 MiB for the program itself, unless GOMEMLIMIT
// sets one. Without it the heap may grow to twice what is live before the
// collector runs; with it the garbage of deliveries already handled is
// collected as the process nears the limit. The headroom keeps the
// collector from running without pause while the store is full.
func setMemoryLimit(maxMemory int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	const program = 64 << 20
	limit := int64(math.MaxInt64)
	if maxMemory < (math.MaxInt64-program)/5*4 {
		limit = maxMemory + maxMemory/4 + program
	}
	debug.SetMemoryLimit(limit)
}

// spareProcessorsForTheNetwork gives the Go scheduler more processors (Ps)
// than the machine has CPUs, unless GOMAXPROCS sets them. Go notices a
// delivery arriving only from a P with nothing to run, which waits in the
// network poller, or from the monitor that polls when none has for 10 ms.
// With one P per CPU, the screen's work (the search index, highlighting,
// frames) and the collector can keep every P busy for that long, and a
// delivery waits for one of them. With spare Ps there is nearly always one
// in the poller: the kernel wakes its thread when a request comes and
// shares the CPUs between it and the busy ones by time slice. The receiver
// is I/O bound; the extra Ps cost nothing while idle.
//
// Setting them turns off the runtime's own updates of GOMAXPROCS when the
// CPUs allowed change (a container's limit): the count is taken once, at
// start (defaultProcessors), so calling this again sets the same.
func spareProcessorsForTheNetwork() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(defaultProcessors + spareProcessors)
}

// defaultProcessors is the runtime's own GOMAXPROCS, as the program started.
var defaultProcessors = runtime.GOMAXPROCS(0)

// spareProcessors is how many more Ps than CPUs the receiving commands
// run with. Two were best measured on two CPUs (scripts/ackload.go, ack
// p99 with the screen: 9.7 ms with none, 5.2 with two, 6.1-6.3 with six,
// 6.6 with ten): more spin looking for work, and give the collector more
// workers, which take the CPUs from the requests while it marks.
const spareProcessors = 2

// startReceiver starts receiving into st, warning on stderr when the address
// can be reached from other machines, and, with --forward-to, forwarding
// each delivery to the app under test. With the connect flags it binds
// --listen first, then opens the tunnel and registers the endpoint (whose
// secret the receiver verifies with), then serves on both.
func startReceiver(ctx context.Context, o *options, st *store.Store, errorLog *log.Logger, stderr io.Writer) (*receiving, error) {
	cfg := o.receiverConfig(errorLog)
	r := &receiving{warn: stderr}
	if o.respond.Kind() == respond.KindPassThrough && o.forwardTo == "" {
		return nil, usageError(errors.New("--respond pass-through answers with your app's status: give the app's URL with --forward-to"))
	}
	plan, err := o.connect.plan(o.secret, o.demo, errorLog, stderr)
	if err != nil {
		return nil, err
	}
	if err := r.startForwarding(o.forwardTo, o.trust(), st, &cfg); err != nil {
		return nil, err
	}
	ln, err := listen(cfg.Listen)
	if err == nil {
		err = r.dial(ctx, plan, o)
	}
	if err != nil {
		closeIfOpen(ln)
		r.stop(context.Background()) // nothing was received: this is quick
		return nil, err
	}
	cfg.Secret = o.secret.value()
	r.Server = receiver.New(cfg, st)
	spareProcessorsForTheNetwork()
	r.serve(ln)
	if receiver.Exposed(r.Addr()) {
		fmt.Fprintf(stderr, "extend-inspect: warning: listening on %s, reachable from other machines; deliveries carry your customers' document data\n", r.Addr())
	}
	if r.link.Tunnel != nil && cfg.Secret == "" {
		fmt.Fprintf(stderr, "extend-inspect: warning: the tunnel %s is public and no signing secret is set: anyone with the URL can post to it; deliveries carry your customers' document data\n", r.link.PublicURL())
	}
	return r, nil
}

// listen binds the --listen address, before anything is registered.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("listen on %s: %w (is another extend-inspect running? choose another address with --listen 127.0.0.1:PORT)", addr, err)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

func closeIfOpen(ln net.Listener) {
	if ln != nil {
		ln.Close()
	}
}

// stopReceiver stops accepting, lets requests in flight finish, then
// forwards what was stored, all within shutdownGrace; forwards it gives up
// on are reported on stderr.
func stopReceiver(r *receiving) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return r.stop(ctx)
}

// exitError carries the status a command wants the process to exit with. A
// nil err exits without a message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks a mistake on the command line: exit status 2.
func usageError(err error) error { return &exitError{code: 2, err: err} }

// exitStatus prints err as one line on stderr and picks the exit status.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	code := 1
	var exit *exitError
	if errors.As(err, &exit) {
		code = exit.code
		if exit.err == nil {
			return code
		}
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	fmt.Fprintf(stderr, "extend-inspect: %s\n", msg)
	return code
}

// noArgs refuses positional arguments with a usage error, suggesting the
// command the user may have meant.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if !cmd.HasSubCommands() {
		return usageError(fmt.Errorf("%s takes no arguments, got %q (see --help)", cmd.CommandPath(), args[0]))
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return usageError(fmt.Errorf("%s (see %s --help)", msg, cmd.CommandPath()))
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Flag values. Each validates in Set, so a bad value is reported by the flag
// parser as `invalid argument "x" for "--flag" flag: why` and exits 2 before
// anything starts.

// listenAddr is a HOST:PORT to listen on.
type listenAddr string

func (a *listenAddr) Set(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("want HOST:PORT, e.g. %s", receiver.DefaultListen)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n > math.MaxUint16 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	*a = listenAddr(s)
	return nil
}

func (a *listenAddr) String() string { return string(*a) }
func (a *listenAddr) Type() string   { return "HOST:PORT" }

// secretFlag holds --secret; without it, the secret comes from the
// environment. Giving --secret "" turns verification off even when the
// variable is set.
type secretFlag struct {
	secret string
	given  bool
}

func (s *secretFlag) Set(v string) error {
	s.secret, s.given = v, true
	return nil
}

func (s *secretFlag) value() string {
	if s.given {
		return s.secret
	}
	return os.Getenv(envSecret)
}

// String never shows the secret: help text and errors print it.
func (s *secretFlag) String() string { return receiver.MaskSecret(s.secret) }
func (s *secretFlag) Type() string   { return "SECRET" }

// tolerance is a duration; a plain number counts seconds, as the SDKs'
// maxAgeSeconds does.
type tolerance time.Duration

func (t *tolerance) Set(s string) error {
	d, err := time.ParseDuration(s)
	if n, nerr := strconv.ParseInt(s, 10, 64); nerr == nil && n <= math.MaxInt64/int64(time.Second) {
		d, err = time.Duration(n)*time.Second, nil
	}
	switch {
	case err != nil:
		return errors.New("want a duration such as 300s or 5m, or 0 to turn the age check off")
	case d < 0:
		return errors.New("must not be negative")
	}
	*t = tolerance(d)
	return nil
}

func (t *tolerance) String() string {
	if d := time.Duration(*t); d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return time.Duration(*t).String()
}

func (t *tolerance) Type() string { return "DURATION" }

// count is --capacity: a number of deliveries from 1 to maxCapacity.
type count int

// maxCapacity is the most deliveries the store can be asked to keep. It
// allocates a slot for each up front (8 bytes: 8 MB at the ceiling), and
// every delivery kept takes at least about 1 KB, so a million of them need
// more than the default --max-memory twice over: a larger count could never
// fill, and one large enough exhausts memory before anything starts.
const maxCapacity = 1_000_000

func (c *count) Set(s string) error {
	n, err := strconv.Atoi(s)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return errors.New("want a whole number")
	case n < 1:
		return errors.New("must be at least 1")
	case err != nil || n > maxCapacity:
		return fmt.Errorf("must be at most %d: each delivery kept takes at least 1 KB of --max-memory", maxCapacity)
	}
	*c = count(n)
	return nil
}

func (c *count) String() string { return strconv.Itoa(int(*c)) }
func (c *count) Type() string   { return "N" }

// byteSize is a size in bytes, written as 512MiB, 1GB, 64k or a plain number.
type byteSize int64

func (b *byteSize) Set(s string) error {
	n, err := humanize.ParseBytes(s)
	switch {
	case err != nil:
		return errors.New("want a size such as 512MiB, 1GB or a number of bytes")
	case n == 0:
		return errors.New("must be more than 0 bytes")
	case n > math.MaxInt64:
		return errors.New("too large")
	}
	*b = byteSize(n)
	return nil
}

// String writes the size exactly, in the largest binary unit that divides it.
func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.name)
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) Type() string { return "SIZE" }
