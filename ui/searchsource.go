package ui

import "github.com/extend-inspect/extend-inspect/store"

// searchSource is an event as the text filter reads it (a search.Source):
// the search text keeps neither its fields nor its body, and has them
// again from the event each time a scan needs them.
type searchSource store.Event

// AppendFields appends the event's appendSearchFields to dst.
func (s *searchSource) AppendFields(dst []byte) []byte {
	return appendSearchFields(dst, (*store.Event)(s))
}

// BodyUsing is the event's store.Event.BodyUsing.
func (s *searchSource) BodyUsing(buf *[]byte) ([]byte, error) {
	return (*store.Event)(s).BodyUsing(buf)
}

// appendSearchFields appends what the text filter matches besides the
// body, joined by spaces. Scans call it for every event the index lets
// through, so it appends to their buffer rather than building a string:
// joining them was most of the time of a search that scans every event.
func appendSearchFields(dst []byte, ev *store.Event) []byte {
	env := ev.Envelope
	for i, part := range [...]string{
		env.EventType, env.EventID, env.Object, env.ID, env.Status, env.FailureReason,
		env.WorkflowRunID, env.StepType, ev.Category.String(), ev.Verification.Outcome.String(),
		ev.URI(), ev.Rejected(),
	} {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, part...)
	}
	return dst
}
