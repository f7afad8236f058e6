// Package session reads and records session files: the JSONL that
// `--record` appends and the JSONL export writes, and HAR files, which
// `open` and `export` load back into events. docs/formats.md describes
// both.
package session

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/extend-inspect/extend-inspect/store"
)

// maxWarnings bounds the problems a warning lists one by one.
const maxWarnings = 10

// Options say how a session is read.
type Options struct {
	// MaxBody is the largest body a delivery may have (the receiver's
	// --max-body); it bounds a JSONL line (see MaxLine). It must be set:
	// the default is the receiver's, which the caller holds.
	MaxBody int64
}

// MaxLine is the longest JSONL line read: a delivery of MaxBody bytes and
// headers up to 64 KiB, every byte escaped as \u00XX (6 bytes), fit in it.
// A longer line is reported and skipped without being held in memory.
func (o Options) MaxLine() int64 { return 6 * (o.MaxBody + 64<<10) }

// MaxHAR is the largest HAR file read. A HAR file is one JSON document,
// decoded whole, so unlike JSONL it cannot be read a line at a time: it is
// bounded instead, at sixteen of the longest lines (about 1 GiB with the
// default --max-body).
func (o Options) MaxHAR() int64 { return 16 * o.MaxLine() }

// ReadFile reads the session file at path; see Read.
func ReadFile(path string, opt Options) (events []*store.Event, warn, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open session: %w", err)
	}
	defer f.Close()
	events, warn, err = Read(f, opt)
	if err != nil {
		return events, nil, fmt.Errorf("read session %s: %w", path, err)
	}
	if warn != nil {
		warn = fmt.Errorf("%s: %w", path, warn)
	}
	return events, warn, nil
}

// Read reads a session: JSONL (store.Record lines, as `--record` and the
// JSONL export write them) or a HAR file, told apart by the first key of
// the first object ("log" for HAR).
//
// Bad input loses as little as it can. A line or entry that cannot be read
// is skipped and named in warn, a cut line (a recording that was
// interrupted, or a write that failed) included; the rest loads. err is
// set when nothing could be read as a session at all, or when reading r
// failed (events then holds what was read before).
//
// Events keep their recorded Seq, DuplicateOf and Attempt (Load keeps them
// in a store). HAR entries written by extend-inspect keep their
// verification outcome; those of other tools are Unchecked, numbered from
// 1 in file order.
func Read(r io.Reader, opt Options) (events []*store.Event, warn, err error) {
	if opt.MaxBody <= 0 {
		return nil, nil, errors.New("session.Options.MaxBody is not set: nothing bounds a line")
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3) // HAR readers must accept a byte-order mark
	}
	if looksLikeHAR(br) {
		return readHAR(&boundedReader{r: br, left: opt.MaxHAR()})
	}
	return readJSONL(br, opt.MaxLine())
}

// looksLikeHAR reports whether the input's first object starts with the key
// "log". A JSONL record starts with "seq".
func looksLikeHAR(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(head[1:], " \t\r\n"), []byte(`"log"`))
}

// warnings collects the problems of one read.
type warnings struct {
	list []error
	more int
}

func (w *warnings) add(err error) {
	if len(w.list) < maxWarnings {
		w.list = append(w.list, err)
	} else {
		w.more++
	}
}

func (w *warnings) err() error {
	if w.more > 0 {
		return errors.Join(append(w.list, fmt.Errorf("and %d more problems", w.more))...)
	}
	return errors.Join(w.list...)
}

// boundedReader fails once more than left bytes have been read.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errHARTooLarge
	}
	n, err := b.r.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return 0, errHARTooLarge
	}
	return n, err
}

var errHARTooLarge = errors.New("HAR file too large: it is read whole, and is over the bound that --max-body sets (16 × 6 × (max-body + 64 KiB)); export it as JSONL")
