package ui

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

// bigBody is an extract_run.processed body of about size bytes: an invoice
// of many line items, each with its metadata.
func bigBody(size int) []byte {
	var items bytes.Buffer
	for i := 0; items.Len() < size; i++ {
		if i > 0 {
			items.WriteByte(',')
		}
		fmt.Fprintf(&items, `{"description":"Hex bolt M8x%d, zinc plated","quantity":%d,"unit_price":0.35,"amount":%d.35,"meta":{"ocrConfidence":0.97,"logprobsConfidence":0.%d,"page":%d}}`,
			i%90+10, i%50+1, i%50, 70+i%30, i/40+1)
	}
	return fmt.Appendf(nil, `{"eventId":"event_big","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_big","status":"PROCESSED","output":{"value":{"invoice_number":"INV-1","line_items":[%s]},"metadata":{"invoice_number":{"logprobsConfidence":0.99}}}}}`,
		items.Bytes())
}

// benchDiff builds the diff document of a 1 MB body against changed(body),
// as the commands diff-marked starts do: the diff, and its first screen
// (first) or every row of it.
func benchDiff(b *testing.B, changed func([]byte) []byte) {
	a := bigBody(1 << 20)
	c := changed(a)
	m := newTestModel(b, store.New(10, 0), 120, 40)
	first, second := &store.Event{Seq: 1}, &store.Event{Seq: 2}
	first.SetBody(a)
	second.SetBody(c)
	cmp := &comparison{a: first, b: second}
	for _, whole := range []bool{false, true} {
		name := "first-screen"
		if whole {
			name = "whole"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(a) + len(c)))
			var rows int
			for b.Loop() {
				p := &diffProducer{c: cmp, rw: newRowWriter(m.pane.width, m.inks.Escape), kit: m.kit}
				ch, done := p.produce(true)
				rows = len(ch.rows)
				for whole && !done {
					ch, done = p.produce(false)
					rows += len(ch.rows)
				}
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

// BenchmarkDiffMarked1MB: a retry against its original, a few values and
// the key order changed.
func BenchmarkDiffMarked1MB(b *testing.B) {
	benchDiff(b, func(a []byte) []byte {
		c := bytes.Replace(a, []byte(`"quantity":7,`), []byte(`"quantity":8,`), 3)
		return bytes.Replace(c, []byte(`"eventId":"event_big","eventType":"extract_run.processed"`), []byte(`"eventType":"extract_run.processed","eventId":"event_retry"`), 1)
	})
}

// BenchmarkDiffMarked1MBAllChanged: every line item differs, so the
// document is thousands of lines.
func BenchmarkDiffMarked1MBAllChanged(b *testing.B) {
	benchDiff(b, func(a []byte) []byte { return bytes.ReplaceAll(a, []byte(`zinc plated`), []byte(`galvanised`)) })
}
