package export

import (
	"context"
	"os"
	"testing"

	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// BenchmarkWrite exports 10,000 deliveries of 4 KB in each format, to real
// files with every sync. MB/s counts body bytes.
func BenchmarkWrite(b *testing.B) {
	events, total := storetest.Bulk(10_000)
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
