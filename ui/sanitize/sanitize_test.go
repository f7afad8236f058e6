package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	cases := map[string]string{
		"plain text":                          "plain text",
		"\x1b]2;pwned\x07":                    `\x1b]2;pwned\x07`,
		"\x1b[2J\x1b[31mred":                  `\x1b[2J\x1b[31mred`,
		"tab\there\r\n":                       `tab\there\r\n`,
		"del\x7f":                             `del\x7f`,
		"c1 \u009b2J":                         `c1 \u009b2J`,
		"raw byte \x9b2J":                     `raw byte \x9b2J`,
		"bidi \u202egnp.exe":                  `bidi \u202egnp.exe`,
		"isolate \u2066x\u2069":               `isolate \u2066x\u2069`,
		"bom \ufeff":                          `bom \ufeff`,
		"line sep \u2028":                     `line sep \u2028`,
		"naïve café 日本":                       "naïve café 日本",
		"emoji 👩\u200d💻":                      "emoji 👩\u200d💻",
		"heart ❤\ufe0f":                       "heart ❤\ufe0f",
		"bidi embed \u202a\u202b\u202c\u202d": `bidi embed \u202a\u202b\u202c\u202d`,
		"hangul filler \u3164":                `hangul filler \u3164`,
		"choseong \u115f jungseong \u1160":    `choseong \u115f jungseong \u1160`,
		"halfwidth \uffa0":                    `halfwidth \uffa0`,
		"braille blank \u2800":                `braille blank \u2800`,
		"grapheme joiner a\u034fb":            `grapheme joiner a\u034fb`,
		"khmer \u17b4\u17b5":                  `khmer \u17b4\u17b5`,
		"zero width \u200b\u200c\u2060":       `zero width \u200b\u200c\u2060`,
		"mongolian \u180e":                    `mongolian \u180e`,
		"hangul 한국어":                          "hangul 한국어",
		"braille ⠁⠃":                          "braille ⠁⠃",
		"invalid \xff\xfe end":                `invalid \xff\xfe end`,
		"truncated utf8 \xe6\x97":             `truncated utf8 \xe6\x97`,
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEachMarksEscapes(t *testing.T) {
	var escaped []string
	Each("a\x1bb\nc", true, func(text string, esc bool) {
		if esc {
			escaped = append(escaped, text)
		}
	})
	if len(escaped) != 1 || escaped[0] != `\x1b` {
		t.Errorf("escaped runs = %q, want just \\x1b (newline kept)", escaped)
	}
}

// checkSafe fails when out could act on a terminal.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Text(%q) = %q is not valid UTF-8", in, out)
	}
	for _, r := range out {
		if dangerous(r, utf8.RuneLen(r)) {
			t.Fatalf("Text(%q) = %q still holds %U", in, out, r)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, seed := range []string{"", "plain", "\x1b]2;pwned\x07", "\x9b\xc2\x9b", "\u202e", "\xff\xfe", "a\nb\tc"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		checkSafe(t, in, out)
		if PlainASCII(in) && out != in {
			t.Fatalf("printable ASCII changed: %q -> %q", in, out)
		}
		// Every byte of the input is accounted for: escapes only grow it.
		if len(out) < len(in) {
			t.Fatalf("Text(%q) = %q lost bytes", in, out)
		}
		var b strings.Builder
		Each(in, true, func(text string, _ bool) { b.WriteString(text) })
		if strings.Count(b.String(), "\n") != strings.Count(in, "\n") {
			t.Fatalf("keepNewlines changed the line count of %q", in)
		}
	})
}

// The common cases, for the frame budget: plain ASCII (most of a delivery),
// text with non-ASCII letters, and a hostile string full of escapes.
func BenchmarkText(b *testing.B) {
	inputs := map[string]string{
		"ascii":   strings.Repeat(`"status": "PROCESSED", `, 100),
		"unicode": strings.Repeat("naïve café 日本 ", 100),
		"hostile": strings.Repeat("\x1b]2;pwned\x07\u202e\x9b2J", 100),
	}
	for name, in := range inputs {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				Text(in)
			}
		})
	}
}

// PlainASCII and Each look at eight bytes at a time: every byte, at every
// place in the word and in the bytes after the last whole word, counts.
func TestEveryByteCountsWhereverItIs(t *testing.T) {
	for c := range 256 {
		for at := range 19 {
			s := []byte(strings.Repeat("a", 19))
			s[at] = byte(c)
			printable := c >= 0x20 && c < 0x7f
			if got := PlainASCII(string(s)); got != printable {
				t.Fatalf("PlainASCII with %#x at %d: %v, want %v", c, at, got, printable)
			}
			escaped := false
			Each(string(s), false, func(_ string, e bool) { escaped = escaped || e })
			if escaped == printable { // alone, every other byte is a control or not UTF-8
				t.Fatalf("Each with %#x at %d escaped %v, want %v", c, at, escaped, !printable)
			}
		}
	}
}

func BenchmarkPlainASCII(b *testing.B) {
	s := strings.Repeat("QUJD", 5<<20/4)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		PlainASCII(s)
	}
}
