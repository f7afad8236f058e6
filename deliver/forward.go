package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// Forwarding defaults.
const (
	// DefaultForwardTimeout is how long a forward waits for the app: twice
	// Extend's delivery timeout, so an app slower than Extend allows is
	// measured and flagged Slow rather than cut off at the very moment that
	// matters.
	DefaultForwardTimeout = 2 * extend.DeliveryTimeout

	// DefaultInFlight bounds the forwards under way at once.
	DefaultInFlight = 16
)

// Why a delivery was not sent to the app: its forward result's Err.
const (
	SkippedStopped   = "forwarding stopped" // the inspector stopped before its turn
	SkippedRefused   = "not forwarded: the receiver refused the body"
	SkippedCancelled = "interrupted before it was sent" // ForwardSync's context ended first
)

// ForwardConfig configures a Forwarder. Zero values take the defaults.
type ForwardConfig struct {
	URL       string        // the app's endpoint, as ParseTarget reads it
	Timeout   time.Duration // per forward; DefaultForwardTimeout
	SlowAfter time.Duration // answers slower than this are flagged; extend.DeliveryTimeout
	InFlight  int           // forwards under way at once; DefaultInFlight
	Client    *http.Client  // nil builds one with a connection per slot
	Trust     Trust         // how that client checks an https app's certificate

	// OnDone, when set, is called with each event once its forward result
	// is set: answered, failed, timed out or skipped. It runs on the
	// forward's goroutine and must not block.
	OnDone func(*store.Event)
}

// Forwarder sends the deliveries a store takes on to the app under test and
// records the app's answer on each event.
//
// It follows the store like any other reader: it takes the deliveries in
// sequence order, one at a time and only once a slot is free, so what waits
// for the app waits in the store, which bounds it (--capacity,
// --max-memory), and nowhere else. At most InFlight forwards are under way
// at once, so answers may come back in another order. A delivery evicted
// from the store before its turn is not sent; Missed counts those. Every
// delivery it takes gets a result, so "its forward is finished" is simply
// ev.Forward() != nil. A delivery that carries a result already (forwarded
// by ForwardSync under pass-through, or a replay) is passed over.
type Forwarder struct {
	target    *url.URL
	client    *http.Client
	timeout   time.Duration
	slowAfter time.Duration
	onDone    func(*store.Event)

	store     *store.Store
	follower  *store.Follower // the pump's alone
	slots     chan struct{}   // a token per forward under way, synchronous ones included
	forwarded chan struct{}   // capacity 1: a result was set or a delivery missed

	mu      sync.RWMutex  // orders ForwardSync's running.Add before Close's Wait
	closed  bool          // Close has begun
	closing chan struct{} // closed by Close: forward what is stored, then stop

	running sync.WaitGroup     // the pump and every forward under way
	ctx     context.Context    // ends when Close runs out of time, aborting what is under way
	stop    context.CancelFunc // ends ctx

	abandonMu sync.Mutex
	abandoned Abandoned

	answered, failed, skipped, slow, missed atomic.Uint64
}

// NewForwarder validates the configuration and starts forwarding every
// delivery st stores from now on; the events it holds already are not
// sent. Call Close to stop.
func NewForwarder(st *store.Store, cfg ForwardConfig) (*Forwarder, error) {
	target, err := ParseTarget(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout < 0 || cfg.SlowAfter < 0 || cfg.InFlight < 0 {
		return nil, fmt.Errorf("forwarding: timeouts and limits must not be negative")
	}
	cfg.Timeout = orDefault(cfg.Timeout, DefaultForwardTimeout)
	cfg.SlowAfter = orDefault(cfg.SlowAfter, extend.DeliveryTimeout)
	cfg.InFlight = orDefault(cfg.InFlight, DefaultInFlight)
	if cfg.Client == nil {
		// The per-forward timeout is set on each request's context, so the
		// client needs none of its own.
		cfg.Client = newClient(0, cfg.InFlight, cfg.Trust)
	}
	ctx, stop := context.WithCancel(context.Background())
	f := &Forwarder{
		target:    target,
		client:    cfg.Client,
		timeout:   cfg.Timeout,
		slowAfter: cfg.SlowAfter,
		onDone:    cfg.OnDone,
		store:     st,
		follower:  st.Follow(st.Last()),
		slots:     make(chan struct{}, cfg.InFlight),
		forwarded: make(chan struct{}, 1),
		closing:   make(chan struct{}),
		ctx:       ctx,
		stop:      stop,
	}
	f.running.Add(1)
	go f.pump()
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

// Forwarded is signalled (capacity one, so a burst costs one wake-up) when
// a forward result is set or a delivery was missed: the one reader that
// waits for results, tail or the screen, selects on it.
func (f *Forwarder) Forwarded() <-chan struct{} { return f.forwarded }

// Missed counts the deliveries evicted from the store before their turn
// came, which were never sent. Readers show it: a delivery is never lost
// silently.
func (f *Forwarder) Missed() uint64 { return f.missed.Load() }

// pump hands the store's deliveries, in order, to free slots until Close.
// It takes the next delivery only once the one before is under way, so at
// most one waits for a slot outside the store; it does not hold a slot
// while it waits for a delivery, which would keep pass-through forwards
// from it. When it stops, whatever it did not send gets a result too.
func (f *Forwarder) pump() {
	defer f.running.Done()
	defer f.follower.Close()
	for {
		ev := f.next()
		if ev == nil {
			break
		}
		if !f.acquire(f.ctx) {
			f.abandonUnsent(ev)
			break
		}
		if _, stored := f.store.Get(ev.Seq); !stored {
			f.release() // evicted while it waited for the slot: its turn never came
			f.noteMissed(1)
			continue
		}
		f.running.Add(1)
		go func() {
			defer f.running.Done()
			defer f.release()
			f.forward(f.ctx, ev)
		}()
	}
	f.abandonRest()
}

// next waits for the next stored delivery that needs forwarding. It
// returns nil once Close has begun and the store has no more, or when
// Close has run out of time.
func (f *Forwarder) next() *store.Event {
	draining := false
	for {
		b := f.follower.TakeUpTo(1)
		f.noteMissed(b.Missed)
		if len(b.Events) > 0 {
			if ev := b.Events[0]; ev.Forward() == nil {
				return ev
			}
			continue
		}
		if draining {
			return nil
		}
		select {
		case <-f.follower.Changed():
		case <-f.closing:
			draining = true // one more look: Close comes after the last append
		case <-f.ctx.Done():
			return nil
		}
	}
}

// abandonRest gives each delivery the pump did not take the result
// SkippedStopped, so that nobody waits for it: after Close ran out of time
// nothing more is sent.
func (f *Forwarder) abandonRest() {
	for {
		b := f.follower.Take()
		f.noteMissed(b.Missed)
		if len(b.Events) == 0 {
			return
		}
		for _, ev := range b.Events {
			if ev.Forward() == nil {
				f.abandonUnsent(ev)
			}
		}
	}
}

func (f *Forwarder) abandonUnsent(ev *store.Event) {
	f.finish(ev, f.skip(SkippedStopped))
	f.abandon(&f.abandoned.Unsent, ev.Seq)
}

func (f *Forwarder) noteMissed(n uint64) {
	if n > 0 {
		f.missed.Add(n)
		f.signal()
	}
}

// ForwardSync forwards ev now, on the caller's goroutine, and returns the
// result it also sets on ev: for `--respond pass-through`, where the
// receiver answers with the app's status before it stores the delivery.
// It waits for a free slot, so pass-through keeps the in-flight bound too;
// it gives up when ctx ends.
func (f *Forwarder) ForwardSync(ctx context.Context, ev *store.Event) *store.Forward {
	switch {
	case ev.Rejected() != "":
		return f.finish(ev, f.skip(SkippedRefused))
	case !f.enter():
		return f.finish(ev, f.skip(SkippedStopped))
	}
	defer f.running.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(f.ctx, cancel)() // Close out of time aborts this one too
	if !f.acquire(ctx) {
		return f.finish(ev, f.skip(SkippedCancelled))
	}
	defer f.release()
	return f.finish(ev, f.send(ctx, ev))
}

// PassThrough forwards ev with ForwardSync and returns the status the
// receiver answers Extend with: the receiver's PassThrough hook.
func (f *Forwarder) PassThrough(ctx context.Context, ev *store.Event) int {
	return PassThroughStatus(f.ForwardSync(ctx, ev))
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

// forward sends ev, unless the receiver refused its body, and publishes
// the result.
func (f *Forwarder) forward(ctx context.Context, ev *store.Event) *store.Forward {
	if ev.Rejected() != "" {
		return f.finish(ev, f.skip(SkippedRefused))
	}
	return f.finish(ev, f.send(ctx, ev))
}

// send posts ev's exact body and headers to the app, within the timeout.
func (f *Forwarder) send(ctx context.Context, ev *store.Event) *store.Forward {
	body, err := ev.Body()
	if err != nil {
		return f.skip(err.Error())
	}
	headers, err := ev.Headers()
	if err != nil {
		return f.skip(err.Error())
	}
	ctx, cancel := withTimeout(ctx, f.timeout)
	defer cancel()
	res := Post(ctx, f.client, targetFor(f.target, ev.Query), body, headers)
	if res.Status == 0 && errors.Is(res.Err, context.Canceled) && f.ctx.Err() != nil {
		f.abandon(&f.abandoned.Interrupted, ev.Seq)
	}
	fw := res.Forward(f.slowAfter)
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
// OnDone, then the reader of Forwarded.
func (f *Forwarder) finish(ev *store.Event, fw *store.Forward) *store.Forward {
	ev.SetForward(fw)
	if f.onDone != nil {
		f.onDone(ev)
	}
	f.signal()
	return fw
}

func (f *Forwarder) signal() {
	select {
	case f.forwarded <- struct{}{}:
	default:
	}
}

func (f *Forwarder) abandon(list *[]uint64, seq uint64) {
	f.abandonMu.Lock()
	defer f.abandonMu.Unlock()
	*list = append(*list, seq)
}

// Close forwards what the store holds, lets the forwards under way finish,
// and stops; call it once the receiver has stopped, so that every delivery
// it acknowledged is forwarded. When ctx ends first, what is under way is
// aborted (its result says "interrupted"), what was not sent yet gets
// SkippedStopped, and Close returns an *AbandonedError listing them once
// every result is set. ForwardSync called after Close skips at once.
func (f *Forwarder) Close(ctx context.Context) error {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		close(f.closing)
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
	}
	f.abandonMu.Lock()
	defer f.abandonMu.Unlock()
	if f.abandoned.empty() {
		return nil
	}
	return &AbandonedError{Abandoned: f.abandoned, Err: ctx.Err()}
}

// Abandoned lists, by sequence number, the forwards Close gave up on when
// its time ran out.
type Abandoned struct {
	Interrupted []uint64 // sent, but the app's answer was not awaited
	Unsent      []uint64 // never sent
}

func (a Abandoned) empty() bool { return len(a.Interrupted)+len(a.Unsent) == 0 }

// String lists them for people: "#3 under way; #4–#9 not sent".
func (a Abandoned) String() string {
	var parts []string
	if len(a.Interrupted) > 0 {
		parts = append(parts, seqList(a.Interrupted)+" under way")
	}
	if len(a.Unsent) > 0 {
		parts = append(parts, seqList(a.Unsent)+" not sent")
	}
	return strings.Join(parts, "; ")
}

// AbandonedError is Close's error when its time ran out before every
// delivery was forwarded. Each of them still has a result on its event.
type AbandonedError struct {
	Abandoned
	Err error // the context's
}

func (e *AbandonedError) Error() string {
	n := len(e.Interrupted) + len(e.Unsent)
	return fmt.Sprintf("forwarding stopped (%v): %d %s abandoned: %s", e.Err, n, plural(n, "forward", "forwards"), e.Abandoned)
}

func (e *AbandonedError) Unwrap() error { return e.Err }

// seqList writes sequence numbers in order, runs as ranges, and at most a
// few ranges: "#3, #5–#9 and 12 more".
func seqList(seqs []uint64) string {
	const most = 6
	seqs = slices.Sorted(slices.Values(seqs))
	var out []string
	left := 0
	for i := 0; i < len(seqs); {
		j := i
		for j+1 < len(seqs) && seqs[j+1] == seqs[j]+1 {
			j++
		}
		if len(out) == most {
			left += j - i + 1
		} else if i == j {
			out = append(out, fmt.Sprintf("#%d", seqs[i]))
		} else {
			out = append(out, fmt.Sprintf("#%d–#%d", seqs[i], seqs[j]))
		}
		i = j + 1
	}
	s := strings.Join(out, ", ")
	if left > 0 {
		s += fmt.Sprintf(" and %d more", left)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ForwardStats counts forward results since the start.
type ForwardStats struct {
	Answered uint64 // the app answered, whatever its status
	Failed   uint64 // sent, but no answer: refused connection, timeout, interrupted
	Skipped  uint64 // never sent: stopped, refused body
	Slow     uint64 // answered or gave up later than SlowAfter
	Missed   uint64 // evicted from the store before their turn, never sent
	InFlight int    // under way now
}

// Stats returns the counts so far.
func (f *Forwarder) Stats() ForwardStats {
	return ForwardStats{
		Answered: f.answered.Load(),
		Failed:   f.failed.Load(),
		Skipped:  f.skipped.Load(),
		Slow:     f.slow.Load(),
		Missed:   f.missed.Load(),
		InFlight: len(f.slots),
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
