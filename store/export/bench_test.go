package export

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

// benchEvents are n deliveries of about 4 KB each.
func benchEvents(n int) ([]*store.Event, int64) {
	events := make([]*store.Event, n)
	var total int64
	for i := range events {
		id := fmt.Sprintf("evt_%08d", i)
		body := envelope("extract_run.processed", id)
		pad := fmt.Sprintf(`,"padding":%q}`, strings.Repeat("x", 4096-len(body)-14))
		body = append(body[:len(body)-1], pad...)
		events[i] = delivery(uint64(i+1), body)
		total += int64(len(body))
	}
	return events, total
}

// BenchmarkWrite exports 10,000 deliveries of 4 KB in each format, to real
// files with every sync. MB/s counts body bytes.
func BenchmarkWrite(b *testing.B) {
	events, total := benchEvents(10_000)
	for _, format := range Formats {
		b.Run(format.String(), func(b *testing.B) {
			b.SetBytes(total)
			parent := b.TempDir()
			for b.Loop() {
				dir, err := os.MkdirTemp(parent, "out")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Write(context.Background(), events, Options{Format: format, Dir: dir, Listen: "127.0.0.1:8750"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
		})
	}
}

// BenchmarkReadSession reads back 10,000 deliveries of 4 KB.
func BenchmarkReadSession(b *testing.B) {
	events, _ := benchEvents(10_000)
	for _, tc := range []struct {
		name  string
		write encoder
	}{{"jsonl", writeJSONL}, {"har", writeHAR}} {
		b.Run(tc.name, func(b *testing.B) {
			var buf strings.Builder
			if err := tc.write(context.Background(), &buf, events, Options{}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if _, _, err := ReadSession(strings.NewReader(buf.String())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
