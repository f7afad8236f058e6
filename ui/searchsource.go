package ui

import "github.com/extend-inspect/extend-inspect/store"

// searchSource is an event as the text filter reads it (a search.Source):
// the search text keeps neither its fields nor its body, and has them
// again from the event each time a scan needs them.
type searchSource store.Event

// AppendFields appends the event's searchFields to dst.
func (s *searchSource) AppendFields(dst []byte) []byte {
	return append(dst, searchFields((*store.Event)(s))...)
}

// BodyUsing is the event's store.Event.BodyUsing.
func (s *searchSource) BodyUsing(buf *[]byte) ([]byte, error) {
	return (*store.Event)(s).BodyUsing(buf)
}
