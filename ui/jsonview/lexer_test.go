package jsonview

import (
	"reflect"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// The lexer read from json.xml tokenises JSON as chroma's own JSON lexer
// does: the copy has not drifted from the chroma in go.mod.
func TestEmbeddedLexerIsChromas(t *testing.T) {
	theirs := lexers.Get("json")
	if theirs == nil {
		t.Fatal("chroma has no JSON lexer")
	}
	ours := jsonLexer()
	if got, want := ours.Config(), theirs.Config(); !reflect.DeepEqual(got, want) {
		t.Errorf("config %+v, chroma's %+v: copy json.xml again", got, want)
	}
	doc := `{"eventId": "evt_1", "payload": {"n": -1.5e3, "ok": true, "none": null, "list": [1, "two", {"k": "v\"q"}]}}`
	if got, want := tokens(t, ours, doc), tokens(t, theirs, doc); !reflect.DeepEqual(got, want) {
		t.Errorf("tokens\n%v\nchroma's\n%v\ncopy json.xml again", got, want)
	}
}

func tokens(t *testing.T, l chroma.Lexer, text string) []chroma.Token {
	t.Helper()
	it, err := l.Tokenise(nil, text)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}
