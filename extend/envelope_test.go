package extend

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const fixtures = "../testdata/fixtures"

// parseOutputBody is a parse_run delivery of about size bytes whose output is
// page after page of short lines ending in lineBreak: with '\n', strings full
// of escapes, as in Extend's parse outputs; with ' ', long plain strings. The
// envelope keeps none of them. It is deterministic, so benchmark runs compare.
func parseOutputBody(size int, lineBreak byte) []byte {
	words := strings.Fields("lease term rent tenant landlord premises | --- | $1,250.00 | 2026-01-01 | Net 30 | # Schedule A")
	body := []byte(`{"eventId":"event_Esc4pe5Lq1Kz6Vm3Xd9Pc","eventType":"parse_run.processed","payload":` +
		`{"object":"parse_run_status","id":"pr_Xm2Qk7Wz4Lt9Nv1Rc6Hd","status":"PROCESSED","output":{"chunks":[`)
	var page strings.Builder
	for n := 0; len(body) < size; n++ {
		page.Reset()
		for line := range n%12 + 4 {
			for w := range (n + line) % 7 {
				page.WriteString(words[(n*31+line*7+w)%len(words)])
				page.WriteByte(' ')
			}
			page.WriteByte(lineBreak)
		}
		chunk, err := json.Marshal(map[string]any{"type": "page", "content": page.String(), "metadata": map[string]any{"pageNumber": n + 1}})
		if err != nil {
			panic(err)
		}
		if n > 0 {
			body = append(body, ',')
		}
		body = append(body, chunk...)
	}
	return append(body, "]}}}"...)
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return b
}

func TestParseEnvelopeFixtures(t *testing.T) {
	cases := []struct {
		file     string
		object   string
		status   string
		reason   string
		versions []Version
	}{
		{"workflow_run.completed.json", "workflow_run", "PROCESSED", "", []Version{V20260209}},
		{"workflow_run.failed.json", "workflow_run", "FAILED", "FAILED_TO_PROCESS_FILE", []Version{V20260209}},
		{"workflow_run.completed.2025-04-21.json", "workflow_run", "PROCESSED", "", []Version{V20250421}},
		{"workflow_run.needs_review.2024-12-23.json", "workflow_run", "NEEDS_REVIEW", "", []Version{V20241223}},
		{"workflow_run.step_run.processed.json", "workflow_step_run", "PROCESSED", "", []Version{V20260209}},
		{"workflow.deployed.json", "workflow", "", "", []Version{V20260209}},
		{"extract_run.failed.json", "extract_run", "FAILED", "OUT_OF_CREDITS", []Version{V20260209}},
		{"parse_run.failed.json", "parse_run_status", "FAILED", "PASSWORD_PROTECTED_FILE", []Version{V20260209}},
		{"parser_run.failed.json", "parser_run_status", "FAILED", "", []Version{V20250421}},
		{"processor_run.processed.json", "document_processor_run", "PROCESSED", "", []Version{V20250421, V20241223}},
		{"processor.created.json", "document_processor", "", "", []Version{V20250421, V20241223}},
		{"batch_parse_run.failed.json", "batch_run", "FAILED", "", []Version{V20260209}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			body := readFixture(t, c.file)
			env := ParseEnvelope(body)
			var want struct {
				EventID   string `json:"eventId"`
				EventType string `json:"eventType"`
				Payload   struct {
					ID string `json:"id"`
				} `json:"payload"`
			}
			if err := json.Unmarshal(body, &want); err != nil {
				t.Fatal(err)
			}
			if env.Err() != nil {
				t.Fatalf("Err = %v", env.Err())
			}
			if env.EventID != want.EventID || env.EventType != want.EventType || env.ID != want.Payload.ID {
				t.Errorf("ids: got %q %q %q, want %+v", env.EventID, env.EventType, env.ID, want)
			}
			if env.Object != c.object || env.Status != c.status {
				t.Errorf("object/status = %q/%q, want %q/%q", env.Object, env.Status, c.object, c.status)
			}
			if c.reason != "" && env.FailureReason != c.reason {
				t.Errorf("failureReason = %q, want %q", env.FailureReason, c.reason)
			}
			if !slices.Equal(env.Versions.List(), c.versions) {
				t.Errorf("versions = %v, want %v", env.Versions.List(), c.versions)
			}
		})
	}
}

func TestParseEnvelopeStepRunNamesItsRun(t *testing.T) {
	env := ParseEnvelope(readFixture(t, "workflow_run.step_run.processed.json"))
	if !strings.HasPrefix(env.WorkflowRunID, "workflow_run_") || env.StepType != "EXTRACT" {
		t.Errorf("WorkflowRunID = %q, StepType = %q", env.WorkflowRunID, env.StepType)
	}
}

// An older step run names its step's type only inside step: StepType holds
// it all the same, and it does not make the body look like 2026-02-09.
func TestParseEnvelopeOlderStepRunStepType(t *testing.T) {
	env := ParseEnvelope([]byte(`{"eventId":"e","eventType":"workflow_run.step_run.processed",` +
		`"payload":{"object":"workflow_step_run","id":"wsr_1","step":{"name":"Extract","type":"EXTRACT"}}}`))
	if env.StepType != "EXTRACT" || env.Run.StepName != "Extract" || env.Versions.Is(V20260209) {
		t.Errorf("StepType %q, step name %q, versions %v: want EXTRACT, Extract, not only 2026-02-09",
			env.StepType, env.Run.StepName, env.Versions.List())
	}
}

func TestParseEnvelopeSignedURLBothShapes(t *testing.T) {
	sdk := ParseEnvelope(readFixture(t, "workflow_run.completed.signed-url.json"))
	if !sdk.IsSignedURL() || sdk.ID == "" {
		t.Errorf("SDK shape not detected: %+v", sdk)
	}
	docs := ParseEnvelope([]byte(`{"eventId":"e","eventType":"workflow_run.completed","payload":{"data":"https://x.invalid/p"}}`))
	if docs.SignedURL() != "https://x.invalid/p" {
		t.Errorf("docs shape not detected: %+v", docs)
	}
	run := ParseEnvelope([]byte(`{"eventType":"x.y","payload":{"object":"workflow_run","data":"not a url variant"}}`))
	if run.IsSignedURL() {
		t.Error("a payload with an object other than signed_data_url is not the URL variant")
	}
}

func TestParseEnvelopeTolerates(t *testing.T) {
	cases := map[string]struct {
		body    string
		wantErr string
		typ     string
	}{
		"empty":             {"", "empty body", ""},
		"spaces":            {"  \n", "empty body", ""},
		"not json":          {"hello", "invalid JSON", ""},
		"truncated":         {`{"eventType":"a.b","payload":{`, "unexpected end", ""},
		"array":             {`[1,2]`, "JSON array, not an object", ""},
		"string":            {`"x"`, "JSON string, not an object", ""},
		"trailing garbage":  {`{} x`, "after the top-level value", ""},
		"payload is string": {`{"eventType":"a.b","payload":"hi"}`, "", "a.b"},
		"payload missing":   {`{"eventType":"a.b"}`, "", "a.b"},
		"extra fields":      {`{"eventType":"a.b","extra":[1,{"x":null}],"payload":{}}`, "", "a.b"},
		"type not string":   {`{"eventType":12}`, "", ""},
		"escaped type":      {`{"eventType":"a\u002eb"}`, "", "a.b"},
		"escaped key":       {`{"event\u0054ype":"a.b"}`, "", "a.b"},
		"repeated key":      {`{"eventType":"a.b","eventType":"c.d"}`, "", "c.d"},
		"control in string": {"{\"eventType\":\"a\x01\"}", "control character", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env := ParseEnvelope([]byte(c.body))
			switch {
			case c.wantErr == "" && env.Err() != nil:
				t.Fatalf("Err = %v", env.Err())
			case c.wantErr != "" && (env.Err() == nil || !strings.Contains(env.Err().Error(), c.wantErr)):
				t.Fatalf("Err = %v, want %q", env.Err(), c.wantErr)
			}
			if c.wantErr == "" && env.EventType != c.typ {
				t.Errorf("EventType = %q, want %q", env.EventType, c.typ)
			}
		})
	}
}

func TestParseEnvelopeDeepNesting(t *testing.T) {
	ok := `{"payload":` + strings.Repeat("[", maxDepth-1) + strings.Repeat("]", maxDepth-1) + `}`
	if err := ParseEnvelope([]byte(ok)).Err(); err != nil {
		t.Errorf("depth %d: %v", maxDepth, err)
	}
	deep := `{"payload":` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`
	if ParseEnvelope([]byte(deep)).Err() == nil {
		t.Error("depth past the limit accepted")
	}
	if json.Valid([]byte(deep)) || !json.Valid([]byte(ok)) {
		t.Error("the limit no longer matches encoding/json")
	}
}

func TestParseEnvelopeSkipsStringsWithoutAllocating(t *testing.T) {
	small, large := parseOutputBody(4<<10, '\n'), parseOutputBody(1<<20, '\n')
	perSmall := testing.AllocsPerRun(10, func() { ParseEnvelope(small) })
	perLarge := testing.AllocsPerRun(10, func() { ParseEnvelope(large) })
	if perLarge != perSmall {
		t.Errorf("allocations grow with the skipped strings: %v for 4 KB, %v for 1 MB", perSmall, perLarge)
	}
}

func TestPlainEndFindsTheFirstByteToLookAt(t *testing.T) {
	isPlain := func(c byte) bool { return c >= 0x20 && c != '"' && c != '\\' }
	filler := []byte("a\xff \x7f\x80~!\xc3")
	for n := range 20 {
		for at := range n {
			for c := range 256 {
				b := make([]byte, n)
				for k := range b {
					b[k] = filler[k%len(filler)]
				}
				b[at] = byte(c)
				if at+1 < n {
					b[at+1] = 0 // a borrow from the first must not hide it
				}
				for from := range n + 1 {
					want := from
					for want < n && isPlain(b[want]) {
						want++
					}
					if got := plainEnd(b, from); got != want {
						t.Fatalf("plainEnd(%q, %d) = %d, want %d", b, from, got, want)
					}
				}
			}
		}
	}
}

func TestDecodeStringMatchesEncodingJSON(t *testing.T) {
	for _, quoted := range []string{
		`""`, `"plain"`, `"\/\b\f\n\r\t\"\\"`, `"\u0000\u001f"`, `"\u00e9\u00E9"`,
		`"\ud83d\ude00"`, `"\uD83D\uDE00"`, `"\ud800"`, `"\udc00"`, `"\ud800x"`, `"\ud800\n"`,
		`"\udc00\ud800"`, `"\ud800\ud800\udc00"`, `"\ud800\u0041"`,
		"\"\xff\xfe\"", "\"\xe2\x82\"", "\"\xed\xa0\x80\"", "\"é\\né\xff\\u00e9\"",
	} {
		var want string
		if err := json.Unmarshal([]byte(quoted), &want); err != nil {
			t.Fatalf("%s: %v", quoted, err)
		}
		raw := []byte(quoted[1 : len(quoted)-1])
		if got := decodeString(raw, bytes.IndexByte(raw, '\\') >= 0); got != want {
			t.Errorf("decodeString(%s) = %q, encoding/json says %q", quoted, got, want)
		}
	}
}
