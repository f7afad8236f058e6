// Package sanitize makes untrusted text safe to draw on a terminal.
//
// Everything a webhook sends is untrusted: a delivery's body, headers, path
// and the strings decoded from its JSON may hold ESC and other control bytes
// that a terminal would obey (set the window title, clear the screen,
// rewrite the clipboard). Every such text reaches the screen through Each,
// which cuts it into runs of harmless text and visible escapes.
package sanitize

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Each calls emit for each run of s: plain text that is safe to print, or
// (escaped true) the visible escape of one dangerous rune or byte, such as
// `\x1b`, `\u202e` or `\xff`. keepNewlines leaves '\n' out of the escaping
// so that callers splitting lines can see it.
func Each(s string, keepNewlines bool, emit func(text string, escaped bool)) {
	start := 0
	for i := 0; i < len(s); {
		i = printableFrom(s, i)
		if i == len(s) {
			break
		}
		c := s[i]
		if c >= 0x20 && c < 0x7f { // the common case: printable ASCII
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if (c == '\n' && keepNewlines) || !dangerous(r, size) {
			i += size
			continue
		}
		if start < i {
			emit(s[start:i], false)
		}
		emit(escapeOf(s[i:i+size], r), true)
		i += size
		start = i
	}
	if start < len(s) {
		emit(s[start:], false)
	}
}

// dangerous reports whether a rune must not reach the terminal as itself:
//   - C0 and C1 controls and DEL: they start or end escape sequences;
//   - bytes that are not UTF-8: a terminal in another charset could read
//     0x9b as CSI;
//   - format characters (Cf), such as the bidi overrides U+202A–U+202E and
//     U+2066–U+2069, which reorder what the user sees, and the zero-width
//     space, joiners and marks;
//   - characters that draw nothing but are not spaces, so that a name made
//     of them looks empty or like another: the Hangul fillers (U+115F,
//     U+1160, U+3164, U+FFA0), the other default-ignorable code points
//     Unicode lists (U+034F, U+17B4, …) and the blank Braille pattern
//     U+2800;
//   - the line and paragraph separators U+2028 and U+2029.
//
// The zero-width joiner and the emoji variation selectors stay: emoji
// sequences need them.
func dangerous(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0x200d:
		return false
	case r == 0x2028, r == 0x2029, r == 0x2800:
		return true
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point)
}

// escapeOf spells a dangerous rune the way Go and JSON would write it.
func escapeOf(raw string, r rune) string {
	switch {
	case r == utf8.RuneError && len(raw) == 1:
		return `\x` + hex2(raw[0])
	case r == '\t':
		return `\t`
	case r == '\r':
		return `\r`
	case r == '\n':
		return `\n`
	case r < 0x80:
		return `\x` + hex2(byte(r))
	}
	s := strconv.FormatInt(int64(r), 16)
	return `\u` + strings.Repeat("0", max(0, 4-len(s))) + s
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&0xf]})
}

// Text returns s with every dangerous rune replaced by its visible escape.
// Use it for short texts drawn with one style; long ones go through Each
// so the escapes can be styled apart.
func Text(s string) string { return joined(s, false) }

// Lines is Text that keeps line breaks: for text handed on as a whole, such
// as a payload copied to the clipboard.
func Lines(s string) string { return joined(s, true) }

func joined(s string, keepNewlines bool) string {
	if PlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	Each(s, keepNewlines, func(text string, _ bool) { b.WriteString(text) })
	return b.String()
}

// PlainASCII reports whether s is all printable ASCII: safe as it is, and
// one cell per byte wide.
func PlainASCII(s string) bool {
	for i := printableFrom(s, 0); i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// printableFrom skips printable ASCII from i eight bytes at a time, and
// returns where the first eight not all printable start (or the last few
// bytes, unchecked). A 5 MB string is looked at in well under a
// millisecond, where a byte at a time takes some three.
func printableFrom(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8] // one load: the compiler joins the bytes of a word it knows is 8 long
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		below := (x - 0x20*ones) &^ x & highs                    // a byte under 0x20
		del := (x ^ 0x7f*ones - ones) &^ (x ^ 0x7f*ones) & highs // a byte 0x7f
		if x&highs|below|del != 0 {
			return i
		}
	}
	return i
}
