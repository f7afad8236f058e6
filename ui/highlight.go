package ui

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"

	"github.com/extend-inspect/extend-inspect/ui/jsonview"
)

// highlighter paints printed JSON into a lineSink: jsonview tokenises it,
// the theme's chroma style colours each token. One highlighter belongs to
// one document's producer, which is used by one command at a time, so its
// memo needs no lock; the inks it hands out are never changed, so the
// screen reads them once a chunk has been handed over.
type highlighter struct {
	lexer *jsonview.Highlighter
	style *chroma.Style
	plain *ink
	inks  map[chroma.TokenType]*ink // memoised per token type
	sink  inkWriter                 // where the chunk being highlighted goes
}

// inkWriter is where highlighted text goes: the Payload view's lineSink, or
// a rowWriter (the Response view's small bodies).
type inkWriter interface {
	writeInk(text string, k *ink)
	endLine()
}

func newHighlighter(style *chroma.Style, plain ink) *highlighter {
	return &highlighter{lexer: jsonview.NewHighlighter(), style: style, plain: &plain, inks: map[chroma.TokenType]*ink{}}
}

// highlight writes lines, coloured, into sink.
func (h *highlighter) highlight(lines []jsonview.Line, sink inkWriter) {
	h.sink = sink
	h.lexer.Highlight(lines, h)
	h.sink = nil
}

// Token, Plain and EndLine make the highlighter the jsonview.Writer of its
// own chunks.
func (h *highlighter) Token(t chroma.TokenType, text string) { h.sink.writeInk(text, h.inkFor(t)) }
func (h *highlighter) Plain(text string)                     { h.sink.writeInk(text, h.plain) }
func (h *highlighter) EndLine()                              { h.sink.endLine() }

// inkFor returns the escape sequences chroma's TTY16m formatter writes around
// a token of type t. Formatting each token through the formatter costs a
// regular expression and a Sprintf; formatting one sentinel per type, once,
// gives the same bytes.
func (h *highlighter) inkFor(t chroma.TokenType) *ink {
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
	h.inks[t] = &k
	return &k
}
