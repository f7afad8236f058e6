package store

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// escapeInvisible escapes, as \uXXXX, the characters of a JSON text that a
// terminal would act on or that would reorder what it shows: DEL, the C1
// controls (U+0080–U+009F) and Unicode's Bidi_Control characters (U+061C,
// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). encoding/json escapes
// only the C0 controls, U+2028 and U+2029. The escapes decode to the same
// characters, so a body stays exact for every JSON reader; outside strings
// JSON has only ASCII, so every such character is inside a string.
func escapeInvisible(line []byte) []byte {
	if !hasInvisible(line) {
		return line // the common case: nothing to escape, no copy
	}
	out := make([]byte, 0, len(line)+32)
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		if invisible(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, line[:size]...)
		}
		line = line[size:]
	}
	return out
}

// hasInvisible is a quick test for escapeInvisible: every character it
// escapes is DEL or starts with one of these lead bytes.
func hasInvisible(b []byte) bool {
	return bytes.IndexByte(b, 0x7f) >= 0 || bytes.IndexByte(b, 0xc2) >= 0 ||
		bytes.IndexByte(b, 0xd8) >= 0 || bytes.IndexByte(b, 0xe2) >= 0
}

func invisible(r rune) bool {
	switch {
	case r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
