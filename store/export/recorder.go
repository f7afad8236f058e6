package export

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"

	"github.com/extend-inspect/extend-inspect/store"
)

// Recorder appends every event it is given to a JSONL session file, for
// `--record FILE.jsonl`. It is safe for concurrent use.
//
// Each event is one line written with a single write call on a file opened
// for appending, and nothing is buffered between events: once Record
// returns, the line is the kernel's, so a crash of extend-inspect loses at
// most the delivery being written (ReadSession reports that cut line and
// loads the rest). A power cut can still lose what the system had not
// flushed; Close syncs.
type Recorder struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// OpenRecorder opens path for appending, creating it readable by its owner
// only (0o600): deliveries are customers' data.
func OpenRecorder(path string) (*Recorder, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open record file: %w", err)
	}
	if err := endLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("record to %s: %w", path, err)
	}
	return &Recorder{path: path, f: f}, nil
}

// endLine starts a fresh line when the file ends in the middle of one (an
// earlier recording was cut short), so the first new event does not
// corrupt itself by joining the cut line.
func endLine(f *os.File) error {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 || !info.Mode().IsRegular() {
		return err
	}
	r, err := os.Open(f.Name())
	if err != nil {
		return err
	}
	defer r.Close()
	last := make([]byte, 1)
	if _, err := r.ReadAt(last, info.Size()-1); err != nil && err != io.EOF {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	_, err = f.Write([]byte{'\n'})
	return err
}

// Path is the file being recorded to.
func (r *Recorder) Path() string { return r.path }

// Record appends ev as one line.
func (r *Recorder) Record(ev *store.Event) error {
	line, err := ev.MarshalLine()
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return fmt.Errorf("record event %d: %w", ev.Seq, os.ErrClosed)
	}
	if _, err := r.f.Write(line); err != nil {
		return fmt.Errorf("record event %d to %s: %w", ev.Seq, r.path, err)
	}
	return nil
}

// Close syncs and closes the file. Recording after Close fails.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Sync()
	if errors.Is(err, syscall.EINVAL) {
		err = nil // not a regular file (a pipe, /dev/stdout): nothing to sync
	}
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f = nil
	if err != nil {
		return fmt.Errorf("close record file %s: %w", r.path, err)
	}
	return nil
}
