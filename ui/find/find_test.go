package find

import (
	"reflect"
	"strings"
	"testing"
)

func TestAll(t *testing.T) {
	cases := []struct {
		text, query string
		want        []Span
	}{
		{`"invoice_number": "INV-1"`, "invoice", []Span{{1, 8}}},
		{`"Invoice": "INVOICE"`, "invoice", []Span{{1, 8}, {12, 19}}},
		{"aaaa", "aa", []Span{{0, 2}, {2, 4}}},
		{"abc", "", nil},
		{"ab", "abc", nil},
		{`"é": "Éte"`, "é", []Span{{1, 3}}}, // non-ASCII byte for byte, as the list's filter does
	}
	for _, c := range cases {
		if got := All(c.text, c.query); !reflect.DeepEqual(got, c.want) {
			t.Errorf("All(%q, %q) = %v, want %v", c.text, c.query, got, c.want)
		}
	}
	if !Contains("Hello", "LL") || Contains("Hello", "") {
		t.Error("Contains")
	}
}

func BenchmarkAllLine(b *testing.B) {
	line := `      "description": "` + strings.Repeat("widget and gadget ", 6) + `",`
	for b.Loop() {
		All(line, "invoice_number")
	}
}
