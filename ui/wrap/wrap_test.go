package wrap

import (
	"slices"
	"strings"
	"testing"
)

// rows applies Breaks the way the pane does: continuation rows indented.
func rows(s string, width, hang int) []string {
	var out []string
	start := 0
	for _, b := range Breaks(s, width, hang) {
		out = append(out, strings.TrimRight(s[start:b], " "))
		start = b
	}
	out = append(out, s[start:])
	for i := 1; i < len(out); i++ {
		out[i] = strings.Repeat(" ", hang) + out[i]
	}
	return out
}

func TestWrapsAtWordsUnderTheValue(t *testing.T) {
	line := `  "note": "the quick brown fox jumps over the lazy dog",`
	got := rows(line, 30, 10)
	want := []string{
		`  "note": "the quick brown fox`,
		`          jumps over the lazy`,
		`          dog",`,
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range got {
		if cells(r) > 30 {
			t.Errorf("row %q is wider than 30", r)
		}
	}
}

func TestAURLThatFitsIsNeverSplit(t *testing.T) {
	url := `"https://dashboard.extend.ai/runs/workflow_run_9lbRNHdlXy"`
	line := `    "dashboardUrl": ` + url + `,`
	got := rows(line, 70, 4)
	if len(got) != 2 || strings.TrimSpace(got[1]) != url+"," {
		t.Errorf("the URL was split or misplaced: %q", got)
	}
}

func TestAWordLongerThanARowIsCutAtPunctuation(t *testing.T) {
	line := `"k": "` + strings.Repeat("abcdefgh/", 6) + `"`
	got := rows(line, 20, 5)
	for _, r := range got {
		if cells(r) > 20 {
			t.Errorf("row %q is wider than 20", r)
		}
	}
	if strings.Join(got, "") == "" || strings.ReplaceAll(strings.Join(got, ""), "     ", "") != line {
		t.Errorf("bytes lost: %q", got)
	}
	if !strings.HasSuffix(strings.TrimSpace(got[1]), "/") {
		t.Errorf("cut not at a slash: %q", got)
	}
}

func TestWideRunesAndTinyWidths(t *testing.T) {
	for _, w := range []int{1, 2, 3, 7} {
		line := "日本語のテキスト and more"
		got := rows(line, w, 1)
		if strings.ReplaceAll(strings.Join(got, "|"), "|", "") == "" {
			t.Fatalf("width %d: nothing", w)
		}
	}
	if Breaks("short", 10, 2) != nil {
		t.Error("a line that fits has breaks")
	}
}

func TestHangGivesWayOnNarrowRows(t *testing.T) {
	if got := Hang(10, 80); got != 10 {
		t.Errorf("Hang(10, 80) = %d", got)
	}
	if got := Hang(30, 40); got != 20 {
		t.Errorf("Hang(30, 40) = %d", got)
	}
}

func FuzzBreaks(f *testing.F) {
	f.Add(`"k": "a b c https://x.y/z"`, 10, 3)
	f.Fuzz(func(t *testing.T, s string, width, hang int) {
		width = width%200 + 1
		if width < 1 {
			width = -width + 1
		}
		prev := 0
		for _, b := range Breaks(s, width, hang%width) {
			if b <= prev || b > len(s) {
				t.Fatalf("breaks not increasing within the text: %v", Breaks(s, width, hang))
			}
			prev = b
		}
	})
}

// inPieces breaks s with More, n rows at a time, as the pane does for a
// long line while it is scrolled.
func inPieces(s string, width, hang, n int) []int {
	var all []int
	for from, done := 0, false; !done; {
		var more []int
		more, done = More(s, from, width, hang, n)
		all = append(all, more...)
		if len(more) > 0 {
			from = more[len(more)-1]
		}
	}
	return all
}

func TestMoreGoesOnWhereItStopped(t *testing.T) {
	line := `    "note": "` + strings.Repeat("the quick brown fox https://x.example/a/b?c=d QUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJD 界界界 ", 40) + `",`
	want := Breaks(line, 40, 12)
	for _, n := range []int{1, 2, 7, 1000} {
		if got := inPieces(line, 40, 12, n); !slices.Equal(got, want) {
			t.Errorf("%d rows at a time: got %v\nwant %v", n, got, want)
		}
	}
	if b, done := More(line, 0, 40, 12, 3); len(b) != 3 || done {
		t.Errorf("More stopped after %d breaks, done %v; want 3, not done", len(b), done)
	}
}

func FuzzMore(f *testing.F) {
	f.Add(`"k": "a b c https://x.y/z"`, 10, 3, 1)
	f.Fuzz(func(t *testing.T, s string, width, hang, n int) {
		width = max(1, width%200+1)
		hang %= width
		n = max(1, n%10+1)
		if cells(s) <= width {
			return // Breaks says it fits; More is for lines that do not
		}
		if got, want := inPieces(s, width, hang, n), Breaks(s, width, hang); !slices.Equal(got, want) {
			t.Fatalf("%d rows at a time: got %v, want %v", n, got, want)
		}
	})
}

func BenchmarkBreaksLongString(b *testing.B) {
	line := `      "text": "` + strings.Repeat("lorem ipsum dolor sit amet ", 400) + `",`
	for b.Loop() {
		Breaks(line, 80, 14)
	}
}

// A 5 MB word (a base64 file in one string) costs what its rows cost, not
// a scan to its end for each of them.
func BenchmarkBreaksHugeWord(b *testing.B) {
	line := `  "file": "` + strings.Repeat("QUJD", 5<<20/4) + `"`
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		Breaks(line, 80, 10)
	}
}
