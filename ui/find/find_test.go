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

// All finds what a byte-by-byte scan finds, on texts dense with near
// misses in both cases.
func TestAllAgreesWithAScan(t *testing.T) {
	scan := func(text, query string) []Span {
		var out []Span
		for i := 0; i+len(query) <= len(text); i++ {
			if equalFold(text[i:i+len(query)], query) {
				out = append(out, Span{i, i + len(query)})
				i += len(query) - 1
			}
		}
		return out
	}
	texts := []string{"aAaAbaAB", "xInVoIcE_nUmBeRinvoicinvoice_number", "Ba ba BA bab", strings.Repeat("Ab", 50)}
	for _, text := range texts {
		for _, q := range []string{"a", "A", "ab", "BA", "aba", "invoice_number", "b"} {
			if got, want := All(text, q), scan(text, q); !reflect.DeepEqual(got, want) {
				t.Errorf("All(%q, %q) = %v, a scan finds %v", text, q, got, want)
			}
		}
	}
}
