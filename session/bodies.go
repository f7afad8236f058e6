package session

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// fileBodies is the store.BodyReader of a JSONL session opened with Open:
// the bodies of its events stay in the file, and each is read from the
// file again when it is needed. The store then holds an event's metadata
// and the screen its index, a few hundred bytes, instead of its body:
// a session of a million 2.5 KB deliveries fits in a fraction of its size.
//
// A record's body is a JSON string, `body` (the text) or `bodyBase64` (the
// base64 of bytes that are not UTF-8); the reader keeps where that string
// token is in the file and a checksum of it, and decodes it again on each
// read, with the envelope scanner's decoder. ReadAt does not move the
// file's offset, so scans on several goroutines read at once.
//
// The file stays open until Close: a session file that is moved or deleted
// while it is open is still read (the open file outlives its name), but one
// that is truncated or rewritten in place no longer holds the bodies where
// they were, and each read says so (the checksum does not match, or the
// bytes are gone) instead of showing other bytes.
type fileBodies struct {
	f *os.File
}

// The kinds of body token (store.BodyAt.Kind).
const (
	bodyText   uint8 = iota // `body`: the bytes as a JSON string
	bodyBase64              // `bodyBase64`: their base64, as a JSON string
)

// castagnoli is the CRC-32 that processors compute in hardware (SSE 4.2,
// ARMv8), so checking a body costs far less than decoding it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errChanged is why a body read back from a file is not the one loaded.
var errChanged = errors.New("the session file changed after it was opened (it was rewritten or cut short), " +
	"so the body is no longer where it was: open it again")

// ReadBody reads the body at at from the file and decodes it.
func (fb *fileBodies) ReadBody(at store.BodyAt) ([]byte, error) {
	tok := make([]byte, at.Length)
	if _, err := fb.f.ReadAt(tok, at.Offset); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return nil, fmt.Errorf("read the body from %s: the session is closed", fb.f.Name())
		}
		return nil, fmt.Errorf("read the body from %s: %w; %w", fb.f.Name(), err, errChanged)
	}
	if crc32.Checksum(tok, castagnoli) != at.Sum {
		return nil, fmt.Errorf("read the body from %s: %w", fb.f.Name(), errChanged)
	}
	body, err := decodeBody(make([]byte, 0, at.Size), tok, at.Kind)
	if err != nil || int64(len(body)) != at.Size {
		return nil, fmt.Errorf("read the body from %s: %w", fb.f.Name(), errChanged)
	}
	return body, nil
}

// Close closes the file: bodies read after it fail.
func (fb *fileBodies) Close() error { return fb.f.Close() }

// decodeBody appends the body a token of that kind holds to dst.
func decodeBody(dst, tok []byte, kind uint8) ([]byte, error) {
	if kind == bodyText {
		text, ok := extend.AppendString(dst, tok)
		if !ok {
			return dst, errors.New("the body is not a JSON string")
		}
		return text, nil
	}
	text, ok := extend.AppendString(nil, tok)
	if !ok {
		return dst, errors.New("bodyBase64 is not a JSON string")
	}
	out, err := base64.StdEncoding.AppendDecode(dst, text)
	if err != nil {
		return dst, fmt.Errorf("bodyBase64: %w", err)
	}
	return out, nil
}

// spanOf is where tok, a token json.Unmarshal found in line, starts in it.
// A bodyToken is a slice of the line it was decoded from, which the
// capacities tell; should it be a copy, the same bytes are looked for (the
// last copy: the body comes last in the records extend-inspect writes),
// and any copy of them decodes to the same body.
func spanOf(line, tok []byte) int {
	if i := cap(line) - cap(tok); len(tok) > 0 && i >= 0 && i+len(tok) <= len(line) && &line[i] == &tok[0] {
		return i
	}
	return bytes.LastIndex(line, tok)
}

// bodyToken is a JSON value as it is in the line being decoded, not copied:
// json.Unmarshal hands UnmarshalJSON a slice of its input, which outlives
// the call here because the line does.
type bodyToken []byte

func (t *bodyToken) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = nil
		return nil
	}
	*t = b
	return nil
}

var _ json.Unmarshaler = (*bodyToken)(nil)
