package output

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Raw is one JSON value as it sits in the body, read lazily: looking up a
// key skims past the values before it without decoding them.
//
// Why not encoding/json: an extraction output of 5 MB (thousands of line
// items, each with metadata and citations) takes encoding/json hundreds of
// milliseconds to decode into maps, while the Fields view must show its
// first screen within 50 ms. Skimming finds a value's end by matching
// quotes and brackets, several times faster than decoding, and only the
// pieces shown are ever decoded. The reader assumes the body is JSON (the
// receiver has validated it with extend.ParseEnvelope and flagged it when
// not); on malformed bytes it returns empty values, never panics and never
// loops (the fuzz target checks both).
type Raw []byte

// kind is the first byte of a value: '{', '[', '"', 't', 'f', 'n', or a
// digit or '-' for numbers; 0 for nothing.
func (r Raw) kind() byte {
	if len(r) == 0 {
		return 0
	}
	return r[0]
}

// IsObject, IsArray, IsString and IsNull report the value's kind.
func (r Raw) IsObject() bool { return r.kind() == '{' }
func (r Raw) IsArray() bool  { return r.kind() == '[' }
func (r Raw) IsString() bool { return r.kind() == '"' }
func (r Raw) IsNull() bool   { return r.kind() == 'n' }

// IsScalar reports whether the value is a string, number, boolean or null.
func (r Raw) IsScalar() bool { return len(r) > 0 && !r.IsObject() && !r.IsArray() }

// Present reports whether there is a value that is not null.
func (r Raw) Present() bool { return len(r) > 0 && !r.IsNull() }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// trimRaw strips the white space around a value.
func trimRaw(b []byte) Raw { return Raw(bytes.TrimSpace(b)) }

// skip returns the index just past the value starting at b[i], or -1 when
// the bytes end first.
func skip(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		return skipContainer(b, i)
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ':', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// skipString finds the closing quote with bytes.IndexByte, which is
// vectorised, rather than byte by byte.
func skipString(b []byte, i int) int {
	i++
	for {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		i += q
		backslashes := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			backslashes++
		}
		i++
		if backslashes%2 == 0 {
			return i
		}
	}
}

// structural marks the bytes skipContainer must look at; it steps over
// every other byte in a tight loop.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

func skipContainer(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		for i < len(b) && !structural[b[i]] {
			i++
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '"':
			if i = skipString(b, i); i < 0 {
				return -1
			}
			continue
		case '{', '[':
			depth++
		default:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return -1
}

// Members calls yield with each key and value of an object, in order, until
// it returns false. Keys are as written, escapes undecoded: Extend's keys
// have none, and a key with an escape still compares equal to itself.
func (r Raw) Members(yield func(key string, v Raw) bool) {
	if !r.IsObject() {
		return
	}
	b := []byte(r)
	i := skipSpace(b, 1)
	for i < len(b) && b[i] == '"' {
		end := skipString(b, i)
		if end < 0 {
			return
		}
		key := string(b[i+1 : end-1])
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipSpace(b, i+1)
		vend := skip(b, i)
		if vend < 0 || vend == i {
			return
		}
		if !yield(key, Raw(b[i:vend])) {
			return
		}
		i = skipSpace(b, vend)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipSpace(b, i+1)
	}
}

// Items calls yield with each element of an array until it returns false.
func (r Raw) Items(yield func(i int, v Raw) bool) {
	if !r.IsArray() {
		return
	}
	b := []byte(r)
	i := skipSpace(b, 1)
	for n := 0; i < len(b) && b[i] != ']'; n++ {
		end := skip(b, i)
		if end < 0 || end == i {
			return
		}
		if !yield(n, Raw(b[i:end])) {
			return
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipSpace(b, i+1)
	}
}

// Get returns the value of key in an object, or nil.
func (r Raw) Get(key string) Raw {
	var found Raw
	r.Members(func(k string, v Raw) bool {
		if k == key {
			found = v
			return false
		}
		return true
	})
	return found
}

// Object is an object's members, read once. Looking several keys up in a
// large object through Raw.Get would skim it once per key; an Object skims
// it once in all.
type Object []Member

// Member is one key and value of an object.
type Member struct {
	Key   string
	Value Raw
}

// Object reads an object's members; nil for anything else.
func (r Raw) Object() Object {
	var o Object
	r.Members(func(k string, v Raw) bool { o = append(o, Member{k, v}); return true })
	return o
}

// Get returns the value of key, or nil.
func (o Object) Get(key string) Raw {
	for _, m := range o {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// Path follows keys through nested objects.
func (r Raw) Path(keys ...string) Raw {
	for _, k := range keys {
		r = r.Get(k)
	}
	return r
}

// Len counts an array's elements.
func (r Raw) Len() int {
	n := 0
	r.Items(func(int, Raw) bool { n++; return true })
	return n
}

// Str decodes a string value; anything else gives "".
func (r Raw) Str() string {
	if !r.IsString() || len(r) < 2 {
		return ""
	}
	inner := r[1 : len(r)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	if json.Unmarshal(r, &s) != nil {
		return ""
	}
	return s
}

// Number decodes a number; ok is false for anything else.
func (r Raw) Number() (float64, bool) {
	switch k := r.kind(); {
	case k == '-' || (k >= '0' && k <= '9'):
		f, err := strconv.ParseFloat(string(r), 64)
		return f, err == nil
	}
	return 0, false
}

// Bool reports whether the value is true.
func (r Raw) Bool() bool { return string(r) == "true" }

// Text is the value in one line: a string as itself, a scalar as written,
// an object or array compacted.
func (r Raw) Text() string {
	switch {
	case r.IsString():
		return r.Str()
	case r.IsScalar():
		return string(r)
	case len(r) == 0:
		return ""
	}
	var b bytes.Buffer
	if json.Compact(&b, r) != nil {
		return string(r)
	}
	return b.String()
}

// Indented is the value laid out with a 2-space indent, for a detail view.
func (r Raw) Indented() string {
	if r.IsString() {
		return r.Str()
	}
	var b bytes.Buffer
	if json.Indent(&b, r, "", "  ") != nil {
		return string(r)
	}
	return b.String()
}
