package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// file is what a recording writes to: an *os.File, or a fake in tests (a
// disk that fills up).
type file interface {
	io.Writer
	Sync() error
	Close() error
}

// recordFile appends lines to a session file. Each line is written with a
// single write call on a file opened for appending, and nothing is buffered
// between lines: once a write returns, the line is the kernel's, so a crash
// loses at most the line being written. A power cut can still lose what the
// system had not flushed; close syncs.
//
// A write that fails part-way (a full disk) leaves a cut line; the next
// write starts a fresh line instead of continuing it, so only the cut line
// is lost, and Read reports it.
type recordFile struct {
	path string
	f    file
	info fs.FileInfo // what path named when it was opened; nil for a fake
	cut  bool        // the file ends in the middle of a line
}

// createFile opens path to record to, refusing what is not a session file:
// a symbolic link, a directory, a regular file that holds something else.
// A missing file is created readable by its owner only (0o600): deliveries
// are customers' data. An existing session file is appended to, and made
// 0o600 if others could read it (fixed says so). A named pipe or a device
// (/dev/null) is written to as it is.
func createFile(path string) (rf *recordFile, fixed fs.FileMode, err error) {
	before, err := os.Lstat(path)
	var f *os.File
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// O_EXCL creates the file or fails: it never follows a link that
		// appeared since.
		f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o600)
	case err != nil:
	case before.Mode()&fs.ModeSymlink != 0:
		return nil, 0, fmt.Errorf("%s is a symbolic link: give the file itself, so nothing is appended to a file you did not name", path)
	case before.Mode().IsRegular():
		f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	case before.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0:
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	default:
		return nil, 0, fmt.Errorf("%s is not a file (%v): give a session file to record to", path, before.Mode().Type())
	}
	if err != nil {
		return nil, 0, fmt.Errorf("open record file: %w", err)
	}
	rf = &recordFile{path: path, f: f}
	if fixed, err = rf.check(f, before); err != nil {
		f.Close()
		return nil, 0, err
	}
	return rf, fixed, nil
}

// check makes sure the file opened is the one looked at and, when it is a
// regular file, a session file with no more permissions than 0o600.
func (rf *recordFile) check(f *os.File, before fs.FileInfo) (fixed fs.FileMode, err error) {
	info, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("record to %s: %w", rf.path, err)
	}
	if before != nil && !os.SameFile(before, info) {
		return 0, fmt.Errorf("%s changed while it was opened: give a file no one else is replacing", rf.path)
	}
	if !info.Mode().IsRegular() {
		return 0, nil
	}
	rf.info = info
	if info.Size() > 0 {
		if err := rf.checkSession(f, info.Size()); err != nil {
			return 0, err
		}
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return 0, fmt.Errorf("%s can be read by others (%v) and cannot be made 0600: %w; choose another file", rf.path, perm, err)
		}
		fixed = perm
	}
	return fixed, nil
}

// checkSession refuses a file that does not start with a record, so that
// a recording never appends to a file that holds something else, and
// notes whether it ends mid-line (an earlier recording was cut short).
func (rf *recordFile) checkSession(f *os.File, size int64) error {
	dec := json.NewDecoder(io.NewSectionReader(f, 0, min(size, 64<<10)))
	var open, key, seq any
	if open, _ = dec.Token(); open == json.Delim('{') {
		key, _ = dec.Token()
		seq, _ = dec.Token()
	}
	if _, isNumber := seq.(float64); key != "seq" || !isNumber {
		return fmt.Errorf("%s is not a session file (it does not start with an extend-inspect record): "+
			"--record appends only to one it wrote; choose another file", rf.path)
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, size-1); err != nil {
		return fmt.Errorf("record to %s: %w", rf.path, err)
	}
	rf.cut = last[0] != '\n'
	return nil
}

// write appends line, on a fresh line when the file ends mid-line.
func (rf *recordFile) write(line []byte) error {
	if rf.f == nil {
		return fmt.Errorf("record to %s: %w", rf.path, os.ErrClosed)
	}
	if rf.cut {
		line = append([]byte{'\n'}, line...)
	}
	n, err := rf.f.Write(line)
	if n > 0 {
		rf.cut = line[n-1] != '\n'
	}
	return err // an *fs.PathError: it names the file
}

// gone reports whether path no longer names the file being written: it
// was deleted, moved or replaced.
func (rf *recordFile) gone() bool {
	if rf.info == nil {
		return false
	}
	now, err := os.Lstat(rf.path)
	return err != nil || !os.SameFile(rf.info, now)
}

// close syncs and closes the file. Writing after close fails.
func (rf *recordFile) close() error {
	if rf.f == nil {
		return nil
	}
	err := rf.f.Sync()
	if errors.Is(err, syscall.EINVAL) {
		err = nil // not a regular file (a pipe, /dev/null): nothing to sync
	}
	if cerr := rf.f.Close(); err == nil {
		err = cerr
	}
	rf.f = nil
	if err != nil {
		return fmt.Errorf("close record file %s: %w", rf.path, err)
	}
	return nil
}
