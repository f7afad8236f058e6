package deliver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
)

// Forwarding defaults.
const (
	// DefaultForwardTimeout is how long a forward waits for the app: twice
	// Extend's Timeout, so an app slower than Extend allows is measured and
	// flagged Slow rather than cut off at the very moment that matters.
	DefaultForwardTimeout = 60 * time.Second

	// DefaultInFlight bounds the forwards under way at once.
	DefaultInFlight = 16

	// DefaultQueue bounds the deliveries waiting for a free slot. The queue
	// holds pointers to events the store keeps anyway, so a full one costs
	// a few kilobytes.
	DefaultQueue = 1024
)

// Why a delivery was not sent to the app: its forward result's Err.
const (
	SkippedQueueFull = "forward queue full"
	SkippedStopped   = "forwarding stopped"
	SkippedRefused   = "not forwarded: the receiver refused the body"
	SkippedCancelled = "interrupted before it was sent" // ForwardSync's context ended first
)

// ForwardConfig configures a Forwarder. Zero values take the defaults.
type ForwardConfig struct {
	URL       string        // the app's endpoint, as ParseTarget reads it
	Timeout   time.Duration // per forward; DefaultForwardTimeout
	SlowAfter time.Duration // answers slower than this are flagged; Timeout (Extend's 30 s)
	InFlight  int           // forwards under way at once; DefaultInFlight
	Queue     int           // deliveries waiting for a slot; DefaultQueue
	Client    *http.Client  // nil builds one with a connection per slot

	// OnDone, when set, is called with each event once its forward result
	// is set: answered, failed, timed out or skipped. It runs on the
	// forward's goroutine (for a skipped delivery, on Forward's caller) and
	// must not block.
	OnDone func(*store.Event)
}

// Forwarder sends stored deliveries on to the app under test and records
// the app's answer on each event.
//
// Deliveries wait in one bounded queue and are dispatched in the order
// Forward was called; at most InFlight are under way at once, so answers
// may come back in another order. Forward never blocks: when the queue is
// full the delivery is not sent and its result says SkippedQueueFull. Every
// event handed to Forward or ForwardSync gets a result, so "its forward is
// finished" is simply ev.Forward() != nil.
type Forwarder struct {
	target    *url.URL
	client    *http.Client
	timeout   time.Duration
	slowAfter time.Duration
	onDone    func(*store.Event)

	slots chan struct{} // a token per forward under way, synchronous ones included

	mu      sync.RWMutex // orders Close's close(queue) after every send on it
	closed  bool
	queue   chan job
	limit   int64        // Queue
	waiting atomic.Int64 // queued, plus the one the dispatcher holds while it waits for a slot

	running sync.WaitGroup     // the dispatcher and every forward under way
	ctx     context.Context    // ends when Close runs out of time, aborting what is under way
	stop    context.CancelFunc // ends ctx

	answered, failed, skipped, slow atomic.Uint64
}

type job struct {
	ev   *store.Event
	done chan struct{}
}

// NewForwarder validates the configuration and starts the dispatcher. Call
// Close to stop it.
func NewForwarder(cfg ForwardConfig) (*Forwarder, error) {
	target, err := ParseTarget(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout < 0 || cfg.SlowAfter < 0 || cfg.InFlight < 0 || cfg.Queue < 0 {
		return nil, fmt.Errorf("forwarding: timeouts and limits must not be negative")
	}
	cfg.Timeout = orDefault(cfg.Timeout, DefaultForwardTimeout)
	cfg.SlowAfter = orDefault(cfg.SlowAfter, Timeout)
	cfg.InFlight = orDefault(cfg.InFlight, DefaultInFlight)
	cfg.Queue = orDefault(cfg.Queue, DefaultQueue)
	if cfg.Client == nil {
		// The per-forward timeout is set on each request's context, so the
		// client needs none of its own.
		cfg.Client = newClient(0, cfg.InFlight)
	}
	ctx, stop := context.WithCancel(context.Background())
	f := &Forwarder{
		target:    target,
		client:    cfg.Client,
		timeout:   cfg.Timeout,
		slowAfter: cfg.SlowAfter,
		onDone:    cfg.OnDone,
		slots:     make(chan struct{}, cfg.InFlight),
		queue:     make(chan job, cfg.Queue),
		limit:     int64(cfg.Queue),
		ctx:       ctx,
		stop:      stop,
	}
	f.running.Add(1)
	go f.dispatch()
	return f, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// URL is the app's endpoint, as parsed.
func (f *Forwarder) URL() string { return f.target.String() }

// Forward queues ev for forwarding and returns at once. The channel is
// closed once ev's forward result is set and OnDone has returned, which
// for a skipped delivery is before Forward returns. A refused delivery (no body) is not sent.
func (f *Forwarder) Forward(ev *store.Event) <-chan struct{} {
	done := make(chan struct{})
	if ev.Rejected != "" {
		f.finish(ev, done, f.skip(SkippedRefused))
		return done
	}
	if reason := f.enqueue(job{ev, done}); reason != "" {
		f.finish(ev, done, f.skip(reason))
	}
	return done
}

// enqueue puts j on the queue without waiting, or says why it could not.
// The bound counts the delivery the dispatcher holds while it waits for a
// slot, so at most Queue deliveries ever wait; the channel has room for
// all of them, so the send never blocks.
func (f *Forwarder) enqueue(j job) (skipped string) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return SkippedStopped
	}
	for {
		n := f.waiting.Load()
		if n >= f.limit {
			return SkippedQueueFull
		}
		if f.waiting.CompareAndSwap(n, n+1) {
			break
		}
	}
	f.queue <- j
	return ""
}

// ForwardSync forwards ev now, on the caller's goroutine, and returns the
// result it also sets on ev: for `--respond pass-through`, where the
// receiver answers with the app's status. It waits for a free slot, so
// pass-through keeps the in-flight bound too; it gives up when ctx ends.
func (f *Forwarder) ForwardSync(ctx context.Context, ev *store.Event) *store.Forward {
	switch {
	case ev.Rejected != "":
		return f.finish(ev, nil, f.skip(SkippedRefused))
	case !f.enter():
		return f.finish(ev, nil, f.skip(SkippedStopped))
	}
	defer f.running.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(f.ctx, cancel)() // Close out of time aborts this one too
	if !f.acquire(ctx) {
		return f.finish(ev, nil, f.skip(SkippedCancelled))
	}
	defer f.release()
	return f.finish(ev, nil, f.send(ctx, ev))
}

// enter counts a synchronous forward as running, unless Close has begun.
// Close waits for the running count only after it has set closed, so an
// Add here always comes before that Wait.
func (f *Forwarder) enter() bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return false
	}
	f.running.Add(1)
	return true
}

// dispatch takes queued deliveries in order and starts each as soon as a
// slot is free.
func (f *Forwarder) dispatch() {
	defer f.running.Done()
	for j := range f.queue {
		ok := f.acquire(f.ctx)
		f.waiting.Add(-1)
		if !ok {
			f.finish(j.ev, j.done, f.skip(SkippedStopped))
			continue
		}
		f.running.Add(1)
		go func() {
			defer f.running.Done()
			defer f.release()
			f.finish(j.ev, j.done, f.send(f.ctx, j.ev))
		}()
	}
}

func (f *Forwarder) acquire(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case f.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (f *Forwarder) release() { <-f.slots }

// send posts ev's exact body and headers to the app, within the timeout.
func (f *Forwarder) send(ctx context.Context, ev *store.Event) *store.Forward {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	fw := Post(ctx, f.client, targetFor(f.target, ev.Query), ev.Body, ev.Headers).Forward(f.slowAfter)
	if fw.Status != 0 {
		f.answered.Add(1)
	} else {
		f.failed.Add(1)
	}
	if fw.Slow {
		f.slow.Add(1)
	}
	return fw
}

// skip is the result of a delivery that was not sent.
func (f *Forwarder) skip(reason string) *store.Forward {
	f.skipped.Add(1)
	return &store.Forward{URL: f.target.String(), Err: reason, Finished: time.Now()}
}

// finish publishes the result on the event, then tells whoever waits:
// OnDone, then Forward's caller, if there is one, by closing done.
func (f *Forwarder) finish(ev *store.Event, done chan struct{}, fw *store.Forward) *store.Forward {
	ev.SetForward(fw)
	if f.onDone != nil {
		f.onDone(ev)
	}
	if done != nil {
		close(done)
	}
	return fw
}

// Close stops taking deliveries and lets the queued and running forwards
// finish. When ctx ends first, what is under way is aborted (its result
// says "interrupted"), what still waits is marked SkippedStopped, and
// Close returns ctx's error once every result is set. Forward and
// ForwardSync called after Close skip at once.
func (f *Forwarder) Close(ctx context.Context) error {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		close(f.queue)
	}
	f.mu.Unlock()
	drained := make(chan struct{})
	go func() {
		f.running.Wait()
		close(drained)
	}()
	defer f.stop()
	select {
	case <-drained:
		return nil
	case <-ctx.Done():
		f.stop()
		<-drained
		return fmt.Errorf("stop forwarding: %w", ctx.Err())
	}
}

// ForwardStats counts forward results since the start.
type ForwardStats struct {
	Answered uint64 // the app answered, whatever its status
	Failed   uint64 // sent, but no answer: refused connection, timeout, interrupted
	Skipped  uint64 // never sent: queue full, stopped, refused body
	Slow     uint64 // answered or gave up later than SlowAfter
	InFlight int    // under way now
	Queued   int    // waiting for a slot now
}

// Stats returns the counts so far.
func (f *Forwarder) Stats() ForwardStats {
	return ForwardStats{
		Answered: f.answered.Load(),
		Failed:   f.failed.Load(),
		Skipped:  f.skipped.Load(),
		Slow:     f.slow.Load(),
		InFlight: len(f.slots),
		Queued:   int(f.waiting.Load()),
	}
}

// PassThroughStatus is what the receiver answers Extend under
// `--respond pass-through`: the app's status, or 502 Bad Gateway when the
// app gave none (unreachable, timed out, or not forwarded).
func PassThroughStatus(fw *store.Forward) int {
	if fw == nil || fw.Status == 0 {
		return http.StatusBadGateway
	}
	return fw.Status
}

// ParseTarget reads the app's URL as --forward-to and the replay prompt
// take it: a full http or https URL, or host:port/path and :port/path, which
// mean http (and localhost, for the latter).
func ParseTarget(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	example := "e.g. http://localhost:3000/webhooks"
	switch {
	case raw == "":
		return nil, fmt.Errorf("no URL given (%s)", example)
	case strings.HasPrefix(raw, ":"):
		raw = "http://localhost" + raw
	case !strings.Contains(raw, "://"):
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%q is not a URL (%s)", raw, example)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: only http and https URLs can be forwarded to (%s)", raw, example)
	case u.Host == "":
		return nil, fmt.Errorf("%q names no host (%s)", raw, example)
	}
	return u, nil
}

// targetFor is where one delivery goes: the target's own query when it has
// one, else the delivery's, so an `?api_version=` that Extend's endpoint URL
// carries reaches the app too.
func targetFor(target *url.URL, query string) string {
	if target.RawQuery != "" || query == "" {
		return target.String()
	}
	u := *target
	u.RawQuery = query
	return u.String()
}
