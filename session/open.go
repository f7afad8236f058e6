package session

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/extend-inspect/extend-inspect/store"
)

// Bounds are what a store opened on a session may keep: the newest
// Capacity records whose lines fit in MaxBytes. Zero or less is no bound.
type Bounds struct {
	Capacity int
	MaxBytes int64
}

// lineCost estimates what a record of a line of n bytes costs the
// process's resident memory when its body and headers stay in the file:
// up to 1 KiB of the line, 1.5 KiB more, and the largest share of bodies
// held in memory (heldShare). It is more than the live heap
// (BenchmarkSessionMemoryPerEvent in ui measures 2.2 KB for lines of
// 4 KB; this says 3.8 KB) by about what the collector lets the heap grow
// between collections: the newest of a million-event session kept under
// --max-memory 512MiB hold 501 MiB of RssAnon (scripts/opencurve.go).
func lineCost(n int64) int64 { return min(n, 1<<10) + 1536 + int64(heldShare*float64(n)) }

// Loading is a session file loading into a store in the background: the
// screen opens at once and shows what has loaded so far.
type Loading struct {
	total  int          // records to load (the newest ones when the file is too large)
	loaded atomic.Int64 // records appended so far
	inFile atomic.Int64 // records in the whole file; -1 until counted
	bound  Bound
	done   chan struct{}
	stop   atomic.Bool // Close asked the loading to stop
	bodies *fileBodies // where the events' bodies are; nil when they are in memory

	mu   sync.Mutex
	warn error // what did not load; read after done
}

// Bound names the bound that left records of the file out.
type Bound uint8

const (
	BoundNone     Bound = iota
	BoundCapacity       // more records than Bounds.Capacity
	BoundMemory         // more than Bounds.MaxBytes
)

// Progress is a snapshot of a loading.
type Progress struct {
	Loaded, Total int
	InFile        int   // records in the file; -1 while they are still counted
	Bound         Bound // why InFile > Total, when it is
	Done          bool
	Warn          error // when Done: what did not load
}

// Progress reports how far the loading is.
func (l *Loading) Progress() Progress {
	p := Progress{Loaded: int(l.loaded.Load()), Total: l.total, InFile: int(l.inFile.Load()), Bound: l.bound}
	select {
	case <-l.done:
		p.Done = true
		l.mu.Lock()
		p.Warn = l.warn
		l.mu.Unlock()
	default:
	}
	return p
}

// Wait waits until the loading is over and returns what did not load.
func (l *Loading) Wait() error {
	<-l.done
	return l.Progress().Warn
}

// Close stops the loading if it is still under way, waits for it, and
// closes the session file: the bodies of its events cannot be read after
// it, so call it when the store is no longer used.
func (l *Loading) Close() error {
	l.stop.Store(true)
	<-l.done
	if l.bodies == nil {
		return nil
	}
	return l.bodies.Close()
}

// Open starts loading the session file at path into st, keeping the
// recorded numbers (see Load), and returns at once: a JSONL file is checked
// to hold a record, then read in the background from the first of the
// newest records that fit b, found by reading the file from its end. The
// bodies of a JSONL file's events stay in the file, which stays open until
// Close (see fileBodies). A HAR file, or a file that cannot be read twice
// (a pipe), is read whole first, and its bodies kept in memory. err is set
// when the file is not a session.
func Open(path string, opt Options, b Bounds, st *store.Store) (*Loading, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	info, err := f.Stat()
	if err == nil && info.Mode().IsRegular() && opt.MaxBody > 0 && !isHAR(f) {
		return openJSONL(f, info.Size(), opt, b, st)
	}
	f.Close()
	events, warn, err := ReadFile(path, opt)
	if err != nil {
		return nil, err
	}
	l := &Loading{total: len(events), done: make(chan struct{})}
	l.inFile.Store(int64(len(events)))
	l.finish(errors.Join(warn, renumbered(Load(st, events))))
	l.loaded.Store(int64(len(events)))
	return l, nil
}

func isHAR(f *os.File) bool {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, 64<<10), 64<<10)
	return looksLikeHAR(br)
}

func renumbered(n int) error {
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d of its deliveries were numbered anew: their seq was not after the one before", n)
}

func (l *Loading) finish(warn error) {
	l.mu.Lock()
	l.warn = warn
	l.mu.Unlock()
	close(l.done)
}

func openJSONL(f *os.File, size int64, opt Options, b Bounds, st *store.Store) (*Loading, error) {
	if err := checkRecord(f, size, opt); err != nil {
		f.Close()
		return nil, fmt.Errorf("read session %s: %w", f.Name(), err)
	}
	tail, err := newestRecords(f, size, b)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read session %s: %w", f.Name(), err)
	}
	l := &Loading{total: tail.records, bound: tail.bound, done: make(chan struct{}), bodies: newFileBodies(f, size)}
	l.inFile.Store(int64(tail.records))
	var counting sync.WaitGroup
	if tail.bound != BoundNone {
		l.inFile.Store(-1)
		counting.Go(func() { l.inFile.Store(int64(tail.records + countRecords(f, tail.from))) })
	}
	go func() {
		warn := l.load(f, tail.from, size, opt, st)
		counting.Wait()
		l.finish(warn)
	}()
	return l, nil
}

// checkRecord reads the file from its start until it finds a record, so
// that a file that holds none is refused before the screen opens.
func checkRecord(f *os.File, size int64, opt Options) error {
	r := newJSONLReader(func(*store.Event) bool { return false })
	_, err := r.read(bufio.NewReaderSize(io.NewSectionReader(f, 0, size), 64<<10), opt.MaxLine())
	return err
}

// load appends the records from offset from to st, and returns what did
// not load.
func (l *Loading) load(f *os.File, from, size int64, opt Options, st *store.Store) error {
	renumberedCount := 0
	r := newJSONLReader(func(ev *store.Event) bool {
		if recorded := ev.Seq; st.AppendRecorded(ev) != recorded {
			renumberedCount++
		}
		l.loaded.Add(1)
		return !l.stop.Load()
	})
	r.tail = from > 0 // newestRecords starts at 0 unless a bound cut the file
	in := &countingReader{r: io.NewSectionReader(f, from, 1<<62), n: from}
	br := bufio.NewReaderSize(in, 64<<10)
	r.bodies, r.pos = l.bodies, func() int64 { return in.n - int64(br.Buffered()) }
	r.holdFrom, r.holdEnd = size-int64(heldShare*float64(size-from)), size
	warn, err := r.read(br, opt.MaxLine())
	if warn != nil && r.tail {
		warn = fmt.Errorf("(line numbers count from the first record kept) %w", warn)
	}
	if warn != nil {
		warn = fmt.Errorf("%s: %w", f.Name(), warn)
	}
	return errors.Join(warn, err, renumbered(renumberedCount))
}

// tailRecords is where the newest records that fit the bounds start.
type tailRecords struct {
	from    int64 // offset of the first line kept
	records int   // records from there to the end
	bound   Bound
}

// heldShare is the share of the records loaded, the newest, whose bodies
// are held in memory rather than read from the file each time. A search
// reads every body it scans, and one read from the file (decoding the JSON
// string from the file's mapping, and the checksum) costs several times the
// scan of a body in memory (a whole search over bodies in the file takes
// three to four times as long, BenchmarkSessionFilter in ui); the text
// filter scans the newest events first, so
// holding theirs keeps its first screen as fast as before. A held body
// costs its size, so the share is at most what issue 14's bound (1.2 × the
// body + 512 bytes an event) leaves once the rest is counted (see
// heldShareFor): BenchmarkSessionMemoryPerEvent (ui) measures 2.2 KB an
// event for 2.5 KB bodies, the held share included.
const heldShare = 0.3

// eventCost is what an event loaded from a session costs the heap besides
// its body: the store's Event (512 bytes), its search index, row, run and
// eventId entries. BenchmarkSessionMemoryPerEvent (ui) measures 1,150 to
// 1,200 bytes for sessions of 500-byte to 2.5 KB bodies.
const eventCost = 1250

// heldShareFor is the share of the newest bodies held in memory for
// bodies of mean bytes: what issue 14's bound leaves of 1.2 × the body +
// 512 bytes an event once eventCost is counted (a held body costs about
// 1.1 × its size, the allocator rounding it up), at most heldShare. A
// session of 500-byte bodies has no room for any; one of 1 KB or more
// holds heldShare.
func heldShareFor(mean float64) float64 {
	if mean <= 0 {
		return heldShare
	}
	return min(heldShare, max(0, (1.2*mean+512-eventCost)/(1.1*mean)))
}

// scanChunk is how much of the file newestRecords reads at a time.
const scanChunk = 1 << 20

// newestRecords reads the file backwards from its end, a chunk at a time,
// until the records it has seen fill one of the bounds. Update lines cost
// nothing: they change a record already counted. It runs before the first
// screen: the line ends of a chunk are found going forwards, with the
// vectorised IndexByte (LastIndexByte goes a byte at a time), then its
// lines are taken from the last.
func newestRecords(f *os.File, size int64, b Bounds) (tailRecords, error) {
	buf := make([]byte, scanChunk+recordHead)
	var ends []int
	var t tailRecords
	var cost int64
	lineEnd := size // the end of the line being scanned back to its start
	for pos := size; pos > 0; {
		n := int64(min(scanChunk, pos))
		pos -= n
		// buf holds the chunk, then the head of the chunk read before it,
		// so that every line's head is at hand.
		copy(buf[n:], buf[:recordHead])
		if _, err := f.ReadAt(buf[:n], pos); err != nil {
			return t, err
		}
		ends = newlines(ends[:0], buf[:n])
		for k := len(ends) - 1; k >= -1; k-- {
			if k < 0 && pos > 0 {
				break // the line starts in an earlier chunk
			}
			nl := -1
			if k >= 0 {
				nl = ends[k]
			}
			start := pos + int64(nl) + 1
			head := buf[nl+1 : min(int64(nl+1+recordHead), n+recordHead)]
			if isRecordLine(head) {
				cost += lineCost(lineEnd - start)
				if bound := b.exceeded(t.records+1, cost); bound != BoundNone {
					t.bound = bound
					return t, nil
				}
				t.records++
				t.from = start
			}
			lineEnd = start
		}
	}
	return tailRecords{records: t.records}, nil // the whole file fits
}

// newlines appends the offsets of the line ends in b to ends.
func newlines(ends []int, b []byte) []int {
	for at := 0; ; {
		i := bytes.IndexByte(b[at:], '\n')
		if i < 0 {
			return ends
		}
		ends = append(ends, at+i)
		at += i + 1
	}
}

func (b Bounds) exceeded(records int, cost int64) Bound {
	switch {
	case b.Capacity > 0 && records > b.Capacity:
		return BoundCapacity
	case b.MaxBytes > 0 && cost > b.MaxBytes:
		return BoundMemory
	}
	return BoundNone
}

// recordHead is how much of a line tells a record from an update:
// `{"seq":18446744073709551615,"update"` fits.
const recordHead = 40

// isRecordLine reports whether a line starting with head may be a record:
// it starts with '{' and is not an update line.
func isRecordLine(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r")
	return len(head) > 0 && head[0] == '{' && !bytes.Contains(head, []byte(`,"update":`))
}

// countRecords counts the record lines before offset end.
func countRecords(f *os.File, end int64) int {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, end), 64<<10)
	n, lineStart := 0, true
	for {
		chunk, err := br.ReadSlice('\n')
		if lineStart && isRecordLine(chunk[:min(len(chunk), recordHead)]) {
			n++
		}
		lineStart = err != bufio.ErrBufferFull
		if err != nil && err != bufio.ErrBufferFull {
			return n
		}
	}
}

// countingReader counts the bytes read through it, from n.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
