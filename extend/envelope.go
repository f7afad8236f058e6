package extend

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Envelope is what the inspector reads out of a delivery body. Parsing never
// fails outright: a body that is not a JSON object yields an Envelope with
// Err set and every field it could not find left empty.
//
// Every stored event holds one, so what most deliveries leave empty (the
// failure message, the signed URL, the error) is kept apart, behind a
// pointer that is nil for them: read it with FailureMessage, SignedURL and
// Err.
type Envelope struct {
	EventID   string
	EventType string

	// From the payload, when it is an object.
	Object        string // payload.object
	ID            string // payload.id
	Status        string // payload.status
	FailureReason string // payload.failureReason
	WorkflowRunID string // payload.workflowRunId: the run a step run belongs to
	// StepType is a step run's step type: payload.stepType (2026-02-09),
	// else the older payload.step.type.
	StepType string

	// Run is the event's run identity and the facts a run's summary needs,
	// read in the same pass (see run.go).
	Run Run

	more *envelopeMore // nil when the body is an object without its fields

	// Versions are the API versions the body could come from; one when the
	// shape settles it, none when nothing is known.
	Versions VersionSet
}

// envelopeMore holds the envelope's fields that few deliveries carry.
type envelopeMore struct {
	failureMessage string // payload.failureMessage
	signedURL      string // payload.data of the signed-download-URL variant
	err            error
}

// Err is why the body is not a JSON object; nil when it is.
func (e Envelope) Err() error {
	if e.more == nil {
		return nil
	}
	return e.more.err
}

// FailureMessage is payload.failureMessage, or "".
func (e Envelope) FailureMessage() string {
	if e.more == nil {
		return ""
	}
	return e.more.failureMessage
}

// SignedURL is payload.data of the signed-download-URL variant, or "".
func (e Envelope) SignedURL() string {
	if e.more == nil {
		return ""
	}
	return e.more.signedURL
}

// IsSignedURL reports whether the delivery carries a signed download URL
// instead of its payload.
func (e Envelope) IsSignedURL() bool { return e.SignedURL() != "" }

// payloadKeys records which tell-tale payload keys were present; the version
// guess reads them.
type payloadKeys uint16

const (
	keyDashboardURL payloadKeys = 1 << iota
	keyWorkflowVersion
	keyOutputs
	keyURL
	keyStepRuns
	keyReviewed
	keyDraftVersion
	keyCreatedAt
	keyStepType
)

var trackedKeys = map[string]payloadKeys{
	"dashboardUrl":    keyDashboardURL,
	"workflowVersion": keyWorkflowVersion,
	"outputs":         keyOutputs,
	"url":             keyURL,
	"stepRuns":        keyStepRuns,
	"reviewed":        keyReviewed,
	"draftVersion":    keyDraftVersion,
	"createdAt":       keyCreatedAt,
	"stepType":        keyStepType,
}

// ParseEnvelope reads a delivery body in one pass.
//
// It does not use encoding/json: the receiver parses every body on the
// request path, and encoding/json's validation alone (about 400 MB/s) would
// cost more than half of the ingest budget. The scanner here validates the
// whole document with the same verdict as json.Valid (the fuzz target checks
// exactly that) at several times the speed, and decodes only the handful of
// strings the inspector shows.
func ParseEnvelope(body []byte) Envelope {
	var env Envelope
	s := scanner{b: body}
	s.skipSpace()
	if s.i >= len(s.b) {
		return Unreadable(fmt.Errorf("empty body"))
	}
	if s.b[s.i] != '{' {
		kind := s.kind()
		if s.value(0) && s.end() {
			return Unreadable(fmt.Errorf("body is a JSON %s, not an object", kind))
		}
		return Unreadable(s.err)
	}
	var keys payloadKeys
	var facts runFields
	if s.envelope(&env, &keys, &facts) {
		s.end()
	}
	if s.err != nil {
		env.fail(s.err)
		return env
	}
	env.Versions = guessVersions(env, keys)
	env.StepType = first(env.StepType, facts.stepType)
	env.Run = runOf(env, &facts)
	return env
}

// Unreadable is the envelope of a body that is not a JSON object, or could
// not be read: Err says why.
func Unreadable(err error) Envelope {
	var env Envelope
	env.fail(err)
	return env
}

// fail sets Err, keeping what was read before the error.
func (e *Envelope) fail(err error) {
	var more envelopeMore
	if e.more != nil {
		more = *e.more
	}
	more.err = err
	e.more = &more
}

// guessVersions narrows the API version from the event type and the payload's
// shape. The rules follow the reference's notes on what changed between
// versions: 2026-02-09 renamed url to dashboardUrl and added workflowVersion;
// 2025-04-21 added stepRuns and reviewed to the older WorkflowRun; only
// 2026-02-09 step runs carry a top-level stepType; 2025-04-21 workflows are
// the four-field {object, id, version, name}.
func guessVersions(env Envelope, keys payloadKeys) VersionSet {
	t, known := Lookup(env.EventType)
	if !known {
		return 0
	}
	candidates := SetOf(t.Versions...)
	narrow := func(keep ...Version) VersionSet {
		if out := candidates & SetOf(keep...); out != 0 {
			return out
		}
		return candidates
	}
	switch {
	case len(t.Versions) == 1:
		return candidates
	case env.IsSignedURL():
		return narrow(V20260209, V20250421) // 2024-12-23 had no signed URLs
	case strings.HasPrefix(env.Object, "document_processor"):
		return narrow(V20250421, V20241223)
	}
	switch t.Object {
	case "workflow_run":
		switch {
		case keys&(keyDashboardURL|keyWorkflowVersion) != 0:
			return narrow(V20260209)
		case keys&(keyStepRuns|keyReviewed) != 0:
			return narrow(V20250421)
		case keys&(keyOutputs|keyURL) != 0:
			return narrow(V20241223)
		}
	case "workflow_step_run":
		if keys&keyStepType != 0 {
			return narrow(V20260209)
		}
		return narrow(V20250421, V20241223)
	case "workflow":
		if keys&(keyDraftVersion|keyCreatedAt) != 0 {
			return narrow(V20260209)
		}
		return narrow(V20250421, V20241223)
	}
	return candidates
}

// maxDepth matches encoding/json's nesting limit, so both agree on validity.
const maxDepth = 10000

// scanner is a recursive-descent JSON validator over a byte slice.
type scanner struct {
	b   []byte
	i   int
	err error
	key []byte // scratch for decoding escaped keys
}

func (s *scanner) fail(what string) bool {
	if s.err == nil {
		if s.i >= len(s.b) {
			s.err = fmt.Errorf("invalid JSON: unexpected end of body after %d bytes", len(s.b))
		} else {
			s.err = fmt.Errorf("invalid JSON at byte %d: %s", s.i, what)
		}
	}
	return false
}

func (s *scanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// end checks that nothing but white space follows the value.
func (s *scanner) end() bool {
	s.skipSpace()
	if s.i < len(s.b) {
		return s.fail(fmt.Sprintf("unexpected %q after the top-level value", s.b[s.i]))
	}
	return true
}

func (s *scanner) kind() string {
	if s.i >= len(s.b) {
		return "nothing"
	}
	switch c := s.b[s.i]; {
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	default:
		return "number"
	}
}

// envelope scans the top-level object, picking out the envelope's fields.
func (s *scanner) envelope(env *Envelope, keys *payloadKeys, facts *runFields) bool {
	return s.object(1, func(key []byte) bool {
		switch string(key) {
		case "eventId":
			return s.stringInto(&env.EventID, 1)
		case "eventType":
			return s.stringInto(&env.EventType, 1)
		case "payload":
			return s.payload(env, keys, facts)
		}
		return s.value(1)
	})
}

func (s *scanner) payload(env *Envelope, keys *payloadKeys, facts *runFields) bool {
	// A repeated "payload" key replaces the earlier one entirely.
	env.Object, env.ID, env.Status, env.FailureReason = "", "", "", ""
	env.WorkflowRunID, env.StepType, env.more = "", "", nil
	*keys = 0
	*facts = runFields{}
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return s.value(1)
	}
	var more envelopeMore
	var data string
	ok := s.object(2, func(key []byte) bool {
		*keys |= trackedKeys[string(key)]
		if dst := payloadField(env, &more, key, &data); dst != nil {
			return s.stringInto(dst, 2)
		}
		if ok, handled := s.runField(facts, key); handled {
			return ok
		}
		return s.value(2)
	})
	// The docs' shape is {data}; the SDKs' adds object "signed_data_url".
	if data != "" && (env.Object == "signed_data_url" || env.Object == "") {
		more.signedURL = data
	}
	if more != (envelopeMore{}) {
		kept := more // more itself stays on the stack for the bodies without
		env.more = &kept
	}
	return ok
}

func payloadField(env *Envelope, more *envelopeMore, key []byte, data *string) *string {
	switch string(key) {
	case "object":
		return &env.Object
	case "id":
		return &env.ID
	case "status":
		return &env.Status
	case "failureReason":
		return &env.FailureReason
	case "failureMessage":
		return &more.failureMessage
	case "workflowRunId":
		return &env.WorkflowRunID
	case "stepType":
		return &env.StepType
	case "data":
		return data
	}
	return nil
}

// object scans {"key": value, ...}, calling member for each key with the
// scanner positioned at the value; a nil member just validates the values.
// Keys are compared after unescaping, and a repeated key overwrites the
// earlier value, as with encoding/json. An escaped key is decoded into the
// scanner's scratch buffer, so member must be done with it before it scans
// the next key; the keys of objects nobody reads are never decoded.
func (s *scanner) object(depth int, member func(key []byte) bool) bool {
	if depth > maxDepth {
		return s.fail("nesting too deep")
	}
	s.i++ // '{'
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	for {
		s.skipSpace()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return s.fail("want a string key")
		}
		key, escaped, ok := s.str()
		if !ok {
			return false
		}
		if escaped && member != nil {
			s.key = appendDecoded(s.key[:0], key)
			key = s.key
		}
		s.skipSpace()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return s.fail("want ':' after an object key")
		}
		s.i++
		s.skipSpace()
		if member == nil {
			if !s.value(depth) {
				return false
			}
		} else if !member(key) {
			return false
		}
		if !s.next('}') {
			return false
		}
		if s.b[s.i-1] == '}' {
			return true
		}
	}
}

// next consumes the ',' between members or the closing bracket.
func (s *scanner) next(closing byte) bool {
	s.skipSpace()
	if s.i >= len(s.b) {
		return s.fail("")
	}
	switch s.b[s.i] {
	case ',':
		s.i++
		return true
	case closing:
		s.i++
		return true
	}
	return s.fail(fmt.Sprintf("want ',' or %q", closing))
}

func (s *scanner) array(depth int) bool { return s.arrayOf(depth, nil) }

// arrayOf scans [value, ...] at nesting depth, calling element with the
// cursor on each element; a nil element just validates them.
func (s *scanner) arrayOf(depth int, element func() bool) bool {
	if depth > maxDepth {
		return s.fail("nesting too deep")
	}
	s.i++ // '['
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return true
	}
	for {
		s.skipSpace()
		ok := false
		if element == nil {
			ok = s.value(depth)
		} else {
			ok = element()
		}
		if !ok || !s.next(']') {
			return false
		}
		if s.b[s.i-1] == ']' {
			return true
		}
	}
}

// value scans any JSON value at nesting depth.
func (s *scanner) value(depth int) bool {
	if s.i >= len(s.b) {
		return s.fail("")
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(depth+1, nil)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		_, _, ok := s.str()
		return ok
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	}
	return s.fail(fmt.Sprintf("unexpected %q", s.b[s.i]))
}

func (s *scanner) literal(word string) bool {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		return s.fail("invalid literal")
	}
	s.i += len(word)
	return true
}

// number scans -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (s *scanner) number() bool {
	if s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case s.digits() == 0:
		return s.fail("invalid number")
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return s.fail("invalid number")
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return s.fail("invalid number")
		}
	}
	return true
}

func (s *scanner) digits() int {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i - start
}

// str scans a string and returns the raw bytes between its quotes, escapes
// unresolved, and whether it has any. It decodes nothing: most strings of a
// body are skipped, and parse outputs are full of \n, so decoding is left to
// the few callers that keep the string.
func (s *scanner) str() (raw []byte, escaped, ok bool) {
	s.i++ // opening quote
	start := s.i
	for {
		s.i = plainEnd(s.b, s.i)
		if s.i >= len(s.b) {
			return nil, false, s.fail("")
		}
		switch s.b[s.i] {
		case '"':
			s.i++
			return s.b[start : s.i-1], escaped, true
		case '\\':
			if !s.escape() {
				return nil, false, false
			}
			escaped = true
		default:
			return nil, false, s.fail("control character in a string")
		}
	}
}

// plainEnd returns the index of the first byte at or after i that a string
// may not hold without a closer look (a quote, a backslash or a control
// character), or len(b) when there is none. Reading eight bytes at a time
// makes it about twice as fast on strings of a few hundred bytes (markdown,
// raw text, signed URLs) and costs nothing on short ones.
func plainEnd(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := notPlain(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	// The last few bytes, padded with quotes, which end the search at len(b).
	word := [8]byte{'"', '"', '"', '"', '"', '"', '"', '"'}
	copy(word[:], b[i:])
	return min(i+bits.TrailingZeros64(notPlain(binary.LittleEndian.Uint64(word[:])))/8, len(b))
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// notPlain sets the high bit of the first byte of x (in memory order) that is
// a quote, a backslash or a control character, and perhaps of later bytes
// too: a borrow can carry into the next byte, so only the lowest set bit is
// exact.
//
// It is the classic test for a zero byte, (v - 0x01...) &^ v & 0x80..., on x
// xor'ed with the quote and with the backslash, and its form for a byte below
// n, (x - n*0x01...) &^ x & 0x80..., for control characters. Neither the quote
// nor the backslash has its high bit set, so the three share the &^ x.
func notPlain(x uint64) uint64 {
	quote := x ^ (lowBits * '"')
	backslash := x ^ (lowBits * '\\')
	return ((quote - lowBits) | (backslash - lowBits) | (x - lowBits*0x20)) &^ x & highBits
}

// simpleEscapes maps the letter after a backslash to the byte it stands for;
// zero marks the letters that are not an escape (\u is handled apart).
var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func (s *scanner) escape() bool {
	s.i++ // backslash
	if s.i >= len(s.b) {
		return s.fail("")
	}
	if simpleEscapes[s.b[s.i]] != 0 {
		s.i++
		return true
	}
	if s.b[s.i] != 'u' {
		return s.fail("invalid escape")
	}
	s.i++
	for range 4 {
		if s.i >= len(s.b) || unhex(s.b[s.i]) < 0 {
			return s.fail("invalid \\u escape")
		}
		s.i++
	}
	return true
}

// unhex is the value of a hexadecimal digit, or -1.
func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// stringInto stores the value at the cursor in dst when it is a string, and
// otherwise just scans past it.
func (s *scanner) stringInto(dst *string, depth int) bool {
	if s.i < len(s.b) && s.b[s.i] == '"' {
		raw, escaped, ok := s.str()
		if ok {
			*dst = decodeString(raw, escaped)
		}
		return ok
	}
	*dst = ""
	return s.value(depth)
}

// decodeString returns a kept string's contents as encoding/json decodes
// them.
func decodeString(raw []byte, escaped bool) string {
	if !escaped {
		if w, ok := word(raw); ok {
			return w
		}
		if utf8.Valid(raw) {
			return string(raw)
		}
	}
	return string(appendDecoded(make([]byte, 0, len(raw)), raw))
}

// appendDecoded appends the contents of a string the scanner has validated
// (raw: the bytes between its quotes) as encoding/json decodes them: escapes
// resolved, and an unpaired surrogate or an invalid UTF-8 byte replaced by
// U+FFFD.
//
// A string that is valid UTF-8 as it stands has valid runs between its
// escapes (an escape is ASCII, so none cuts a character), which are then
// copied without a check each: one check of the whole is far cheaper than
// one per run, and in a JSON document kept as a string (a session's
// bodies) the runs between escaped quotes are a few bytes each.
func appendDecoded(dst, raw []byte) []byte {
	valid := utf8.Valid(raw)
	for {
		run := bytes.IndexByte(raw, '\\')
		if run < 0 {
			if valid {
				return append(dst, raw...)
			}
			return appendValidUTF8(dst, raw)
		}
		if valid {
			dst = append(dst, raw[:run]...)
		} else {
			dst = appendValidUTF8(dst, raw[:run])
		}
		var n int
		dst, n = appendEscape(dst, raw[run:])
		raw = raw[run+n:]
	}
}

// appendEscape appends what the validated escape at the start of esc stands
// for and returns the number of bytes it took: a surrogate pair written as
// two \u escapes is one character.
func appendEscape(dst, esc []byte) ([]byte, int) {
	if esc[1] != 'u' {
		return append(dst, simpleEscapes[esc[1]]), 2
	}
	r := hex4(esc[2:6])
	if !utf16.IsSurrogate(r) {
		return utf8.AppendRune(dst, r), 6
	}
	if len(esc) >= 12 && esc[6] == '\\' && esc[7] == 'u' {
		if pair := utf16.DecodeRune(r, hex4(esc[8:12])); pair != utf8.RuneError {
			return utf8.AppendRune(dst, pair), 12
		}
	}
	return utf8.AppendRune(dst, utf8.RuneError), 6
}

func hex4(digits []byte) rune {
	var r rune
	for _, c := range digits {
		r = r<<4 | unhex(c)
	}
	return r
}

// appendValidUTF8 appends b with each invalid byte replaced by U+FFFD, as
// encoding/json does when it decodes a string.
func appendValidUTF8(dst, b []byte) []byte {
	if utf8.Valid(b) {
		return append(dst, b...)
	}
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		dst = utf8.AppendRune(dst, r) // utf8.RuneError for an invalid byte
		b = b[size:]
	}
	return dst
}
