package jsonview

import (
	"strings"
	"testing"
)

func indexOf(t testing.TB, src string) (*Index, []Line) {
	t.Helper()
	p := NewPrinter([]byte(src))
	var lines []Line
	x := &Index{}
	for !p.Done() {
		chunk := p.Next(3, 1<<20) // small chunks: the index is built across them
		x.Add(chunk)
		lines = append(lines, chunk...)
	}
	return x, lines
}

func TestIndexPaths(t *testing.T) {
	src := `{"eventType":"workflow_run.completed","payload":{"output":{"value":{"line_items":[{"amount":1},{"amount":2},{"amount":3},{"amount":4, "two words": [true]}]}}}}`
	x, lines := indexOf(t, src)
	want := map[string]string{
		`"eventType": "workflow_run.completed",`: "eventType",
		`"line_items": [`:                        "payload.output.value.line_items",
		`"amount": 4,`:                           "payload.output.value.line_items[3].amount",
		`"two words": [`:                         `payload.output.value.line_items[3]["two words"]`,
		`true`:                                   `payload.output.value.line_items[3]["two words"][0]`,
	}
	if x.Path(0) != "." {
		t.Errorf("the top line's path is %q", x.Path(0))
	}
	seen := 0
	for i, l := range lines {
		if path, ok := want[strings.TrimSpace(l.Text)]; ok {
			seen++
			if got := x.Path(i); got != path {
				t.Errorf("line %d %q: path %q, want %q", i, l.Text, got, path)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d lines", seen, len(want))
	}
}

func TestIndexFoldsAndSummaries(t *testing.T) {
	x, lines := indexOf(t, `{"a":{"x":1,"y":2},"b":[1,2,3],"c":[],"d":[{}]}`)
	for i, l := range lines {
		switch strings.TrimSpace(l.Text) {
		case `"a": {`:
			end, ok := x.Close(i)
			if !ok || strings.TrimSpace(lines[end].Text) != "}," || x.Summary(i) != "{…} 2 keys" {
				t.Errorf("a: close %d %v, summary %q", end, ok, x.Summary(i))
			}
			if x.Path(end) != "a" || x.Depth(i) != 1 {
				t.Errorf("a's closing line: path %q depth %d", x.Path(end), x.Depth(i))
			}
		case `"b": [`:
			if x.Summary(i) != "[…] 3 items" {
				t.Errorf("b: %q", x.Summary(i))
			}
		case `"c": [],`:
			if x.Opens(i) {
				t.Error("an empty array on its line opens nothing")
			}
		case `"d": [`:
			if x.Summary(i) != "[…] 1 item" {
				t.Errorf("d: %q", x.Summary(i))
			}
		}
	}
	if x.Len() != len(lines) {
		t.Errorf("indexed %d of %d lines", x.Len(), len(lines))
	}
}

func BenchmarkIndex5MB(b *testing.B) {
	src := largeDocument(b)
	var lines []Line
	for p := NewPrinter(src); !p.Done(); {
		lines = append(lines, p.Next(2000, 512<<10)...)
	}
	b.ResetTimer()
	for b.Loop() {
		x := &Index{}
		x.Add(lines)
	}
	b.ReportMetric(float64(len(lines)), "lines")
}

func TestOpeningIsTheLineAClosingLineCloses(t *testing.T) {
	x, lines := indexOf(t, `{"a":{"b":[1,2]},"c":3}`)
	for i, l := range lines {
		open, ok := x.Opening(i)
		closing := strings.HasPrefix(strings.TrimSpace(l.Text), "}") || strings.HasPrefix(strings.TrimSpace(l.Text), "]")
		if ok != closing {
			t.Errorf("line %d %q: Opening ok %v", i, l.Text, ok)
		}
		if ok {
			if c, _ := x.Close(open); c != i {
				t.Errorf("line %d %q: Opening %d, whose Close is %d", i, l.Text, open, c)
			}
		}
	}
}
