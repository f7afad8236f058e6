package store

import (
	"testing"
	"unsafe"
)

// An Event is allocated in the runtime's 512-byte size class; a field more
// would put it in the 576-byte one, 64 bytes more for every stored event
// (see bodyInFile, eventMore, and the fields extend.Envelope and extend.Run
// keep behind a pointer).
func TestEventFitsTheSizeClassItIsMeasuredIn(t *testing.T) {
	if size := unsafe.Sizeof(Event{}); size > 512 {
		t.Errorf("an Event is %d bytes: over 512, it costs 576", size)
	}
}

// What few deliveries have reads as nothing on the others, and each setter
// keeps what the others set.
func TestEventMoreReadsEmptyUntilSet(t *testing.T) {
	ev := &Event{}
	ev.SetBody([]byte(`{}`))
	ev.SetDuplicateOf(0)
	if ev.more != nil || ev.Rejected() != "" || ev.ReplayOf() != 0 || ev.DuplicateOf() != 0 || ev.Size() != 2 {
		t.Fatalf("a plain delivery: more %v, rejected %q, replay of %d, duplicate of %d, size %d",
			ev.more, ev.Rejected(), ev.ReplayOf(), ev.DuplicateOf(), ev.Size())
	}
	refused := &Event{}
	refused.SetReplayOf(3)
	refused.Reject("body too large", 20<<20)
	refused.SetDuplicateOf(1)
	if refused.Rejected() != "body too large" || refused.Size() != 20<<20 || refused.ReplayOf() != 3 || refused.DuplicateOf() != 1 {
		t.Errorf("refused %q of %d bytes, replay of %d, duplicate of %d", refused.Rejected(), refused.Size(), refused.ReplayOf(), refused.DuplicateOf())
	}
}

// What a session file keeps of an event (its body's and its headers'
// places) is one allocation beside it, in the runtime's 96-byte size
// class.
func TestBodyInFileFitsItsSizeClass(t *testing.T) {
	if size := unsafe.Sizeof(bodyInFile{}); size > 96 {
		t.Errorf("a bodyInFile is %d bytes: over 96, it costs 112", size)
	}
}
