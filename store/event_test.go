package store

import (
	"testing"
	"unsafe"
)

// An Event is allocated in the runtime's 768-byte size class; a field more
// would put it in the 896-byte one, 128 bytes more for every stored event
// (see bodyInFile).
func TestEventFitsTheSizeClassItIsMeasuredIn(t *testing.T) {
	if size := unsafe.Sizeof(Event{}); size > 768 {
		t.Errorf("an Event is %d bytes: over 768, it costs 896", size)
	}
}
