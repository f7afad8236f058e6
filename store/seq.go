package store

import "sort"

// seqIndex maps sequence numbers to positions, the order in which events
// were appended (1, 2, 3…). Append numbers events consecutively, so the two
// differ only after AppendRecorded kept a reopened session's numbers, which
// may have gaps (5, 9, 13). Each run of consecutive numbers is one entry: a
// store that never reopened a session has exactly one, and a session adds
// at most one per event it holds.
type seqIndex struct {
	runs []seqRun
}

// seqRun says that the event at position pos has sequence number seq, and
// so on, one for one, up to the next run.
type seqRun struct{ pos, seq uint64 }

// add notes that the event at position pos (the newest) has number seq;
// prev is the number of the event before it.
func (x *seqIndex) add(pos, seq, prev uint64) {
	if len(x.runs) == 0 || seq != prev+1 {
		x.runs = append(x.runs, seqRun{pos: pos, seq: seq})
	}
}

// upTo returns how many of the first last positions hold a sequence number
// of seq or less: the position of the newest such event, or 0.
func (x *seqIndex) upTo(seq, last uint64) uint64 {
	i := sort.Search(len(x.runs), func(i int) bool { return x.runs[i].seq > seq }) - 1
	if i < 0 {
		return 0
	}
	end := last // the run's last position
	if i+1 < len(x.runs) {
		end = x.runs[i+1].pos - 1
	}
	r := x.runs[i]
	return min(r.pos+(seq-r.seq), end)
}
