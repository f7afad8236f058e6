package jsonview

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

func printAll(src []byte, lines, size int) string {
	p := NewPrinter(src)
	var out []string
	for !p.Done() {
		for _, l := range p.Next(lines, size) {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

// samples are deliveries as Extend sends them (testdata/, made from the
// project's samples).
func samples(t testing.TB) [][]byte {
	t.Helper()
	names, err := filepath.Glob("testdata/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no samples in testdata/: %v", err)
	}
	var out [][]byte
	for _, name := range names {
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, body)
	}
	return out
}

// The printer lays JSON out as json.Indent does, however it is cut.
func TestPrinterMatchesJSONIndent(t *testing.T) {
	docs := [][]byte{
		[]byte(`{"a":[],"b":{},"c":[1,{"d":null,"e":"x\"y"}],"f":{"g":[true,false]}}`),
		[]byte(` [ 1 , [ ] , { } , "s" ] `),
		[]byte(`"just a string"`),
	}
	// Tokens past longToken build their line another way (Printer.long).
	long := `"` + strings.Repeat("QUJD", longToken/4+1) + `"`
	docs = append(docs, []byte(long), []byte(`{"a":[`+long+`,`+long+`,"x"],"b":`+long+`,"c":{"d":`+long+`}}`))
	for _, body := range samples(t) {
		var compact bytes.Buffer
		json.Compact(&compact, body)
		docs = append(docs, body, compact.Bytes())
	}
	for _, doc := range docs {
		var want bytes.Buffer
		if err := json.Indent(&want, doc, "", "  "); err != nil {
			t.Fatal(err)
		}
		for _, cut := range [][2]int{{1, 1 << 30}, {3, 17}, {1000, 1 << 30}} {
			if got := printAll(doc, cut[0], cut[1]); got != strings.TrimSpace(want.String()) {
				t.Errorf("chunks %v:\n%s\nwant:\n%s", cut, got, want.String())
			}
		}
	}
}

func FuzzPrinter(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c"}],"d":{}}`))
	f.Add([]byte(`[`))
	f.Add([]byte(`}}]]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := printAll(doc, 7, 64) // never hangs or panics, whatever the input
		var want bytes.Buffer
		if json.Indent(&want, doc, "", "  ") == nil && json.Valid(doc) {
			if got != strings.TrimSpace(want.String()) {
				t.Fatalf("%q:\n%s\nwant:\n%s", doc, got, want.String())
			}
		}
	})
}

// tokenLog records what a highlighter writes, one entry per line.
type tokenLog struct {
	lines []string
	cur   strings.Builder
	types map[string]chroma.TokenType // the type of each token text seen
}

func (l *tokenLog) Token(t chroma.TokenType, text string) {
	l.cur.WriteString(text)
	if l.types == nil {
		l.types = map[string]chroma.TokenType{}
	}
	l.types[text] = t
}

func (l *tokenLog) Plain(text string) { l.cur.WriteString(text) }

func (l *tokenLog) EndLine() {
	l.lines = append(l.lines, l.cur.String())
	l.cur.Reset()
}

// A chunk that starts inside the document is highlighted as if the lexer
// had read everything before it: keys stay keys.
func TestHighlightChunkKeepsKeysAsKeys(t *testing.T) {
	doc := []byte(`{"outer":{"list":[{"key":"value"}],"k2":"v2"}}`)
	p := NewPrinter(doc)
	p.Next(4, 1<<20) // '{', '"outer": {', '"list": [', '{'
	rest := p.Next(100, 1<<20)
	if rest[0].Text != `        "key": "value"` || rest[0].Stack != "{{[{" {
		t.Fatalf("first line of the second chunk = %+v", rest[0])
	}
	var log tokenLog
	NewHighlighter().Highlight(rest, &log)
	if len(log.lines) != len(rest) || log.lines[0] != rest[0].Text {
		t.Fatalf("highlighted lines %q, want the chunk's %d lines as they are", log.lines, len(rest))
	}
	for _, key := range []string{`"key"`, `"k2"`} {
		if got := log.types[key]; got != chroma.NameTag {
			t.Errorf("%s highlighted as %v, want a key (%v)", key, got, chroma.NameTag)
		}
	}
	if got := log.types[`"value"`]; got == chroma.NameTag {
		t.Errorf(`"value" highlighted as a key`)
	}
}

// A line too long for chroma is written plain, and the lines after it are
// still highlighted.
func TestHighlightWritesLongLinesPlain(t *testing.T) {
	long := strings.Repeat("QUJD", maxHighlightLine)
	p := NewPrinter([]byte(`{"file":"` + long + `","after":1}`))
	lines := p.Next(100, 1<<30)
	var log tokenLog
	NewHighlighter().Highlight(lines, &log)
	if log.lines[1] != `  "file": "`+long+`",` {
		t.Errorf("the long line came out as %.60q…", log.lines[1])
	}
	if got := log.types[`"after"`]; got != chroma.NameTag {
		t.Errorf(`"after" highlighted as %v, want a key`, got)
	}
}

// largeDocument is a 5 MB minified array of samples.
func largeDocument(t testing.TB) []byte {
	var parts []string
	for size := 0; size < 5<<20; {
		for _, s := range samples(t) {
			var compact bytes.Buffer
			json.Compact(&compact, s)
			parts = append(parts, compact.String())
			size += compact.Len() + 1
		}
	}
	return []byte("[" + strings.Join(parts, ",") + "]")
}

// BenchmarkPrinter indents a whole 5 MB document, chunk by chunk.
func BenchmarkPrinter(b *testing.B) {
	doc := largeDocument(b)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		p := NewPrinter(doc)
		for !p.Done() {
			p.Next(2000, 512<<10)
		}
	}
}

// BenchmarkFirstScreen is the first 200 lines of a 5 MB document: what a
// large payload costs before it shows.
func BenchmarkFirstScreen(b *testing.B) {
	doc := largeDocument(b)
	for b.Loop() {
		NewPrinter(doc).Next(200, 64<<10)
	}
}

type discard struct{}

func (discard) Token(chroma.TokenType, string) {}
func (discard) Plain(string)                   {}
func (discard) EndLine()                       {}

// BenchmarkHighlightWindow is chroma on about 200 lines of JSON.
func BenchmarkHighlightWindow(b *testing.B) {
	lines := NewPrinter(largeDocument(b)).Next(200, 1<<20)
	h := NewHighlighter()
	for b.Loop() {
		h.Highlight(lines, discard{})
	}
}
