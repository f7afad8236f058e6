// Package find finds a text filter's query in the text the payload pane
// shows, the way the list's filter matches it: ASCII letters in either case,
// everything else byte for byte. It looks in the text as displayed, after
// pretty-printing and escaping, so a match in the compact body is also found
// in its indented form.
package find

import "strings"

// Span is a match: the bytes [Start, End) of the text.
type Span struct{ Start, End int }

// All returns the matches of query in text, left to right, not
// overlapping. An empty query matches nothing.
//
// Candidates are found with strings.IndexByte on the query's first byte in
// either case (vectorised), not by comparing every byte: the first n over a
// 5 MB payload searches all its lines at once.
func All(text, query string) []Span {
	if query == "" || len(query) > len(text) {
		return nil
	}
	var out []Span
	lo, up := lower(query[0]), upper(query[0])
	last := len(text) - len(query) // the last position a match can start at
	for i := 0; i <= last; {
		j := indexEither(text[i:last+1], lo, up)
		if j < 0 {
			break
		}
		i += j
		if equalFold(text[i:i+len(query)], query) {
			out = append(out, Span{i, i + len(query)})
			i += len(query)
			continue
		}
		i++
	}
	return out
}

// indexEither is the first index of a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	if i >= 0 {
		s = s[:i]
	}
	if j := strings.IndexByte(s, b); j >= 0 {
		return j
	}
	return i
}

// Contains reports whether query occurs in text.
func Contains(text, query string) bool { return query != "" && len(All(text, query)) > 0 }

func equalFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
