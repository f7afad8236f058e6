// Package wrap breaks a line of displayed text into rows at token
// boundaries: between words, and between a JSON member's key and its value.
// A continuation row is indented to where the line's value starts, so a
// wrapped string reads as one block under its key. A word (a URL, an id, a
// base64 run) that fits on a row of its own is moved whole to the next row
// rather than split; only a word longer than a whole row is cut, at a
// punctuation mark where it has one.
//
// It works on plain text (no escape sequences) and returns where rows start,
// so the caller can paint the same bytes in their colours.
package wrap

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// minRoom is the narrowest continuation row a hanging indent may leave:
// below it the indent gives way, or a value would trickle down a column.
const minRoom = 16

// Hang returns the indent continuation rows get for a line whose value
// starts at column value, on rows width cells wide.
func Hang(value, width int) int {
	if width-value < minRoom {
		return max(0, min(value, width-minRoom, width/2))
	}
	return value
}

// Breaks returns the byte offsets at which the second and later rows of s
// start, when the first row is width cells wide and the others width-hang.
// Spaces at a break stay at the end of the row before it, where they may
// pass the width: a painter drops those cells. Nil means s fits.
func Breaks(s string, width, hang int) []int {
	if width <= 0 || cells(s) <= width {
		return nil
	}
	breaks, _ := More(s, 0, width, hang, len(s))
	return breaks
}

// More goes on breaking s from from, 0 or a row start Breaks or More
// returned, for at most rows more breaks: a megabyte-long line is broken as
// far as its rows are drawn, a screen at a time, with the breaks Breaks
// gives, for an s Breaks does not say fits. Done says the breaks reach the
// end of s.
func More(s string, from, width, hang, rows int) (breaks []int, done bool) {
	if width <= 0 {
		return nil, true
	}
	hang = max(0, min(hang, width-1))
	room, full := width, width
	if from > 0 { // a continuation row
		room, full = width-hang, width-hang
	}
	// Each break leaves the state a continuation row starts with (room and
	// full both width-hang), which is why More can go on from any of them.
	newRow := func(at int) {
		breaks = append(breaks, at)
		full = width - hang
		room = full
	}
	i := from
	for i < len(s) && len(breaks) < rows {
		word, space := wordAt(s, i, width)
		w := cells(s[i:word])
		switch {
		case w <= room:
			room -= w
			i = word
		case room < full && w <= width-hang:
			newRow(i) // the word goes whole to the next row
			continue
		default:
			cut := cutPoint(s[i:word], room)
			if cut == 0 { // not even one rune fits: start a row
				if room < full {
					newRow(i)
					continue
				}
				cut = firstRune(s[i:])
			}
			i += cut
			if i < len(s) {
				newRow(i)
			} else {
				full = width - hang
				room = full
			}
			continue
		}
		// Spaces hang off the row's end rather than start the next one.
		room -= min(room, cells(s[word:space]))
		i = space
	}
	return trimTrailing(breaks, len(s)), i >= len(s)
}

// wordAt returns the end of the word starting at i and the end of the
// spaces after it. A word wider than a row of width cells is looked at no
// further than what shows it is (width+1 bytes of ASCII, four bytes a cell
// otherwise) and ends there, with no spaces after it: a megabyte of base64
// in one string is cut row by row, and scanning it to its end for every row
// would be quadratic.
func wordAt(s string, i, width int) (word, space int) {
	j, ascii := i, true
	for j < len(s) && s[j] != ' ' {
		ascii = ascii && s[j] < utf8.RuneSelf
		if (ascii && j-i > width) || j-i >= 4*width+4 {
			return j, j
		}
		j++
		if isBoundary(s, j) {
			break
		}
	}
	k := j
	for k < len(s) && s[k] == ' ' {
		k++
	}
	return j, k
}

// isBoundary reports a token boundary before s[j] inside a run of non-space
// bytes: the start of a JSON string value after the colon of its key.
func isBoundary(s string, j int) bool {
	return j < len(s) && j >= 2 && s[j-1] == ':' && s[j-2] == '"'
}

// cutPoint returns how many bytes of word to put in room cells: up to the
// last punctuation mark that fits, else as much as fits.
func cutPoint(word string, room int) int {
	fits, used, soft := 0, 0, 0
	for i := 0; i < len(word); {
		r, size, w := rune(word[i]), 1, 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(word[i:])
			w = ansi.StringWidth(word[i : i+size])
		}
		if used+w > room {
			break
		}
		used += w
		i += size
		fits = i
		if isSoft(r) {
			soft = i
		}
	}
	if soft > fits/2 {
		return soft
	}
	return fits
}

func isSoft(r rune) bool {
	switch r {
	case '/', '?', '&', '=', '-', '_', '.', ',', ';', ':':
		return true
	}
	return false
}

func firstRune(s string) int {
	_, size := utf8.DecodeRuneInString(s)
	return max(1, size)
}

func trimTrailing(breaks []int, n int) []int {
	for len(breaks) > 0 && breaks[len(breaks)-1] >= n {
		breaks = breaks[:len(breaks)-1]
	}
	return breaks
}

func cells(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
