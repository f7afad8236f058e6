// Package find finds a text filter's query in the text the payload pane
// shows, the way the list's filter matches it: ASCII letters in either case,
// everything else byte for byte. It looks in the text as displayed, after
// pretty-printing and escaping, so a match in the compact body is also found
// in its indented form.
package find

// Span is a match: the bytes [Start, End) of the text.
type Span struct{ Start, End int }

// All returns the matches of query in text, left to right, not
// overlapping. An empty query matches nothing.
func All(text, query string) []Span {
	if query == "" || len(query) > len(text) {
		return nil
	}
	var out []Span
	first := lower(query[0])
	for i := 0; i+len(query) <= len(text); i++ {
		if lower(text[i]) != first || !equalFold(text[i:i+len(query)], query) {
			continue
		}
		out = append(out, Span{i, i + len(query)})
		i += len(query) - 1
	}
	return out
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

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
