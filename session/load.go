package session

import "github.com/extend-inspect/extend-inspect/store"

// Load appends a session's events to st keeping their recorded numbers
// (store.AppendRecorded), and returns how many it had to renumber because
// their seq was not after the one before (two recordings joined into one
// file, say).
func Load(st *store.Store, events []*store.Event) (renumbered int) {
	for _, ev := range events {
		if recorded := ev.Seq; st.AppendRecorded(ev) != recorded {
			renumbered++
		}
	}
	return renumbered
}
