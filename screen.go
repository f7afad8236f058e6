package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/themes"
	"github.com/extend-inspect/extend-inspect/ui"
)

// screenFlags are the root command's flags that only the screen reads.
type screenFlags struct {
	theme     string
	keys      string
	record    string
	exportDir string
	// lowConfidence marks the doubtful fields of the Fields view.
	lowConfidence confidence
}

// confidence is a --low-confidence value: above 0, at most 1.
type confidence float64

func (c *confidence) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return errors.New("want a number such as 0.8")
	case v <= 0 || v > 1:
		return errors.New("must be above 0 and at most 1")
	}
	*c = confidence(v)
	return nil
}

func (c *confidence) String() string { return strconv.FormatFloat(float64(*c), 'g', -1, 64) }
func (c *confidence) Type() string   { return "confidence" }

// addScreenFlags registers the flags of a command that opens the screen:
// the root and open.
func addScreenFlags(fs *pflag.FlagSet, sf *screenFlags) {
	keysPath, _ := keymap.DefaultPath()
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		keysPath = strings.Replace(keysPath, home, "~", 1) // short enough to fit --help
	}
	fs.StringVar(&sf.theme, "theme", "", fmt.Sprintf("`NAME` of the screen's colours: %s (default: light or dark as the terminal's background is, mono when NO_COLOR is set)", strings.Join(themes.Names(), ", ")))
	fs.StringVar(&sf.keys, "keys", "", "key bindings `FILE` (default "+keysPath+"; see docs/keys.md)")
	fs.StringVar(&sf.exportDir, "export-dir", "", "`DIR` the export dialog (e) writes into (default ./extend-events-<timestamp>)")
	sf.lowConfidence = confidence(output.DefaultLowConfidence)
	fs.Var(&sf.lowConfidence, "low-confidence", "the Fields view marks fields whose confidence is below this (above 0, at most 1)")
}

// runScreen opens the inspector screen: it starts the receiver on the
// flags' address, runs the screen until the user quits, then stops the
// receiver, letting requests in flight finish. Bad --theme or --keys exit 2
// before anything starts.
func runScreen(cmd *cobra.Command, opts *options) error {
	return runScreenWith(cmd, opts, screenRun{store: newStore(opts), receive: true})
}

// screenRun says what a screen shows besides the flags: the store it reads,
// whether a receiver fills it, and the session file it was loaded from.
type screenRun struct {
	store   *store.Store
	receive bool
	session string     // the session file shown, for `open`
	loading ui.Loading // the session loading behind the screen, for `open`
}

// runScreenWith runs the screen on run.store, with a receiver (and --record,
// --demo) when run.receive is set.
func runScreenWith(cmd *cobra.Command, opts *options, run screenRun) (err error) {
	sf := &opts.screen
	noColor := os.Getenv("NO_COLOR") != ""
	theme, err := themes.Select(sf.theme, noColor)
	if err != nil {
		return usageError(fmt.Errorf("--theme: %w", err))
	}
	keys, err := loadKeys(sf.keys)
	if err != nil {
		return usageError(err)
	}
	if err := needTerminal(); err != nil {
		return err
	}
	if opts.demo {
		opts.secret = secretFlag{secret: demoSecret(opts.secret.value()), given: true}
		if !cmd.Flags().Changed("listen") {
			opts.listen = demoListen
		}
	}

	// Nothing may write to the terminal while the screen owns it: the
	// receiver's error log is discarded, and the recorder's warnings wait
	// until the screen is gone.
	var later lockedBuffer
	defer func() { io.Copy(cmd.ErrOrStderr(), &later) }()
	st := run.store
	// Signals end the screen through ctx as well as through Bubble Tea's
	// own handler, so that one arriving while --register is starting, or
	// before the screen has taken the terminal, still deletes the endpoint.
	ctx, cancel := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	cfg := ui.Config{
		Source: st,
		Theme:  theme,
		// The theme follows the terminal's background when none is chosen.
		FollowTerminal: themes.FollowsTerminal(sf.theme, noColor),
		Keys:           keys,
		Session:        run.session,
		ReplayAddr:     opts.listen.String(),
		ExportDir:      sf.exportDir,
		Version:        versionString(),
		Loading:        run.loading,
		ForwardTo:      opts.forwardTo,
		LowConfidence:  float64(sf.lowConfidence),
		OpenURL:        openInBrowser,
		Editor:         cmp.Or(os.Getenv("VISUAL"), os.Getenv("EDITOR"), "less"),
		Links:          screenLinks{store: st, fetcher: deliver.Fetcher{MaxBytes: int64(opts.maxBody)}},
	}
	if run.receive {
		// err, not a shadow of it: the deferred stops report into the result.
		var rec *recording
		if rec, err = startRecording(st, sf.record, &later); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, rec.stop()) }()
		if rec != nil {
			cfg.Recorder = rec
		}
		var srv *receiving
		if srv, err = startReceiver(ctx, opts, st, log.New(io.Discard, "", 0), cmd.ErrOrStderr()); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, stopReceiver(srv)) }()
		srv.fetchLinks(opts, st, &later)
		defer cancel() // the demo stops sending before the receiver stops
		if opts.demo {
			if err := startDemo(ctx, srv.Addr(), opts.secret.value()); err != nil {
				return err
			}
		}
		cfg.Listen, cfg.ReplayAddr = srv.Addr(), srv.Addr()
		cfg.Answer = srv.Server // the screen's key cycles the receiver's answer
		cfg.Forwarded = srv.Forwarded()
		cfg.PublicURL, cfg.EndpointID = srv.link.PublicURL(), srv.link.EndpointID()
	}
	// After the receiver starts: --register gives the secret.
	cfg.Verifying, cfg.Replayer = opts.secret.value() != "", newScreenReplayer(st, opts.forwardTo, opts.secret.value(), opts.trust())

	model := ui.New(cfg)
	defer model.Close()
	_, err = tea.NewProgram(model, tea.WithContext(ctx)).Run()
	if bye := model.Farewell(); bye != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "extend-inspect: "+bye)
	}
	if sum := model.Summary(); run.receive && sum != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "extend-inspect: "+sum)
	}
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		return nil // a signal asked us to stop: that is a normal end
	}
	if err != nil {
		return fmt.Errorf("screen: %w", err)
	}
	return nil
}

// needTerminal refuses, before anything starts, to run the screen where
// there is no terminal to draw it on (a CI job, a service, a pipe with no
// controlling terminal), and says what works there instead. The screen
// reads keys from stdin when it is a terminal, else from /dev/tty.
func needTerminal() error {
	if term.IsTerminal(os.Stdin.Fd()) {
		return nil
	}
	tty, _, err := tea.OpenTTY()
	if err != nil {
		return fmt.Errorf("the screen needs a terminal (%w); without one, `extend-inspect tail` prints each delivery as a line of JSON", err)
	}
	return tty.Close()
}

// loadKeys reads the key bindings: from path when given, else from the
// default path when that file exists.
func loadKeys(path string) (keymap.KeyMap, error) {
	if path != "" {
		return keymap.Load(path, false)
	}
	def, err := keymap.DefaultPath()
	if err != nil {
		return keymap.DefaultKeyMap(), nil
	}
	return keymap.Load(def, true)
}

// lockedBuffer collects output written from other goroutines while the
// screen runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Read(p)
}
