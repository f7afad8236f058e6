package jsonview

import "testing"

// starts for lines of the given row counts.
func startsOf(rows ...int) []int32 {
	out := []int32{0}
	for _, r := range rows {
		out = append(out, out[len(out)-1]+int32(r))
	}
	return out
}

func TestLayoutWithoutFolds(t *testing.T) {
	st := startsOf(1, 2, 1)
	l := NewLayout(st, nil)
	if l.Rows() != 4 {
		t.Fatalf("rows %d", l.Rows())
	}
	if line, sub, _ := l.At(2, st); line != 1 || sub != 1 {
		t.Errorf("row 2 is line %d row %d", line, sub)
	}
	if row, n := l.RowOf(2, st); row != 3 || n != 1 {
		t.Errorf("line 2 at row %d (%d rows)", row, n)
	}
}

func TestLayoutFoldsHideTheirLines(t *testing.T) {
	st := startsOf(1, 1, 3, 1, 1, 1) // lines 0..5; fold 1..3, and 2..3 inside it
	l := NewLayout(st, []Fold{{2, 3}, {1, 3}})
	if l.Rows() != 4 {
		t.Fatalf("rows %d, want 4", l.Rows())
	}
	if line, _, folded := l.At(1, st); line != 1 || !folded {
		t.Errorf("row 1: line %d folded %v", line, folded)
	}
	if line, _, _ := l.At(2, st); line != 4 {
		t.Errorf("row 2: line %d, want 4", line)
	}
	if l.Shown(3) != 1 || l.Next(1) != 4 || l.Prev(4) != 1 || l.Next(5) != 5 || l.Prev(0) != 0 {
		t.Errorf("shown %d next %d prev %d", l.Shown(3), l.Next(1), l.Prev(4))
	}
	if row, n := l.RowOf(2, st); row != 1 || n != 1 {
		t.Errorf("a hidden line's row %d (%d)", row, n)
	}
}

func TestLayoutIgnoresFoldsNotPrinted(t *testing.T) {
	st := startsOf(1, 1)
	if l := NewLayout(st, []Fold{{0, 7}}); l.Rows() != 2 {
		t.Errorf("rows %d", l.Rows())
	}
}

func BenchmarkLayoutManyFolds(b *testing.B) {
	rows := make([]int, 300_000)
	for i := range rows {
		rows[i] = 1
	}
	st := startsOf(rows...)
	var folds []Fold
	for i := 10; i+5 < len(rows); i += 10 {
		folds = append(folds, Fold{i, i + 5})
	}
	for b.Loop() {
		l := NewLayout(st, folds)
		l.At(150_000, st)
	}
}
