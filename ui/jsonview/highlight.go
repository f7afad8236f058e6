package jsonview

import (
	"embed"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// maxHighlightLine is the longest line given to chroma; longer ones (a
// megabyte of base64 in one string) are written plain, since chroma's
// regular expressions take seconds on them.
const maxHighlightLine = 4 << 10

// Writer receives a highlighted chunk: the tokens of each line, then its end.
type Writer interface {
	// Token is part of a line that chroma classified as t.
	Token(t chroma.TokenType, text string)
	// Plain is a line, or what is left of one, that was not highlighted.
	Plain(text string)
	// EndLine ends the current line.
	EndLine()
}

// Highlighter tokenises printed JSON with chroma, a chunk of lines at a
// time. One belongs to one document's producer.
type Highlighter struct {
	lexer chroma.Lexer
}

// jsonLexer is chroma's JSON lexer, read from a copy of its definition
// (json.xml, unchanged from chroma v2.27.0, MIT): importing chroma's lexers
// package compiles its 279 lexers when the program starts, about 40 ms and
// 2.7 MB on every command, for the one this package uses.
// TestEmbeddedLexerIsChromas fails when the copy drifts from chroma's.
//
//go:embed json.xml
var jsonLexerXML embed.FS

var jsonLexer = sync.OnceValue(func() chroma.Lexer { return chroma.MustNewXMLLexer(jsonLexerXML, "json.xml") })

// NewHighlighter returns a highlighter for JSON.
func NewHighlighter() *Highlighter {
	return &Highlighter{lexer: jsonLexer()}
}

// Highlight writes lines, tokenised, to w. Chroma's JSON lexer tells keys
// from string values by the state it is in, so a chunk starting inside the
// document is prefixed with JSON that puts the lexer in the right state (see
// lexerContext); the prefix's tokens are dropped. Lines longer than
// maxHighlightLine are given to the lexer as a stub of the same shape and
// written plain.
func (h *Highlighter) Highlight(lines []Line, w Writer) {
	if len(lines) == 0 {
		return
	}
	ctx := lexerContext(lines[0].Stack)
	var src strings.Builder
	src.WriteString(ctx)
	for _, l := range lines {
		if len(l.Text) > maxHighlightLine {
			src.WriteString(stubLine(l))
		} else {
			src.WriteString(l.Text)
		}
		src.WriteByte('\n')
	}
	tokens, err := h.lexer.Tokenise(nil, src.String())
	if err != nil {
		writePlain(lines, w)
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
			long := len(lines[i].Text) > maxHighlightLine
			if !long {
				w.Token(tok.Type, seg)
			}
			if !newline {
				break
			}
			if long {
				w.Plain(lines[i].Text)
			}
			w.EndLine()
			i++
			v = rest
		}
	}
	writePlain(lines[i:], w) // whatever the lexer left out
}

func writePlain(lines []Line, w Writer) {
	for _, l := range lines {
		w.Plain(l.Text)
		w.EndLine()
	}
}

// lexerContext is the JSON that leaves chroma's lexer where it would be at
// the start of a line whose open containers are stack: each object but the
// innermost gets an empty key, so that what follows is read as its value.
func lexerContext(stack string) string {
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
func stubLine(l Line) string {
	text := strings.TrimRight(l.Text, " ")
	comma := strings.HasSuffix(text, ",")
	text = strings.TrimSuffix(text, ",")
	var b strings.Builder
	if strings.HasSuffix(l.Stack, "{") {
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
