package ui

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
)

// highlighter colours pretty-printed JSON with chroma, a chunk of lines at a
// time, so that a large payload shows its first screen long before the rest
// is done. One highlighter belongs to one document's producer.
type highlighter struct {
	lexer chroma.Lexer
	style *chroma.Style
	plain ink
	inks  map[chroma.TokenType]ink // memoised per token type
}

func newHighlighter(style *chroma.Style, plain ink) *highlighter {
	lexer := lexers.Get("json")
	if lexer == nil {
		lexer = lexers.Fallback
	}
	return &highlighter{lexer: lexer, style: style, plain: plain, inks: map[chroma.TokenType]ink{}}
}

// inkFor returns the escape sequences chroma's TTY16m formatter writes around
// a token of type t. Formatting each token through the formatter costs a
// regular expression and a Sprintf; formatting one sentinel per type, once,
// gives the same bytes.
func (h *highlighter) inkFor(t chroma.TokenType) ink {
	if k, ok := h.inks[t]; ok {
		return k
	}
	var b strings.Builder
	err := formatters.TTY16m.Format(&b, h.style, chroma.Literator(chroma.Token{Type: t, Value: sentinel}))
	k := ink{}
	if out := b.String(); err == nil {
		if i := strings.Index(out, sentinel); i >= 0 {
			k = ink{pre: out[:i], post: out[i+len(sentinel):]}
		}
	}
	h.inks[t] = k
	return k
}

// highlight writes lines, coloured, into rw. Chroma's JSON lexer tells keys
// from string values by the state it is in, so a chunk starting inside the
// document is prefixed with JSON that puts the lexer in the right state (see
// chromaContext); the prefix's tokens are dropped. Lines longer than
// maxHighlightLine are given to the lexer as a stub of the same shape and
// written unhighlighted.
func (h *highlighter) highlight(lines []prettyLine, rw *rowWriter) {
	if len(lines) == 0 {
		return
	}
	ctx := chromaContext(lines[0].stack)
	var src strings.Builder
	src.WriteString(ctx)
	for _, l := range lines {
		if len(l.text) > maxHighlightLine {
			src.WriteString(stubLine(l))
		} else {
			src.WriteString(l.text)
		}
		src.WriteByte('\n')
	}
	tokens, err := h.lexer.Tokenise(nil, src.String())
	if err != nil {
		for _, l := range lines {
			rw.write(l.text, h.plain)
			rw.endLine()
		}
		return
	}
	skip, i := len(ctx), 0
	for tok := tokens(); tok != chroma.EOF && i < len(lines); tok = tokens() {
		v := tok.Value
		if skip > 0 {
			n := min(skip, len(v))
			v, skip = v[n:], skip-n
		}
		for v != "" && i < len(lines) {
			seg, rest, newline := strings.Cut(v, "\n")
			long := len(lines[i].text) > maxHighlightLine
			if !long {
				rw.write(seg, h.inkFor(tok.Type))
			}
			if !newline {
				break
			}
			if long {
				rw.write(lines[i].text, h.plain)
			}
			rw.endLine()
			i++
			v = rest
		}
	}
	for ; i < len(lines); i++ { // whatever the lexer left out
		rw.write(lines[i].text, h.plain)
		rw.endLine()
	}
}

// chromaContext is the JSON that leaves chroma's lexer where it would be at
// the start of a line whose open containers are stack: each object but the
// innermost gets an empty key, so that what follows is read as its value.
func chromaContext(stack string) string {
	var b strings.Builder
	for i := 0; i < len(stack); i++ {
		b.WriteByte(stack[i])
		if stack[i] == '{' && i < len(stack)-1 {
			b.WriteString(`"":`)
		}
	}
	return b.String()
}

// stubLine stands in for a long line: the same kind of member, short.
func stubLine(l prettyLine) string {
	text := strings.TrimRight(l.text, " ")
	comma := strings.HasSuffix(text, ",")
	text = strings.TrimSuffix(text, ",")
	var b strings.Builder
	if strings.HasSuffix(l.stack, "{") {
		b.WriteString(`"": `)
	}
	switch last := text[len(text)-1]; last {
	case '{', '[':
		b.WriteByte(last)
	default:
		b.WriteString(`""`)
	}
	if comma {
		b.WriteByte(',')
	}
	return b.String()
}
