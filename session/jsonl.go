package session

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"time"
	"unicode"

	"github.com/extend-inspect/extend-inspect/store"
)

// update is the line `--record` appends when something the screen shows of
// a delivery comes after the delivery's own line was written: its forward
// result, or the payload fetched from its signed link. Update names what
// changed.
type update struct {
	Seq            uint64               `json:"seq"`
	Update         string               `json:"update"`
	Forward        *store.ForwardRecord `json:"forward,omitempty"`
	FetchedPayload json.RawMessage      `json:"fetchedPayload,omitempty"`
	FetchedAt      *time.Time           `json:"fetchedAt,omitempty"`
}

// The kinds of update.
const (
	updateForward = "forward" // a forward result
	updateFetched = "fetched" // the payload behind the signed link
)

// forwardUpdate is ev's forward result as an update line, with its newline.
func forwardUpdate(ev *store.Event) ([]byte, error) {
	line, err := json.Marshal(update{Seq: ev.Seq, Update: updateForward, Forward: ev.Forward().Record()})
	if err != nil {
		return nil, fmt.Errorf("encode the forward result of event %d: %w", ev.Seq, err)
	}
	return append(line, '\n'), nil
}

// updateWhat names what an update line carries, for messages.
var updateWhat = map[string]string{updateForward: "a forward result", updateFetched: "a fetched payload"}

// fetchedUpdate is ev's fetched payload as an update line, with its
// newline.
func fetchedUpdate(ev *store.Event, f *store.Fetched) ([]byte, error) {
	payload, at := f.Record()
	line, err := json.Marshal(update{Seq: ev.Seq, Update: updateFetched, FetchedPayload: payload, FetchedAt: at})
	if err != nil {
		return nil, fmt.Errorf("encode the fetched payload of event %d: %w", ev.Seq, err)
	}
	return append(line, '\n'), nil
}

// errNotObject is the problem of a line that does not start with '{'.
var errNotObject = errors.New("not a JSON object")

// line is one JSONL line: a record, or an update of an earlier one.
type line struct {
	store.Record
	Update string `json:"update"`
}

// jsonlReader reads the events of a JSONL session, handing each to emit;
// reading stops when emit returns false.
type jsonlReader struct {
	emit                  func(*store.Event) bool
	stopped               bool
	emitted               int
	bySeq                 map[uint64]*store.Event // the last event read with each seq, for updates
	methods, paths, addrs sharer                  // one copy of each, across the session's events
	warn                  warnings
	// tail says reading starts after the file's first line (the newest
	// records of a file too large to keep whole): an update of a record
	// before it is not a problem, and line 1 proves nothing.
	tail bool

	// bodies, when set, keeps the bodies in the file being read (see
	// fileBodies): pos is then the offset in that file of the next byte
	// the bufio.Reader returns, at the offset of the line being decoded,
	// and scratch the buffer each body is decoded into to classify it.
	bodies  *fileBodies
	pos     func() int64
	at      int64
	scratch []byte
	// holdFrom is the offset from which bodies are held in memory after
	// all, up to holdEnd, the file's end (see heldShare); held says the
	// share was settled on reaching it (see settleHeld). bodyBytes and
	// bodyCount are what the bodies read so far add up to.
	holdFrom, holdEnd    int64
	held                 bool
	bodyBytes, bodyCount int64
}

func newJSONLReader(emit func(*store.Event) bool) *jsonlReader {
	return &jsonlReader{emit: emit, bySeq: map[uint64]*store.Event{}, methods: sharer{}, paths: sharer{}, addrs: sharer{}}
}

func readJSONL(br *bufio.Reader, maxLine int64) ([]*store.Event, error, error) {
	var events []*store.Event
	r := newJSONLReader(func(ev *store.Event) bool {
		events = append(events, ev)
		return true
	})
	warn, err := r.read(br, maxLine)
	return events, warn, err
}

// read reads every line of br.
func (r *jsonlReader) read(br *bufio.Reader, maxLine int64) (warn, err error) {
	for n := 1; ; n++ {
		var start int64
		if r.pos != nil {
			start = r.pos()
		}
		text, kind, rerr := readLine(br, maxLine)
		if kind == lineLong {
			if n == 1 && !r.tail { // nothing says this is a session; /dev/zero would be read for ever
				return nil, fmt.Errorf("line 1 is over %d bytes, longer than a delivery under --max-body can make it: "+
					"not a session file (if it was recorded with a larger --max-body, give that)", maxLine)
			}
			r.warn.add(fmt.Errorf("line %d skipped: it is over %d bytes, longer than a delivery under --max-body can make it", n, maxLine))
			if rerr == bufio.ErrBufferFull {
				rerr = skipLine(br)
			}
		}
		if rerr != nil && rerr != io.EOF {
			return r.warn.err(), fmt.Errorf("line %d: %w", n, rerr)
		}
		r.at = start + int64(len(text)-len(bytes.TrimLeftFunc(text, unicode.IsSpace)))
		r.line(n, kind, bytes.TrimSpace(text), rerr == io.EOF)
		if rerr == io.EOF || r.stopped {
			break
		}
	}
	if r.emitted == 0 && r.warn.list != nil {
		return nil, fmt.Errorf("not a session file (JSONL of extend-inspect records, or HAR): %w", r.warn.err())
	}
	return r.warn.err(), nil
}

// line reads line n; last says it has no newline after it.
func (r *jsonlReader) line(n int, kind lineKind, text []byte, last bool) {
	if kind == lineLong || kind == lineText && len(text) == 0 {
		return
	}
	err := errNotObject
	if kind == lineText {
		err = r.decode(text)
	}
	switch {
	case err == nil:
	case last: // no newline: the writer stopped mid-line
		r.warn.add(fmt.Errorf("line %d is cut short, probably an interrupted recording; it was skipped: %w", n, err))
	case cutShort(text):
		r.warn.add(fmt.Errorf("line %d is cut short (an interrupted recording, or a write that failed on a full disk); it was skipped", n))
	default:
		r.warn.add(fmt.Errorf("line %d skipped: %w", n, err))
	}
}

// cutShort reports whether text is the start of a JSON value that ends too
// soon: a line whose write was cut, followed by a fresh line.
func cutShort(text []byte) bool {
	var v any
	return errors.Is(json.NewDecoder(bytes.NewReader(text)).Decode(&v), io.ErrUnexpectedEOF)
}

func (r *jsonlReader) decode(text []byte) error {
	if r.bodies != nil {
		return r.decodeKeeping(text)
	}
	var l line
	if err := json.Unmarshal(text, &l); err != nil {
		return err
	}
	if l.Update != "" {
		return r.update(l)
	}
	if l.Method == "" {
		return errors.New("not an extend-inspect record (no method)")
	}
	ev, err := l.Record.Event()
	if err != nil {
		return err
	}
	return r.add(l, ev)
}

// fileLine is a line whose body and headers stay in the file: their
// tokens are kept as they are in the line, to find them there, instead of
// being decoded into the record (the fields of the same names in Record
// are hidden).
type fileLine struct {
	line
	Body       bodyToken    `json:"body"`
	BodyBase64 bodyToken    `json:"bodyBase64"`
	Headers    headersToken `json:"headers"`
}

// decodeKeeping decodes a line as decode does, keeping its body and its
// headers in the file: the event reads them through r.bodies.
func (r *jsonlReader) decodeKeeping(text []byte) error {
	var l fileLine
	if err := json.Unmarshal(text, &l); err != nil {
		return err
	}
	if l.Update != "" {
		return r.update(l.line)
	}
	if l.Method == "" {
		return errors.New("not an extend-inspect record (no method)")
	}
	tok, kind := []byte(l.Body), bodyText
	if tok == nil && string(l.BodyBase64) != `""` { // as Record: an empty bodyBase64 is no body
		tok, kind = []byte(l.BodyBase64), bodyBase64
	}
	ev, err := r.eventKeeping(text, l.Record, tok, kind)
	if err != nil {
		return err
	}
	if err := r.keepHeaders(ev, text, l.Headers); err != nil {
		return err
	}
	return r.add(l.line, ev)
}

// eventKeeping is the event of rec, with its body, tok (a token of that
// kind; none when nil), kept in the file.
func (r *jsonlReader) eventKeeping(text []byte, rec store.Record, tok []byte, kind uint8) (*store.Event, error) {
	if tok == nil {
		return rec.Event()
	}
	body, err := decodeBody(r.scratch[:0], tok, kind)
	if err != nil {
		return nil, err
	}
	r.scratch = body
	at := store.BodyAt{Offset: r.at + int64(spanOf(text, tok)), Length: int64(len(tok)), Size: int64(len(body)),
		Sum: crc32.Checksum(tok, castagnoli), Kind: kind}
	ev, err := rec.EventIn(body, r.bodies, at)
	if err != nil {
		return nil, err
	}
	r.bodyBytes, r.bodyCount = r.bodyBytes+int64(len(body)), r.bodyCount+1
	if r.at >= r.holdFrom && !r.held {
		r.settleHeld()
	}
	if r.at >= r.holdFrom {
		ev.SetBody(bytes.Clone(body))
	}
	return ev, nil
}

// settleHeld moves holdFrom on, once the bodies before it tell their mean
// size, so that the newest bodies held are the share heldShareFor allows.
func (r *jsonlReader) settleHeld() {
	r.held = true
	share := heldShareFor(float64(r.bodyBytes) / float64(r.bodyCount))
	r.holdFrom = r.holdEnd - int64(share/heldShare*float64(r.holdEnd-r.holdFrom))
}

// keepHeaders gives ev the headers of text, the line, whose `headers`
// object is h: left in the file where it is, for ev to read through
// r.bodies. A line that has the member more than once has its objects
// merged, as json.Unmarshal merges them into the record's map, and the
// headers are held in memory.
func (r *jsonlReader) keepHeaders(ev *store.Event, text []byte, h headersToken) error {
	if h.seen > 1 {
		var merged struct {
			Headers map[string]string `json:"headers"`
		}
		if err := json.Unmarshal(text, &merged); err != nil {
			return err
		}
		ev.SetHeaders(store.RecordHeaders(merged.Headers))
		return nil
	}
	if h.tok == nil {
		return nil
	}
	headers, err := store.ParseHeaders(h.tok)
	if err != nil || headers == nil {
		return err
	}
	at := store.HeadersAt{Offset: r.at + int64(spanOf(text, h.tok)), Length: int64(len(h.tok)), Sum: crc32.Checksum(h.tok, castagnoli)}
	ev.KeepHeadersIn(r.bodies, at, headers)
	return nil
}

// add hands on the event read from l.
func (r *jsonlReader) add(l line, ev *store.Event) error {
	ev.Seq, ev.Attempt = l.Seq, int32(min(max(l.Attempt, 0), math.MaxInt32))
	ev.SetDuplicateOf(l.DuplicateOf)
	ev.Method, ev.Path, ev.RemoteAddr = r.methods.share(ev.Method), r.paths.share(ev.Path), r.addrs.share(ev.RemoteAddr)
	r.bySeq[ev.Seq] = ev
	r.emitted++
	r.stopped = !r.emit(ev)
	return nil
}

// maxShared bounds the strings a sharer keeps: a session's methods, paths
// and remote addresses are a handful each, repeated on every line. Each
// field has its own, so that remote addresses, whose ports change with
// each connection, cannot take the room of the paths.
const maxShared = 1024

// sharer hands out the copy of a string read first, so that the events of
// a session hold one copy of each method, path and remote address rather
// than one each: a few dozen bytes an event.
type sharer map[string]string

func (sh sharer) share(s string) string {
	if first, ok := sh[s]; ok {
		return first
	}
	if len(sh) < maxShared {
		sh[s] = s
	}
	return s
}

// update applies an update line to the event it names.
func (r *jsonlReader) update(l line) error {
	if l.Update != updateForward && l.Update != updateFetched {
		return fmt.Errorf("an update of an unknown kind (%q)", printable(l.Update))
	}
	ev := r.bySeq[l.Seq]
	switch {
	case ev == nil && r.tail:
		return nil // an update of a record older than the ones kept
	case ev == nil:
		return fmt.Errorf("%s for delivery #%d, which no line before it holds", updateWhat[l.Update], l.Seq)
	case l.Update == updateFetched && len(l.FetchedPayload) == 0:
		return fmt.Errorf("a fetched update of delivery #%d without a payload", l.Seq)
	case l.Update == updateFetched:
		return ev.RestoreFetched(l.FetchedPayload, l.FetchedAt)
	case l.Forward == nil:
		return fmt.Errorf("a forward update of delivery #%d without a result", l.Seq)
	}
	ev.SetForward(l.Forward.Forward())
	return nil
}

// lineKind says what readLine found.
type lineKind uint8

const (
	lineText lineKind = iota // a line, kept whole
	lineJunk                 // a line that cannot be a record (not '{' first), read but not kept
	lineLong                 // a line over the limit: read up to it, the rest left unread
)

// readLine reads one line, with its newline, keeping at most max bytes of
// it in memory: a longer line stops there (lineLong, and err is
// bufio.ErrBufferFull when the rest of it is still unread), and a line that
// does not start with '{' is read to its end but not kept (lineJunk). The
// pieces of a long line are joined once at the end, as bufio's ReadBytes
// does, so a line costs about twice its size in allocations.
func readLine(br *bufio.Reader, max int64) (text []byte, kind lineKind, err error) {
	var pieces [][]byte
	var size int64
	started := false // a byte other than space has been seen
	for {
		chunk, err := br.ReadSlice('\n')
		if size += int64(len(chunk)); size > max {
			return nil, lineLong, err
		}
		if t := bytes.TrimLeft(chunk, " \t\r\n"); !started && len(t) > 0 {
			started = true
			if t[0] != '{' {
				kind, pieces = lineJunk, nil
			}
		}
		if err != bufio.ErrBufferFull {
			if kind == lineJunk {
				return nil, kind, err
			}
			return join(pieces, chunk, size), kind, err
		}
		if kind == lineText {
			pieces = append(pieces, bytes.Clone(chunk))
		}
	}
}

// join is pieces and last, in one slice of size bytes.
func join(pieces [][]byte, last []byte, size int64) []byte {
	text := make([]byte, 0, size)
	for _, p := range pieces {
		text = append(text, p...)
	}
	return append(text, last...)
}

// skipLine reads past the rest of a line.
func skipLine(br *bufio.Reader) error {
	for {
		if _, err := br.ReadSlice('\n'); err != bufio.ErrBufferFull {
			return err
		}
	}
}
