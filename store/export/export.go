// Package export writes stored deliveries to files: JSON files, JSONL,
// HAR 1.2 and a curl replay script (package session reads JSONL and HAR
// back). docs/formats.md describes every format.
//
// Every file is written atomically and never over an existing one: see
// staged.publish.
package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
)

// Format is one of the export formats.
type Format uint8

// The export formats. Their String words are what `--format` takes.
const (
	JSON  Format = iota // one body file and one .meta.json file per event
	JSONL               // events.jsonl: one store.Record per line
	HAR                 // events.har: HAR 1.2, one entry per delivery
	Curl                // replay.sh and the bodies it sends
)

// Formats lists every format, in the order a menu shows them.
var Formats = [...]Format{JSON, JSONL, HAR, Curl}

// String returns the format's word, as `--format` takes it.
func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case JSONL:
		return "jsonl"
	case HAR:
		return "har"
	case Curl:
		return "curl"
	default:
		return fmt.Sprintf("format(%d)", uint8(f))
	}
}

// Title describes the format in a few words, for menus.
func (f Format) Title() string {
	switch f {
	case JSON:
		return "JSON files (body + metadata per event)"
	case JSONL:
		return "JSONL (one event per line)"
	case HAR:
		return "HAR 1.2 (browser devtools)"
	case Curl:
		return "curl replay script"
	default:
		return f.String()
	}
}

// ParseFormat reads a format word back.
func ParseFormat(word string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(word, f.String()) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown export format %q: use json, jsonl, har or curl", word)
}

// Options say what to write and where.
type Options struct {
	// Dir is the directory to write into; it is created (0o755) when
	// missing. Empty means DefaultDir(time.Now()).
	Dir    string
	Format Format

	// Listen is the receiver's address (host:port). HAR URLs use it for a
	// delivery without a Host header; the curl script sends each delivery
	// back to it by default.
	Listen string
	// TargetURL, when set, is where the curl script sends every delivery by
	// default instead of the address it was received at. $TARGET overrides
	// both when the script runs.
	TargetURL string
	// Verbatim makes the curl script send the original timestamp and
	// signature headers instead of re-signing with $EXTEND_WEBHOOK_SECRET.
	Verbatim bool

	// Version is extend-inspect's version, written into HAR's log.creator.
	Version string

	// Progress, when set, is called after each event is written, from the
	// goroutine running Write. Throttling the display is the caller's job.
	Progress func(done, total int)
}

// Result says what an export wrote. It is filled in even when Write fails
// part-way, so the caller can report both halves.
type Result struct {
	Dir     string
	Files   []string  // paths of the files written, in order
	Events  int       // events written
	Skipped []Skipped // events not written, and why
}

// Skipped is an event an export did not write.
type Skipped struct {
	Seq    uint64
	Reason string
}

// Summary is the one-line report a screen or command prints.
func (r Result) Summary() string {
	s := fmt.Sprintf("wrote %d %s (%d %s) to %s", len(r.Files), plural(len(r.Files), "file", "files"), r.Events, plural(r.Events, "event", "events"), r.Dir)
	if n := len(r.Skipped); n > 0 {
		s += fmt.Sprintf("; %d %s not written (first: #%d, %s)", n, plural(n, "event", "events"), r.Skipped[0].Seq, r.Skipped[0].Reason)
	}
	return s
}

// plural picks the word's form for n of it.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// DefaultDir is the directory an export goes to when none is given:
// ./extend-events-<local time>/.
func DefaultDir(now time.Time) string {
	return "." + string(filepath.Separator) + "extend-events-" + now.Format("20060102-150405")
}

// Write exports events in the format and to the directory opt names. It
// stops at the first failure or when ctx is done; the Result then lists
// what was written and what was not, and the error says why.
func Write(ctx context.Context, events []*store.Event, opt Options) (Result, error) {
	if opt.Dir == "" {
		opt.Dir = DefaultDir(time.Now())
	}
	res := Result{Dir: opt.Dir}
	w, err := newWriter(ctx, events, opt, &res)
	if err != nil {
		res.skip(events, err)
		return res, fmt.Errorf("export to %s: %w%s", opt.Dir, err, advice(err))
	}
	defer w.close()
	switch opt.Format {
	case JSON:
		err = w.jsonFiles()
	case JSONL:
		err = w.single("events.jsonl", 0o644, writeJSONL)
	case HAR:
		err = w.single("events.har", 0o644, writeHAR)
	case Curl:
		err = w.curl()
	}
	if err == nil {
		err = w.syncDir()
	}
	if err != nil {
		return res, fmt.Errorf("export %s to %s: %w%s", opt.Format, opt.Dir, err, advice(err))
	}
	return res, nil
}

// Encode writes events to out in a format of one file, JSONL or HAR,
// exactly as Write puts them in events.jsonl or events.har, for a writer
// that is not a new file in a directory (a pipe, memory).
func Encode(ctx context.Context, out io.Writer, events []*store.Event, opt Options) error {
	switch opt.Format {
	case JSONL:
		return writeJSONL(ctx, out, events, opt)
	case HAR:
		return writeHAR(ctx, out, events, opt)
	}
	return fmt.Errorf("%v is not a format of one file: use jsonl or har", opt.Format)
}

// advice says what to do about a failure to write, when there is something
// to say.
func advice(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS), errors.Is(err, syscall.ENOTDIR):
		return " (choose a directory you can write to)"
	case errors.Is(err, syscall.ENOSPC):
		return " (the disk is full: free some space or choose another disk)"
	}
	return ""
}

// skip records every event from events as not written, because of err.
func (r *Result) skip(events []*store.Event, err error) {
	reason := "not written"
	if err != nil {
		reason = err.Error()
	}
	for _, ev := range events {
		r.Skipped = append(r.Skipped, Skipped{Seq: ev.Seq, Reason: reason})
	}
}

// encoder writes events in one format to out, stopping when ctx is done.
type encoder func(ctx context.Context, out io.Writer, events []*store.Event, opt Options) error

// writer carries one export's state.
type writer struct {
	ctx    context.Context
	events []*store.Event
	opt    Options
	res    *Result
	root   *os.Root // the target directory: no name can reach outside it
}

func newWriter(ctx context.Context, events []*store.Event, opt Options, res *Result) (*writer, error) {
	if int(opt.Format) >= len(Formats) {
		return nil, fmt.Errorf("unknown export format %d", opt.Format)
	}
	if opt.Format == Curl && opt.Listen == "" && opt.TargetURL == "" {
		return nil, errors.New("the curl script needs the receiver's address or a target URL to send to")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the directory: %w", err)
	}
	root, err := os.OpenRoot(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("open the directory: %w", err)
	}
	return &writer{ctx: ctx, events: events, opt: opt, res: res, root: root}, nil
}

func (w *writer) close() { w.root.Close() }

// progress reports that events[i] is done.
func (w *writer) progress(i int) { report(w.opt, i, len(w.events)) }

// wrote records a file written.
func (w *writer) wrote(name string) {
	w.res.Files = append(w.res.Files, filepath.Join(w.opt.Dir, name))
}

// single writes every event into one file named like name (or name-2, ...
// when it exists) with encode; the file is all or nothing.
func (w *writer) single(name string, perm os.FileMode, encode encoder) error {
	st, err := stage(w.root, perm, func(f io.Writer) error {
		bw := bufio.NewWriterSize(f, 64<<10)
		if err := encode(w.ctx, bw, w.events, w.opt); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err == nil {
		name, err = st.publishFree(func(n int) string { return numbered(name, n) })
	}
	if err != nil {
		w.res.skip(w.events, err)
		return err
	}
	w.wrote(name)
	w.res.Events = len(w.events)
	return nil
}

// syncDir makes the new names durable; the files' contents already are.
func (w *writer) syncDir() error {
	d, err := w.root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	// Some filesystems cannot sync a directory; the files themselves are
	// synced already, so only the names' durability is lost there.
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync the directory: %w", err)
	}
	return nil
}
