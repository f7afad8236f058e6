package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// bigExtraction is an extract_run.processed body of about size bytes: an
// invoice with line items, each leaf with metadata and a citation, as
// Extend sends for long invoices.
func bigExtraction(size int) []byte {
	var value, meta bytes.Buffer
	for i := 0; value.Len()+meta.Len() < size; i++ {
		if i > 0 {
			value.WriteByte(',')
			meta.WriteByte(',')
		}
		fmt.Fprintf(&value, `{"description":"Hex bolt M8x%d, zinc plated","quantity":%d,"unit_price":0.35,"amount":%d.35}`, i%90+10, i%50+1, i%50)
		for j, f := range []string{"description", "quantity", "unit_price", "amount"} {
			if j > 0 {
				meta.WriteByte(',')
			}
			fmt.Fprintf(&meta, `"line_items[%d].%s":{"ocrConfidence":0.97,"logprobsConfidence":0.%d,"citations":[{"fileId":"file_Rw3Kc8Nz1Pq6Ty4Lm9Vb2X","page":{"number":%d,"width":612,"height":792},"referenceText":"Hex bolt M8x%d","polygon":[{"x":402.1,"y":71.8},{"x":531.6,"y":71.8},{"x":531.6,"y":86.2},{"x":402.1,"y":86.2}]}]}`,
				i, f, 70+(i*7+j)%30, i/40+1, i%90+10)
		}
	}
	return fmt.Appendf(nil, `{"eventId":"event_big","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_big","status":"PROCESSED",`+
		`"output":{"value":{"invoice_number":"INV-1","line_items":[%s]},"metadata":{"invoice_number":{"logprobsConfidence":0.99},%s}},"reviewed":false}}`,
		value.Bytes(), meta.Bytes())
}

// BenchmarkFieldsOf5MB builds the whole Fields table of a 5 MB extraction
// (every row, with the low-confidence count): the first screen is ready when
// this is.
func BenchmarkFieldsOf5MB(b *testing.B) {
	body := bigExtraction(5 << 20)
	b.SetBytes(int64(len(body)))
	var rows int
	cpu := cpuTime()
	for b.Loop() {
		rep := Read(body, 0)
		rows = len(rep.Sections[0].Rows)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(rows), "rows")
}

// BenchmarkDiff1MB compares two 1 MB bodies that differ in a few fields
// and in key order.
func BenchmarkDiff1MB(b *testing.B) {
	a := bigExtraction(1 << 20)
	c := bytes.Replace(a, []byte(`"quantity":7,`), []byte(`"quantity":8,`), 3)
	c = bytes.Replace(c, []byte(`"eventId":"event_big","eventType":"extract_run.processed"`), []byte(`"eventType":"extract_run.processed","eventId":"event_retry"`), 1)
	b.SetBytes(int64(len(a) + len(c)))
	var n int
	cpu := cpuTime()
	for b.Loop() {
		n = len(Diff(a, c))
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "differences")
}

func TestBigExtractionReads(t *testing.T) {
	body := bigExtraction(200 << 10)
	rep := Read(body, 0)
	if len(rep.Sections) != 1 || len(rep.Sections[0].Rows) < 500 || rep.Low == 0 {
		t.Fatalf("rows %d, low %d", len(rep.Sections[0].Rows), rep.Low)
	}
	c := bytes.Replace(body, []byte(`"quantity":7,`), []byte(`"quantity":8,`), 3)
	if d := Diff(body, c); len(d) != 3 {
		t.Errorf("%d differences, want 3", len(d))
	}
}

// BenchmarkValid5MB is the yardstick: encoding/json only validating the
// same body, which any full decode costs at least.
func BenchmarkValid5MB(b *testing.B) {
	body := bigExtraction(5 << 20)
	b.SetBytes(int64(len(body)))
	cpu := cpuTime()
	for b.Loop() {
		json.Valid(body)
	}
	reportCPU(b, cpu)
}

// cpuTime is the process's CPU time so far. The benchmarks report CPU
// milliseconds per operation beside the wall time: on a shared machine the
// wall time measures the other tenants as much as the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
