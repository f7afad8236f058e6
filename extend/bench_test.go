package extend

import (
	"encoding/json"
	"testing"
)

// The parser's budget is set against encoding/json: see ParseEnvelope.
func BenchmarkParseEnvelope(b *testing.B) {
	benchBody(b, readFixture(b, "workflow_run.completed.json"), func(body []byte) { ParseEnvelope(body) })
}

func BenchmarkJSONValid(b *testing.B) {
	benchBody(b, readFixture(b, "workflow_run.completed.json"), func(body []byte) { json.Valid(body) })
}

// The escaped benchmarks read a 1 MB parse output full of \n escapes, none of
// which the envelope keeps; the long-strings one the same output with spaces
// for line breaks.
func BenchmarkParseEnvelopeEscaped(b *testing.B) {
	benchBody(b, parseOutputBody(1<<20, '\n'), func(body []byte) { ParseEnvelope(body) })
}

func BenchmarkJSONValidEscaped(b *testing.B) {
	benchBody(b, parseOutputBody(1<<20, '\n'), func(body []byte) { json.Valid(body) })
}

func BenchmarkParseEnvelopeLongStrings(b *testing.B) {
	benchBody(b, parseOutputBody(1<<20, ' '), func(body []byte) { ParseEnvelope(body) })
}

func benchBody(b *testing.B, body []byte, parse func([]byte)) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		parse(body)
	}
}

func BenchmarkSign16KB(b *testing.B) {
	body := make([]byte, 16<<10)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Sign("wss_test", "1700000000", body)
	}
}
