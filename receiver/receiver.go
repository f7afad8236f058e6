// Package receiver is the inspector's HTTP endpoint. It takes deliveries
// exactly as Extend sends them, checks their signatures, appends them to a
// Sink (the store) and answers at once. It never talks to the screen: readers
// learn about new deliveries from the store's change signal.
package receiver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/respond"
	"github.com/extend-inspect/extend-inspect/store"
)

// DefaultListen is where the receiver listens unless told otherwise. 4677
// spells INSP on a phone keypad; no common development tool uses it.
const DefaultListen = "127.0.0.1:4677"

// Defaults for the limits. Extend's deliveries are small JSON documents with
// a handful of headers, so the limits sit far above them and well below what
// would let one sender exhaust memory.
const (
	DefaultMaxBody           = 10 << 20
	DefaultTolerance         = extend.DefaultMaxAge
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
	DefaultInFlightBytes     = 64 << 20
)

// Config holds the receiver's options. Zero limits and timeouts take their
// defaults; Tolerance is used as given, since zero means "no age check".
type Config struct {
	// Listen is HOST:PORT; empty means DefaultListen. Port 0 picks a free one.
	Listen string

	// Secret is the endpoint's signing secret; empty leaves every delivery
	// unchecked. It is never printed: show MaskSecret(Secret) instead.
	Secret string

	// Tolerance is how old a signed timestamp may be. Zero disables the age
	// check (and the future check with it), as the SDKs' maxAgeSeconds = 0 does.
	Tolerance time.Duration

	// MaxBody is the largest body stored, in bytes; a larger one is refused
	// with 413 and kept as a rejected delivery without its body.
	MaxBody int64

	// Timeouts that bound slow clients, as in http.Server.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int

	// InFlightBytes bounds the body bytes being read at once, across all
	// connections. A body holds only the bytes it has received so far; one
	// that needs more waits for room (until its read deadline) and is
	// answered 503 when none frees up. A quarter of the budget is kept for
	// the first 64 KiB of each body, so small deliveries never queue behind
	// large ones; the rest is raised to MaxBody if smaller.
	InFlightBytes int64

	// MaxMemory, when set, is `--max-memory`: the memory for the bodies
	// being read and the deliveries kept together. The receiver then takes
	// its in-flight budget from it, in place of InFlightBytes, and refuses a
	// body too large to both read and keep within it (see SplitMemory).
	MaxMemory int64

	// ErrorLog receives the HTTP server's own complaints (accept errors,
	// panics). nil discards them: while the screen runs, nothing may write to
	// the terminal.
	ErrorLog *log.Logger

	// OnStored, when set, is called with each delivery right after it is
	// stored and before the sender gets its answer, from the request's
	// goroutine. It must not block; forwarding to the app under test hangs
	// off it.
	OnStored func(*store.Event)

	// Respond is what the receiver answers at start; SetRespond and
	// CycleRespond change it while it runs. The zero value answers 200.
	Respond respond.Mode

	// PassThrough answers a delivery under the pass-through mode: it
	// forwards ev to the app, records the app's answer on it, and returns
	// the status to give the sender. It runs before the delivery is stored,
	// so the stored event already carries the app's answer. nil answers 502.
	PassThrough func(ctx context.Context, ev *store.Event) int
}

// DefaultConfig returns a Config with every default filled in.
func DefaultConfig() Config {
	return Config{
		Listen:            DefaultListen,
		Tolerance:         DefaultTolerance,
		MaxBody:           DefaultMaxBody,
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		InFlightBytes:     DefaultInFlightBytes,
	}
}

// withDefaults fills zero limits with their defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	c.Listen = orDefault(c.Listen, d.Listen)
	c.MaxBody = orDefault(c.MaxBody, d.MaxBody)
	c.ReadHeaderTimeout = orDefault(c.ReadHeaderTimeout, d.ReadHeaderTimeout)
	c.ReadTimeout = orDefault(c.ReadTimeout, d.ReadTimeout)
	c.IdleTimeout = orDefault(c.IdleTimeout, d.IdleTimeout)
	c.MaxHeaderBytes = orDefault(c.MaxHeaderBytes, d.MaxHeaderBytes)
	c.InFlightBytes = orDefault(c.InFlightBytes, d.InFlightBytes)
	if c.ErrorLog == nil {
		c.ErrorLog = log.New(io.Discard, "", 0)
	}
	return c
}

// memory is how the receiver bounds the memory of bodies.
func (c Config) memory() Memory {
	if c.MaxMemory > 0 {
		return SplitMemory(c.MaxMemory, c.MaxBody)
	}
	return inFlight(c.InFlightBytes, c.MaxBody)
}

func orDefault[T int | int64 | time.Duration | string](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Sink is where the receiver puts deliveries; *store.Store is one. Append
// must not block on readers.
type Sink interface {
	Append(*store.Event) uint64
}

// statser is the optional side of a Sink that /healthz reports from.
type statser interface {
	Stats() store.Stats
}

// Server is a running (or ready to run) receiver. It is an http.Handler, so
// tests and benchmarks can also mount it elsewhere.
type Server struct {
	cfg      Config
	sink     Sink
	verifier extend.Verifier
	http     *http.Server
	memory   Memory
	inFlight *budget

	addr     string
	started  time.Time
	serving  sync.WaitGroup // one for each listener being served
	serveMu  sync.Mutex
	serveErr error // the first error a Serve returned other than ErrServerClosed

	received atomic.Uint64 // deliveries handled, rejected ones included
	rejected atomic.Uint64
	reading  atomic.Int64 // bodies being read now

	respond  atomic.Pointer[respond.Mode]
	stopping chan struct{} // closed by Shutdown: slow answers stop waiting
	stopOnce sync.Once
}

// New returns a receiver that appends to sink. Call Start to listen.
func New(cfg Config, sink Sink) *Server {
	cfg = cfg.withDefaults()
	memory := cfg.memory()
	s := &Server{
		cfg:      cfg,
		sink:     sink,
		verifier: extend.Verifier{Secret: cfg.Secret, MaxAge: cfg.Tolerance, MaxFuture: extend.DefaultMaxFuture},
		memory:   memory,
		inFlight: newBudget(memory),
		stopping: make(chan struct{}),
	}
	s.SetRespond(cfg.Respond)
	// No WriteTimeout: every answer is a few dozen bytes, and a later
	// "answer slowly" mode must be able to hold a request open on purpose.
	// net/http answers "OPTIONS *" itself with 200 unless told not to; the
	// receiver answers it as any other method: 405.
	s.http = &http.Server{
		Handler:                      s,
		DisableGeneralOptionsHandler: true,
		ReadHeaderTimeout:            cfg.ReadHeaderTimeout,
		ReadTimeout:                  cfg.ReadTimeout,
		IdleTimeout:                  cfg.IdleTimeout,
		MaxHeaderBytes:               cfg.MaxHeaderBytes,
		ErrorLog:                     cfg.ErrorLog,
	}
	return s
}

// Start listens on the configured address and serves in the background. It
// returns the address it bound, with the real port when the configured one
// was 0.
func (s *Server) Start() (string, error) {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	s.Serve(ln)
	return s.addr, nil
}

// Serve serves on ln in the background: a socket bound before the server
// was built (so the signing secret can come from registering an endpoint
// after the port is taken), or a tunnel. It may be called for several
// listeners; Addr is the first one's address. Shutdown closes them all.
func (s *Server) Serve(ln net.Listener) {
	if s.addr == "" {
		s.addr = ln.Addr().String()
		s.started = time.Now()
	}
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.serveMu.Lock()
			if s.serveErr == nil {
				s.serveErr = err
			}
			s.serveMu.Unlock()
		}
	}()
}

// Addr is the first listener's address, "" before Start or Serve.
func (s *Server) Addr() string { return s.addr }

// Shutdown stops accepting connections and waits for requests in flight to
// finish, so every delivery that was acknowledged is in the sink when it
// returns. If ctx ends first, the remaining connections are closed and the
// context's error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.addr == "" {
		return nil
	}
	s.stopOnce.Do(func() { close(s.stopping) })
	if err := s.http.Shutdown(ctx); err != nil {
		s.http.Close()
		return fmt.Errorf("shut down the receiver: %w", err)
	}
	s.serving.Wait()
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if s.serveErr != nil {
		return fmt.Errorf("receiver stopped: %w", s.serveErr)
	}
	return nil
}

// ServeHTTP records a POST to any path, reports status on GET /healthz, and
// refuses everything else with 405.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost:
		s.receive(w, r)
	case r.URL.Path == healthPath && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		s.health(w)
	default:
		s.refuseMethod(w, r)
	}
}
