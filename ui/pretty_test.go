package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend/sample"
)

func prettyAll(src []byte, lines, size int) string {
	p := newPrettyPrinter(src)
	var out []string
	for !p.done() {
		for _, l := range p.next(lines, size) {
			out = append(out, l.text)
		}
	}
	return strings.Join(out, "\n")
}

// The printer lays JSON out as json.Indent does, however it is cut.
func TestPrettyMatchesJSONIndent(t *testing.T) {
	docs := [][]byte{
		[]byte(`{"a":[],"b":{},"c":[1,{"d":null,"e":"x\"y"}],"f":{"g":[true,false]}}`),
		[]byte(` [ 1 , [ ] , { } , "s" ] `),
		[]byte(`"just a string"`),
	}
	for _, typ := range []string{"workflow_run.completed", "extract_run.processed", "workflow.deployed"} {
		body, err := sample.Build(typ, sample.Options{Now: testEpoch})
		if err != nil {
			t.Fatal(err)
		}
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
			if got := prettyAll(doc, cut[0], cut[1]); got != strings.TrimSpace(want.String()) {
				t.Errorf("chunks %v:\n%s\nwant:\n%s", cut, got, want.String())
			}
		}
	}
}

func FuzzPretty(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c"}],"d":{}}`))
	f.Add([]byte(`[`))
	f.Add([]byte(`}}]]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := prettyAll(doc, 7, 64) // never hangs or panics, whatever the input
		var want bytes.Buffer
		if json.Indent(&want, doc, "", "  ") == nil && json.Valid(doc) {
			if got != strings.TrimSpace(want.String()) {
				t.Fatalf("%q:\n%s\nwant:\n%s", doc, got, want.String())
			}
		}
	})
}

// A chunk that starts inside the document is highlighted as if the lexer
// had read everything before it: keys stay keys.
func TestHighlightChunkKeepsKeysAsKeys(t *testing.T) {
	doc := []byte(`{"outer":{"list":[{"key":"value"}],"k2":"v2"}}`)
	p := newPrettyPrinter(doc)
	p.next(4, 1<<20) // '{', '"outer": {', '"list": [', '{'
	rest := p.next(100, 1<<20)
	if rest[0].text != `        "key": "value"` || rest[0].stack != "{{[{" {
		t.Fatalf("first line of the second chunk = %+v", rest[0])
	}
	st := testStyles()
	h := newHighlighter(st.Chroma, ink{})
	rw := newRowWriter(80, ink{})
	h.highlight(rest, rw)
	rows := rw.take(true)
	keyInk := h.inkFor(chromaNameTag)
	if !strings.Contains(rows[0], keyInk.pre+`"key"`) {
		t.Errorf("key not highlighted as a key: %q (want prefix %q)", rows[0], keyInk.pre)
	}
	if !strings.Contains(rows[3], keyInk.pre+`"k2"`) {
		t.Errorf("key after the inner array not highlighted as a key: %q", rows[3])
	}
}
