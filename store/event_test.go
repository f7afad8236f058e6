package store

import (
	"testing"
	"unsafe"
)

// An Event is allocated in the runtime's 576-byte size class; a field more
// would put it in the 640-byte one, 64 bytes more for every stored event
// (see bodyInFile and the fields extend.Envelope and extend.Run keep behind
// a pointer).
func TestEventFitsTheSizeClassItIsMeasuredIn(t *testing.T) {
	if size := unsafe.Sizeof(Event{}); size > 576 {
		t.Errorf("an Event is %d bytes: over 576, it costs 640", size)
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
