// Package jsonview lays JSON out for the payload pane a chunk at a time: a
// streaming pretty-printer, and a highlighter that tokenises its lines with
// chroma. Neither needs the whole document first, so the first screen of a
// large payload comes long before the rest.
package jsonview

import (
	"bytes"
	"strings"
)

// Printer indents JSON a piece at a time, in the layout json.Indent
// gives with a two-space indent. encoding/json's Indent formats the whole
// document before returning anything (about 60 MB/s here: 80 ms for 5 MB),
// so a large payload would wait for it before showing its first screen;
// this printer stops after the lines asked for and goes on later from
// where it stopped.
//
// It expects valid JSON (the receiver's envelope scanner has checked it)
// and, given anything else, still produces lines without failing.
type Printer struct {
	src   []byte
	i     int
	stack []byte // the open containers, '{' or '['
	line  []byte // the line being built
	// long is the line being built instead, once it holds a long token (a
	// megabyte string): a builder hands its text over without a copy, so
	// the token is copied once, where line would copy it twice.
	long  *strings.Builder
	depth int // the indent of the line being built
	// lineStack is the stack as it was when the current line began; a
	// highlighter starting a chunk at this line needs it (see lexerContext).
	lineStack []byte
}

// NewPrinter returns a printer of src, which it reads but never changes.
func NewPrinter(src []byte) *Printer {
	return &Printer{src: src}
}

// Line is one output line and the containers open when it began, innermost
// last ("{[" inside an array in an object).
type Line struct {
	Text  string
	Stack string
}

// Done reports whether every line has been returned.
func (p *Printer) Done() bool { return p.i >= len(p.src) && p.lineLen() == 0 }

// Progress is the share of the source consumed, for the pane's footer.
func (p *Printer) Progress() float64 {
	if len(p.src) == 0 {
		return 1
	}
	return float64(p.i) / float64(len(p.src))
}

// Next returns up to maxLines more lines, stopping early once maxBytes of
// source have been consumed.
func (p *Printer) Next(maxLines, maxBytes int) []Line {
	var out []Line
	start := p.i
	for p.i < len(p.src) && len(out) < maxLines && p.i-start < maxBytes {
		out = p.step(out)
	}
	// Finish the line begun, so a chunk never ends inside one: a line holding
	// a long string would otherwise wait a whole chunk for its end.
	for n := len(out); p.i < len(p.src) && len(out) == n && p.lineLen() > p.depth*2; {
		out = p.step(out)
	}
	if p.i >= len(p.src) && p.lineLen() > 0 {
		out = p.newline(out, 0)
	}
	return out
}

// step consumes one token.
func (p *Printer) step(out []Line) []Line {
	c := p.src[p.i]
	switch c {
	case ' ', '\t', '\n', '\r':
		p.i++
	case '{', '[':
		p.put([]byte{c})
		p.i++
		if j := p.skipSpace(p.i); j < len(p.src) && p.src[j] == closer(c) {
			p.put(p.src[j : j+1]) // an empty container stays on its line
			p.i = j + 1
			break
		}
		p.stack = append(p.stack, c)
		out = p.newline(out, len(p.stack))
	case '}', ']':
		if p.lineLen() > p.depth*2 { // not already on a fresh line
			out = p.newline(out, max(0, len(p.stack)-1))
		} else {
			p.depth = max(0, len(p.stack)-1)
			p.line = p.line[:0]
			p.indent()
		}
		p.put([]byte{c})
		p.i++
		if len(p.stack) > 0 {
			p.stack = p.stack[:len(p.stack)-1]
		}
	case ',':
		p.put([]byte{','})
		p.i++
		out = p.newline(out, len(p.stack))
	case ':':
		p.put([]byte(": "))
		p.i++
	case '"':
		j := p.stringEnd(p.i)
		p.put(p.src[p.i:j])
		p.i = j
	default: // a number, a literal, or a stray byte
		j := p.i + 1
		for j < len(p.src) && !isDelimiter(p.src[j]) {
			j++
		}
		p.put(p.src[p.i:j])
		p.i = j
	}
	return out
}

// longToken is the length from which a token starts a long line (see
// Printer.long).
const longToken = 64 << 10

func (p *Printer) put(b []byte) {
	if p.lineLen() == 0 {
		p.lineStack = append(p.lineStack[:0], p.stack...)
		p.indent()
	}
	switch {
	case p.long != nil:
		p.long.Write(b)
	case len(b) >= longToken:
		p.long = &strings.Builder{}
		p.long.Grow(len(p.line) + len(b) + 1) // and a comma
		p.long.Write(p.line)
		p.long.Write(b)
	default:
		p.line = append(p.line, b...)
	}
}

// lineLen is the length of the line being built.
func (p *Printer) lineLen() int {
	if p.long != nil {
		return p.long.Len()
	}
	return len(p.line)
}

func (p *Printer) indent() {
	for range p.depth {
		p.line = append(p.line, ' ', ' ')
	}
}

// newline ends the current line; the next one is indented to depth.
func (p *Printer) newline(out []Line, depth int) []Line {
	var text string
	if p.long != nil {
		text, p.long = p.long.String(), nil
	} else {
		text = string(p.line)
	}
	out = append(out, Line{Text: text, Stack: string(p.lineStack)})
	p.line = p.line[:0]
	p.depth = depth
	p.lineStack = append(p.lineStack[:0], p.stack...)
	p.indent()
	return out
}

func (p *Printer) skipSpace(j int) int {
	for j < len(p.src) && strings.IndexByte(" \t\r\n", p.src[j]) >= 0 {
		j++
	}
	return j
}

// stringEnd returns the index just past the string starting at i.
func (p *Printer) stringEnd(i int) int {
	for j := i + 1; ; {
		q := bytes.IndexByte(p.src[j:], '"')
		if q < 0 {
			return len(p.src)
		}
		j += q
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		k := j
		for k > i+1 && p.src[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j + 1
		}
		j++
	}
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

func isDelimiter(c byte) bool {
	return strings.IndexByte(" \t\r\n,:{}[]\"", c) >= 0
}
