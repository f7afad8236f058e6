package extend

import (
	"encoding/json"
	"testing"
)

// The parser's budget is set against encoding/json: see ParseEnvelope.
func BenchmarkParseEnvelope(b *testing.B) {
	body := readFixture(b, "workflow_run.completed.json")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		ParseEnvelope(body)
	}
}

func BenchmarkJSONValid(b *testing.B) {
	body := readFixture(b, "workflow_run.completed.json")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		json.Valid(body)
	}
}

func BenchmarkSign16KB(b *testing.B) {
	body := make([]byte, 16<<10)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Sign("wss_test", "1700000000", body)
	}
}
