package main

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

// addRecordFlag registers --record on a command that receives deliveries.
func addRecordFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVar(path, "record", "", "append every delivery, as it is stored, to this JSONL session file (reopen it with extend-inspect open)")
}

// recording appends every delivery the store takes to a --record file, in
// sequence order. It runs on its own goroutine, woken by the store's change
// signal, so the receiver never waits on the disk; each delivery is written
// as soon as it is stored, one line per write.
type recording struct {
	store *store.Store
	rec   *export.Recorder
	warn  io.Writer
	done  chan struct{}
	wg    sync.WaitGroup
	last  uint64
	err   error
}

// startRecording starts recording st to path; an empty path records nothing
// and returns a nil *recording, whose stop is a no-op.
func startRecording(st *store.Store, path string, warn io.Writer) (*recording, error) {
	if path == "" {
		return nil, nil
	}
	rec, err := export.OpenRecorder(path)
	if err != nil {
		return nil, fmt.Errorf("--record: %w", err)
	}
	r := &recording{store: st, rec: rec, warn: warn, done: make(chan struct{})}
	changed, unsubscribe := st.Subscribe()
	r.wg.Go(func() {
		defer unsubscribe()
		for {
			select {
			case <-changed:
				r.drain()
			case <-r.done:
				r.drain()
				return
			}
		}
	})
	return r, nil
}

func (r *recording) drain() {
	events, missed := r.store.Since(r.last)
	if missed > 0 {
		fmt.Fprintf(r.warn, "extend-inspect: %d deliveries were dropped before --record could write them; raise --capacity\n", missed)
	}
	for _, ev := range events {
		r.last = ev.Seq
		if err := r.rec.Record(ev); err != nil && r.err == nil {
			r.err = err
			fmt.Fprintf(r.warn, "extend-inspect: --record: %v\n", err)
		}
	}
}

// stop writes what is left and closes the file.
func (r *recording) stop() error {
	if r == nil {
		return nil
	}
	close(r.done)
	r.wg.Wait()
	return errors.Join(r.err, r.rec.Close())
}
