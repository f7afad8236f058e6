package extend

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAppendString(t *testing.T) {
	for tok, want := range map[string]string{
		`""`:                   "",
		`"plain"`:              "plain",
		`"a\"b\\c\/d\n\t"`:     "a\"b\\c/d\n\t",
		`"\u00e9\ud83d\ude00"`: "é😀",
		`"\ud83d"`:             "\uFFFD",
		"\"\xff\"":             "\uFFFD",
	} {
		got, ok := AppendString([]byte("x"), []byte(tok))
		if !ok || string(got) != "x"+want {
			t.Errorf("AppendString(%s) = %q, %v; want %q", tok, got, ok, "x"+want)
		}
	}
	for _, bad := range []string{``, `"`, `"abc`, `"a"b`, `abc`, `"\x"`, `"\u12"`, "\"\x01\"", `"a" `} {
		if got, ok := AppendString([]byte("x"), []byte(bad)); ok || string(got) != "x" {
			t.Errorf("AppendString(%q) = %q, %v; want it refused", bad, got, ok)
		}
	}
}

// FuzzAppendString checks AppendString against encoding/json: the same
// verdict on every token, and the same string when valid.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{`""`, `"a\"b"`, `"\ud83d\ude00"`, `"\ud83d x"`, "\"\xff\xfe\"", `"{\"eventId\":\"evt_1\"}"`, `"a\u0000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, tok []byte) {
		got, ok := AppendString(nil, tok)
		var want string
		err := json.Unmarshal(tok, &want)
		valid := err == nil && len(tok) > 0 && tok[0] == '"' && bytes.Equal(bytes.TrimSpace(tok), tok)
		if ok != valid {
			t.Fatalf("AppendString(%q) ok = %v; encoding/json: %v", tok, ok, err)
		}
		if ok && string(got) != want {
			t.Fatalf("AppendString(%q) = %q; encoding/json: %q", tok, got, want)
		}
	})
}
