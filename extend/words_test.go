package extend

import (
	"testing"
	"unsafe"
)

// The envelope's type, object and status are the catalogue's own strings,
// not copies of the body's bytes; an id is the body's.
func TestEnvelopeWordsAreShared(t *testing.T) {
	body := []byte(`{"eventId":"evt_1","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_1","status":"PROCESSED"}}`)
	env := ParseEnvelope(body)
	for name, got := range map[string]string{"eventType": env.EventType, "object": env.Object, "status": env.Status} {
		if w := words[got]; unsafe.StringData(w) != unsafe.StringData(got) {
			t.Errorf("%s %q is a copy, not the shared word", name, got)
		}
	}
	if _, ok := words[env.ID]; ok || env.ID != "exr_1" {
		t.Errorf("id %q", env.ID)
	}
	escaped := ParseEnvelope([]byte(`{"eventType":"extract_run\u002eprocessed"}`))
	if escaped.EventType != "extract_run.processed" {
		t.Errorf("escaped type = %q", escaped.EventType)
	}
}
