package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/extend-inspect/extend-inspect/store"
)

// Recording appends every delivery a store takes to a session file, in
// sequence order, as soon as it is stored, then each forward result, and
// each payload fetched from a signed link, that comes in afterwards as an
// update line, so the file holds what the screen
// showed. It follows the store on its own goroutine: the receiver never
// waits on the disk.
//
// Nothing is lost silently. A delivery that could not be written (a full
// disk) or was evicted before its turn is counted (Unrecorded) and
// reported on warn: when writing first fails, when it works again, and in
// Stop's error.
type Recording struct {
	store        *store.Store
	file         *recordFile
	warn         io.Writer
	follow       *store.Follower
	stopForwards func()
	cancel       context.CancelFunc
	done         chan error
	unrecorded   atomic.Uint64

	// The rest belongs to the recording's goroutine.
	pending  []*store.Event            // recorded before their forward result came in
	forwards uint64                    // the store's ForwardCount when pending was last looked through
	fetches  uint64                    // the store's FetchCount when fetched payloads were last looked for
	fetched  map[uint64]*store.Fetched // the fetched payload in the file, by seq
	failing  uint64                    // what was not written since writing last failed; 0 while it works
	first    error                     // the first failure
	gone     bool                      // the file's name was found to point elsewhere
}

// StartRecording starts recording st to the session file at path (see
// createFile for what it refuses), from the oldest event stored.
func StartRecording(st *store.Store, path string, warn io.Writer) (*Recording, error) {
	rf, fixed, err := createFile(path)
	if err != nil {
		return nil, err
	}
	if fixed != 0 {
		fmt.Fprintf(warn, "extend-inspect: recording %s: it could be read by others (%v); it is 0600 now\n", path, fixed)
	}
	return start(st, rf, warn), nil
}

func start(st *store.Store, rf *recordFile, warn io.Writer) *Recording {
	forwards, stopForwards := st.SubscribeForwards()
	ctx, cancel := context.WithCancel(context.Background())
	r := &Recording{store: st, file: rf, warn: warn, follow: st.Follow(0), stopForwards: stopForwards,
		cancel: cancel, done: make(chan error, 1), fetched: map[uint64]*store.Fetched{}}
	go func() { r.done <- r.follow.Run(ctx, forwards, r.batch) }()
	return r
}

// Unrecorded is how many deliveries, and forward results, are not in the
// file: written in vain or dropped from the store before their turn. It
// may be read from any goroutine, e.g. for the screen's footer.
func (r *Recording) Unrecorded() uint64 { return r.unrecorded.Load() }

// Stop writes what is left, forward results included (stop whatever
// forwards first), and closes the file. Its error counts what was not
// recorded.
func (r *Recording) Stop() error {
	r.cancel()
	err := <-r.done
	r.follow.Close()
	r.stopForwards()
	if n := r.Unrecorded(); n > 0 {
		err = errors.Join(err, fmt.Errorf("%d %s not recorded in %s (first: %v)", n, plural(n, "delivery or forward result", "deliveries or forward results"), r.file.path, r.first))
	}
	return errors.Join(err, r.file.close())
}

func (r *Recording) batch(b store.Batch) error {
	if b.Missed > 0 {
		r.unrecorded.Add(b.Missed)
		r.first = cmp.Or(r.first, errors.New("dropped from memory before their turn"))
		fmt.Fprintf(r.warn, "extend-inspect: recording %s: %d %s dropped from memory before they could be written; raise --capacity or --max-memory\n",
			r.file.path, b.Missed, plural(b.Missed, "delivery was", "deliveries were"))
	}
	for _, ev := range b.Events {
		r.record(ev)
	}
	r.recordForwards()
	r.recordFetches()
	if len(b.Events) > 0 {
		r.checkGone(b.Events[0].Seq)
	}
	return nil
}

// record writes ev's line, and keeps it for its forward result when it has
// none yet.
func (r *Recording) record(ev *store.Event) {
	waiting := ev.Forward() == nil // read before the line: a result set in between is written again, never lost
	if f := ev.Fetched(); f != nil {
		r.fetched[ev.Seq] = f
	}
	if err := r.write(ev.MarshalLine()); err != nil {
		r.lose(fmt.Errorf("delivery #%d: %w", ev.Seq, err))
		return
	}
	if waiting {
		r.pending = append(r.pending, ev)
	}
}

// recordForwards writes the forward results that came in, and forgets
// the events the store no longer holds: the screen does not show them.
func (r *Recording) recordForwards() {
	if n := r.store.ForwardCount(); n != r.forwards {
		r.forwards = n
		kept := r.pending[:0]
		for _, ev := range r.pending {
			if ev.Forward() == nil {
				kept = append(kept, ev)
			} else if err := r.write(forwardUpdate(ev)); err != nil {
				r.lose(fmt.Errorf("the forward result of delivery #%d: %w", ev.Seq, err))
			}
		}
		clear(r.pending[len(kept):])
		r.pending = kept
	}
	evicted := 0
	for _, ev := range r.pending {
		if held, ok := r.store.Get(ev.Seq); ok && held == ev {
			break
		}
		evicted++
	}
	clear(r.pending[:evicted])
	r.pending = r.pending[evicted:]
}

// recordFetches writes the payloads fetched from signed links since it
// last looked, for the deliveries already written; a delivery written
// after its fetch carries it in its own line. Fetches are rare (a key, or
// one per link with --fetch-signed-urls), so it looks through the stored
// events only when the count moved, and keeps what it wrote for those
// still stored.
func (r *Recording) recordFetches() {
	n := r.store.FetchCount()
	if n == r.fetches {
		return
	}
	r.fetches = n
	written := map[uint64]*store.Fetched{}
	for _, ev := range r.store.All() {
		f := ev.Fetched()
		if f == nil || ev.Seq > r.follow.After() {
			continue
		}
		if r.fetched[ev.Seq] != f {
			if err := r.write(fetchedUpdate(ev, f)); err != nil {
				r.lose(fmt.Errorf("the fetched payload of delivery #%d: %w", ev.Seq, err))
			}
		}
		written[ev.Seq] = f
	}
	r.fetched = written
}

// write writes one line, and says so when writing works again after a
// failure.
func (r *Recording) write(line []byte, err error) error {
	if err == nil {
		err = r.file.write(line)
	}
	if err == nil && r.failing > 0 {
		fmt.Fprintf(r.warn, "extend-inspect: recording %s: writing again; %d %s not recorded meanwhile\n",
			r.file.path, r.failing, plural(r.failing, "line was", "lines were"))
		r.failing = 0
	}
	return err
}

// lose counts a line not written, and reports the first of a run of
// failures.
func (r *Recording) lose(err error) {
	r.unrecorded.Add(1)
	r.first = cmp.Or(r.first, err)
	if r.failing == 0 {
		fmt.Fprintf(r.warn, "extend-inspect: recording %s: %v; what cannot be written is counted until writing works again\n", r.file.path, err)
	}
	r.failing++
}

// checkGone warns, once, when the file's name no longer leads to it.
func (r *Recording) checkGone(from uint64) {
	if !r.gone && r.file.gone() {
		r.gone = true
		fmt.Fprintf(r.warn, "extend-inspect: recording %s: the file was deleted, moved or replaced; deliveries from #%d on "+
			"still go to the file it was, and are lost if it was deleted\n", r.file.path, from)
	}
}

func plural(n uint64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
