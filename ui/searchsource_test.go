package ui

import (
	"testing"

	"github.com/extend-inspect/extend-inspect/ui/search/searchtest"
)

// A scan appends an event's fields to its buffer without allocating: it
// does so for every event the index lets through.
func TestAppendFieldsReusesTheBuffer(t *testing.T) {
	ev := newEventMaker().raw(searchtest.New(1).Body(0))
	src := (*searchSource)(ev)
	buf := src.AppendFields(nil)
	if allocs := testing.AllocsPerRun(100, func() { buf = src.AppendFields(buf[:0]) }); allocs != 0 {
		t.Errorf("AppendFields allocated %.0f times", allocs)
	}
	if len(buf) == 0 {
		t.Error("no fields")
	}
}
