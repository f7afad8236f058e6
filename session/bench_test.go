package session

import (
	"bytes"
	"testing"

	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// BenchmarkReadSession reads back 10,000 deliveries of 4 KB.
func BenchmarkReadSession(b *testing.B) {
	events, _ := storetest.Bulk(10_000)
	for _, format := range []export.Format{export.JSONL, export.HAR} {
		b.Run(format.String(), func(b *testing.B) {
			session := encode(b, format, events)
			b.SetBytes(int64(len(session)))
			for b.Loop() {
				if _, _, err := Read(bytes.NewReader(session), opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
