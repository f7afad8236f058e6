package output

import (
	"bytes"
	"strconv"
)

// Op is how a value differs between two documents.
type Op uint8

// The ways a value differs.
const (
	Changed Op = iota
	Added
	Removed
)

// String names the operation, as a diff line starts: "~", "+", "-".
func (o Op) String() string {
	switch o {
	case Added:
		return "+"
	case Removed:
		return "-"
	default:
		return "~"
	}
}

// Difference is one path whose value differs.
type Difference struct {
	Path     string // payload.status, payload.stepRuns[0].result.extractRun.output.value.total
	Op       Op
	Old, New Raw // Old is nil when Added, New when Removed
}

// Diff compares two JSON documents by path and lists only what differs:
// object keys are matched by name, whatever their order; array elements by
// index; numbers by value (1.0 equals 1) and strings by their decoded text.
// A retry against its original, or two runs of one workflow, reads as the
// few fields that changed.
func Diff(a, b []byte) []Difference {
	var d differ
	d.value(trimRaw(a), trimRaw(b), "", 0)
	return d.out
}

// DiffRaw is Diff of two values already read, their paths under prefix.
func DiffRaw(a, b Raw, prefix string) []Difference {
	var d differ
	d.value(a, b, prefix, 0)
	return d.out
}

type differ struct{ out []Difference }

func (d *differ) add(path string, op Op, old, new Raw) {
	d.out = append(d.out, Difference{Path: path, Op: op, Old: old, New: new})
}

func (d *differ) value(a, b Raw, path string, depth int) {
	switch {
	case bytes.Equal(a, b): // the common case for untouched subtrees: no walk at all
	case depth >= maxDepth:
		d.add(path, Changed, a, b)
	case a.IsObject() && b.IsObject():
		d.object(a, b, path, depth+1)
	case a.IsArray() && b.IsArray():
		d.array(a, b, path, depth+1)
	case len(a) == 0:
		d.add(path, Added, nil, b)
	case len(b) == 0:
		d.add(path, Removed, a, nil)
	case !sameScalar(a, b):
		d.add(path, Changed, a, b)
	}
}

// smallObject is the member count up to which keys are matched by a linear
// search: cheaper than building a map for the small objects that make up
// most of a run.
const smallObject = 16

func (d *differ) object(a, b Raw, path string, depth int) {
	am, bm := a.Object(), b.Object()
	find := linearFinder(bm)
	if len(bm) > smallObject {
		find = mapFinder(bm)
	}
	matched := make([]bool, len(bm))
	for _, m := range am {
		if j := find(m.Key); j >= 0 && !matched[j] {
			matched[j] = true
			d.value(m.Value, bm[j].Value, joinKey(path, m.Key), depth)
		} else {
			d.add(joinKey(path, m.Key), Removed, m.Value, nil)
		}
	}
	for j, m := range bm {
		if !matched[j] {
			d.add(joinKey(path, m.Key), Added, nil, m.Value)
		}
	}
}

func linearFinder(ms Object) func(string) int {
	return func(key string) int {
		for j, m := range ms {
			if m.Key == key {
				return j
			}
		}
		return -1
	}
}

func mapFinder(ms Object) func(string) int {
	index := make(map[string]int, len(ms))
	for j := len(ms) - 1; j >= 0; j-- {
		index[ms[j].Key] = j
	}
	return func(key string) int {
		if j, ok := index[key]; ok {
			return j
		}
		return -1
	}
}

func (d *differ) array(a, b Raw, path string, depth int) {
	var av, bv []Raw
	a.Items(func(_ int, v Raw) bool { av = append(av, v); return true })
	b.Items(func(_ int, v Raw) bool { bv = append(bv, v); return true })
	for i := 0; i < max(len(av), len(bv)); i++ {
		p := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case i >= len(bv):
			d.add(p, Removed, av[i], nil)
		case i >= len(av):
			d.add(p, Added, nil, bv[i])
		default:
			d.value(av[i], bv[i], p, depth)
		}
	}
}

func sameScalar(a, b Raw) bool {
	if a.IsString() && b.IsString() {
		return a.Str() == b.Str()
	}
	x, okA := a.Number()
	y, okB := b.Number()
	return okA && okB && x == y
}
