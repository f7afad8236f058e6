package extend

// AppendString appends the contents of the JSON string token tok (its
// quotes included) to dst as encoding/json decodes them: escapes resolved,
// and an unpaired surrogate or an invalid UTF-8 byte replaced by U+FFFD.
// ok is false, and dst returned as it was, when tok is not exactly one
// valid JSON string. It is the envelope scanner's string decoder, for
// callers that keep a string token to decode later (a session's bodies).
func AppendString(dst, tok []byte) (out []byte, ok bool) {
	if len(tok) == 0 || tok[0] != '"' {
		return dst, false
	}
	s := scanner{b: tok}
	raw, escaped, ok := s.str()
	if !ok || s.i != len(tok) {
		return dst, false
	}
	if !escaped {
		return appendValidUTF8(dst, raw), true
	}
	return appendDecoded(dst, raw), true
}
