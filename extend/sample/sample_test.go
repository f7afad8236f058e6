package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

var sampleNow = time.Date(2026, 7, 20, 9, 30, 15, 0, time.UTC)

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 42)) }

// sampleCase is one (version, type, variant) the samples must cover.
type sampleCase struct {
	v      extend.Version
	t      extend.EventType
	signed bool
}

func (c sampleCase) String() string {
	if c.signed {
		return fmt.Sprintf("%s/%s/signed", c.v, c.t.Name)
	}
	return fmt.Sprintf("%s/%s", c.v, c.t.Name)
}

func allSampleCases() []sampleCase {
	var cases []sampleCase
	for _, v := range extend.Versions {
		for _, t := range extend.TypesIn(v) {
			cases = append(cases, sampleCase{v, t, false})
			if v != extend.V20241223 {
				cases = append(cases, sampleCase{v, t, true})
			}
		}
	}
	return cases
}

func mustSample(t testing.TB, eventType string, opt Options) []byte {
	t.Helper()
	b, err := Build(eventType, opt)
	if err != nil {
		t.Fatalf("Build(%s): %v", eventType, err)
	}
	return b
}

type delivery struct {
	EventID   string         `json:"eventId"`
	EventType string         `json:"eventType"`
	Payload   map[string]any `json:"payload"`
}

// decodeDelivery insists on exactly the three envelope fields.
func decodeDelivery(t testing.TB, body []byte) delivery {
	t.Helper()
	var d delivery
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("body does not decode as {eventId, eventType, payload}: %v\n%s", err, body)
	}
	return d
}

// objectPrefixes are the id prefixes of REFERENCE.md §3.1, by "object".
var objectPrefixes = map[string]string{
	"workflow_run": "workflow_run_", "workflow_step_run": "workflow_step_run_", "workflow_step": "step_",
	"workflow": "workflow_", "workflow_version": "workflow_version_", "file": "file_",
	"extract_run": "exr_", "classify_run": "clr_", "split_run": "splr_", "parse_run": "pr_", "parse_run_status": "pr_",
	"edit_run": "edr_", "extractor": "ex_", "extractor_version": "exv_", "classifier": "cl_", "classifier_version": "clv_",
	"splitter": "spl_", "splitter_version": "splv_", "document_processor_run": "dpr_", "document_processor": "dp_",
	"document_processor_version": "dpv_", "parser_run_status": "parser_run_",
}

// keyPrefixes are the prefixes of ids that fields name by key.
var keyPrefixes = map[string]string{
	"eventId": "event_", "workflowRunId": "workflow_run_", "parseRunId": "pr_", "fileId": "file_",
	"extractorId": "ex_", "classifierId": "cl_", "splitterId": "spl_", "processorId": "dp_",
	"processorVersionId": "dpv_", "batchId": "batch_", "versionId": "exv_", "parentFileId": "file_",
}

func payloadPrefix(t extend.EventType) string {
	switch {
	case strings.HasPrefix(t.Name, "batch_parse_run."):
		return "bpar_"
	case strings.HasPrefix(t.Name, "batch_processor_run."):
		return "bpr_"
	}
	return objectPrefixes[t.Object]
}

// checkPrefixes walks a decoded body and reports every id without its prefix.
func checkPrefixes(t *testing.T, where string, v any) {
	t.Helper()
	switch n := v.(type) {
	case map[string]any:
		if obj, ok := n["object"].(string); ok && obj != "signed_data_url" && obj != "batch_run" {
			if want, known := objectPrefixes[obj]; known && !strings.HasPrefix(fmt.Sprint(n["id"]), want) {
				t.Errorf("%s: %s id %v lacks prefix %s", where, obj, n["id"], want)
			}
		}
		for k, child := range n {
			if want, ok := keyPrefixes[k]; ok && child != nil && !strings.HasPrefix(fmt.Sprint(child), want) {
				t.Errorf("%s.%s = %v lacks prefix %s", where, k, child, want)
			}
			checkPrefixes(t, where+"."+k, child)
		}
	case []any:
		for i, child := range n {
			checkPrefixes(t, fmt.Sprintf("%s.%d", where, i), child)
		}
	}
}

var wantWorkflowStatus = map[string]string{
	"workflow_run.completed": "PROCESSED", "workflow_run.failed": "FAILED", "workflow_run.needs_review": "NEEDS_REVIEW",
	"workflow_run.rejected": "REJECTED", "workflow_run.cancelled": "CANCELLED",
}

// reasonsFor lists the documented failure reasons of a payload kind.
func reasonsFor(object string) []string {
	switch object {
	case "workflow_run":
		return workflowFailures
	case "extract_run":
		return extractFailures
	case "classify_run", "split_run", "document_processor_run":
		return classifyFailures
	case "parse_run_status", "parser_run_status":
		return parseFailures
	case "edit_run":
		return editFailures
	}
	return nil
}

func TestSampleEveryType(t *testing.T) {
	for _, c := range allSampleCases() {
		t.Run(c.String(), func(t *testing.T) {
			body := mustSample(t, c.t.Name, Options{Version: c.v, SignedURL: c.signed, Now: sampleNow})
			if !bytes.HasPrefix(body, []byte("{\n  \"eventId\": ")) || !bytes.HasSuffix(body, []byte("}\n")) {
				t.Errorf("not laid out like the fixtures:\n%s", body)
			}
			d := decodeDelivery(t, body)
			if d.EventType != c.t.Name {
				t.Errorf("eventType %q", d.EventType)
			}
			if got := extend.CategoryOf(d.EventType); got != c.t.Category {
				t.Errorf("CategoryOf = %s, catalogue says %s", got, c.t.Category)
			}
			wantObject := c.t.Object
			if c.signed {
				wantObject = "signed_data_url"
			}
			if d.Payload["object"] != wantObject {
				t.Errorf("payload.object = %v, want %s", d.Payload["object"], wantObject)
			}
			if id := fmt.Sprint(d.Payload["id"]); !strings.HasPrefix(id, payloadPrefix(c.t)) {
				t.Errorf("payload.id %s lacks prefix %s", id, payloadPrefix(c.t))
			}
			var whole any
			_ = json.Unmarshal(body, &whole)
			checkPrefixes(t, "body", whole)
			if env := extend.ParseEnvelope(body); !slices.Contains(env.Versions.List(), c.v) {
				t.Errorf("ParseEnvelope guesses versions %v, not %s", env.Versions.List(), c.v)
			}
			if c.signed {
				checkSignedURL(t, d)
			} else {
				checkSemantics(t, c, d.Payload)
			}
		})
	}
}

func checkSignedURL(t *testing.T, d delivery) {
	t.Helper()
	url, _ := d.Payload["data"].(string)
	if !strings.HasPrefix(url, "https://") || !strings.Contains(url, d.EventID) {
		t.Errorf("data %q is not a signed URL for the event", url)
	}
}

// checkSemantics checks that status, failure and review fields tell the
// same story as the event type.
func checkSemantics(t *testing.T, c sampleCase, p map[string]any) {
	t.Helper()
	status, _ := p["status"].(string)
	switch {
	case wantWorkflowStatus[c.t.Name] != "":
		if status != wantWorkflowStatus[c.t.Name] {
			t.Errorf("status %s, want %s", status, wantWorkflowStatus[c.t.Name])
		}
	case strings.HasSuffix(c.t.Name, ".processed") && status != "PROCESSED":
		t.Errorf("status %q, want PROCESSED", status)
	case strings.HasSuffix(c.t.Name, ".failed") && status != "FAILED":
		t.Errorf("status %q, want FAILED", status)
	}
	reason, _ := p["failureReason"].(string)
	// BatchRun has no failure fields at all in the SDK: its status says it.
	if strings.HasSuffix(c.t.Name, ".failed") && c.t.Object != "batch_run" {
		if !slices.Contains(reasonsFor(c.t.Object), reason) {
			t.Errorf("failureReason %q is not a documented %s reason", reason, c.t.Object)
		}
		// parser_run_status is {id, status, failureReason?} only.
		if msg, _ := p["failureMessage"].(string); msg == "" && c.t.Object != "parser_run_status" {
			t.Errorf("no failureMessage")
		}
	} else if reason != "" {
		t.Errorf("failureReason %q on a %s", reason, c.t.Name)
	}
	if c.t.Name == "workflow_run.rejected" {
		if note, _ := p["rejectionNote"].(string); note == "" {
			t.Errorf("rejected run without a rejectionNote")
		}
	}
	if c.t.Object == "workflow_step_run" && c.v == extend.V20260209 {
		if id, _ := p["workflowRunId"].(string); !strings.HasPrefix(id, "workflow_run_") {
			t.Errorf("step run names no workflow run: %q", id)
		}
	}
	if c.v != extend.V20260209 {
		checkNoNulls(t, "payload", p)
	}
}

// checkNoNulls holds the older versions to their style: optional fields
// are left out, not null.
func checkNoNulls(t *testing.T, where string, v any) {
	t.Helper()
	switch n := v.(type) {
	case nil:
		t.Errorf("%s is null; older versions omit optional fields", where)
	case map[string]any:
		for k, child := range n {
			checkNoNulls(t, where+"."+k, child)
		}
	case []any:
		for i, child := range n {
			checkNoNulls(t, fmt.Sprintf("%s.%d", where, i), child)
		}
	}
}

func TestSampleFailureReasonsHaveMessages(t *testing.T) {
	for _, list := range [][]string{workflowFailures, extractFailures, classifyFailures, parseFailures, editFailures} {
		for _, r := range list {
			if failureMessages[r] == "" {
				t.Errorf("no failureMessage for %s", r)
			}
		}
	}
}

// Every timestamp lies before Now, and the newest is from the last minute:
// the sample describes something that just happened.
func TestSampleTimestamps(t *testing.T) {
	for _, c := range allSampleCases() {
		if c.signed {
			continue
		}
		body := mustSample(t, c.t.Name, Options{Version: c.v, Now: sampleNow, Rand: seeded(7)})
		var whole any
		_ = json.Unmarshal(body, &whole)
		var times []time.Time
		collectTimes(whole, &times)
		for _, tm := range times {
			if tm.After(sampleNow) || tm.Before(sampleNow.AddDate(-1, 0, 0)) {
				t.Errorf("%s: timestamp %s is not in the year before Now", c, tm)
			}
		}
		// A batch run carries only the time the batch was submitted.
		if len(times) == 0 || c.t.Object == "batch_run" {
			continue
		}
		if newest := slices.MaxFunc(times, time.Time.Compare); sampleNow.Sub(newest) > time.Minute {
			t.Errorf("%s: newest timestamp %s is not from the last minute", c, newest)
		}
	}
}

func collectTimes(v any, out *[]time.Time) {
	switch n := v.(type) {
	case string:
		if tm, err := time.Parse(time.RFC3339, n); err == nil {
			*out = append(*out, tm)
		}
	case map[string]any:
		for _, child := range n {
			collectTimes(child, out)
		}
	case []any:
		for _, child := range n {
			collectTimes(child, out)
		}
	}
}

func TestSampleFreshOnEveryCall(t *testing.T) {
	for _, name := range []string{"workflow_run.completed", "extract_run.failed", "extractor.created"} {
		a := decodeDelivery(t, mustSample(t, name, Options{}))
		b := decodeDelivery(t, mustSample(t, name, Options{}))
		if a.EventID == b.EventID || a.Payload["id"] == b.Payload["id"] {
			t.Errorf("%s: two calls share ids: %s %v", name, a.EventID, a.Payload["id"])
		}
	}
	d := decodeDelivery(t, mustSample(t, "workflow_run.completed", Options{}))
	end, err := time.Parse(time.RFC3339, d.Payload["endTime"].(string))
	if err != nil || time.Since(end) > time.Minute || time.Since(end) < -time.Second {
		t.Errorf("endTime %v is not the current time (%v)", d.Payload["endTime"], err)
	}
}

func TestSampleDeterministic(t *testing.T) {
	for _, c := range allSampleCases() {
		opt := Options{Version: c.v, SignedURL: c.signed, Now: sampleNow}
		opt.Rand = seeded(99)
		a := mustSample(t, c.t.Name, opt)
		opt.Rand = seeded(99)
		b := mustSample(t, c.t.Name, opt)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same seed and Now, different bodies", c)
		}
		opt.Rand = seeded(100)
		if bytes.Equal(a, mustSample(t, c.t.Name, opt)) {
			t.Errorf("%s: different seeds, same body", c)
		}
	}
}

func TestSampleErrors(t *testing.T) {
	cases := []struct {
		name, eventType string
		opt             Options
	}{
		{"unknown type", "invoice.paid", Options{}},
		{"type of another version", "extract_run.processed", Options{Version: extend.V20250421}},
		{"2026 type missing from 2024", "parser_run.failed", Options{Version: extend.V20241223}},
		{"cancelled before 2026", "workflow_run.cancelled", Options{Version: extend.V20250421}},
		{"signed URL in 2024-12-23", "workflow_run.completed", Options{Version: extend.V20241223, SignedURL: true}},
		{"unknown step type", "workflow_run.step_run.processed", Options{StepType: "OCR"}},
		{"processor step before 2026", "workflow_run.step_run.processed", Options{Version: extend.V20250421, StepType: "EXTRACT"}},
	}
	for _, c := range cases {
		if _, err := Build(c.eventType, c.opt); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestSampleStepTypes(t *testing.T) {
	results := map[string]string{
		"PARSE": "parseRun", "EXTRACT": "extractRun", "CLASSIFY": "classifyRun", "SPLIT": "splitRun",
		"MERGE_EXTRACT": "mergedExtractors", "CONDITIONAL_EXTRACT": "extractRun", "RULE_VALIDATION": "allPassed",
		"EXTERNAL_DATA_VALIDATION": "response",
	}
	for _, v := range []extend.Version{extend.V20260209, extend.V20250421, extend.V20241223} {
		for _, st := range StepTypes(v) {
			p := decodeDelivery(t, mustSample(t, "workflow_run.step_run.processed", Options{Version: v, StepType: st})).Payload
			step, _ := p["step"].(map[string]any)
			if step["type"] != st {
				t.Errorf("%s %s: step.type %v", v, st, step["type"])
			}
			if v != extend.V20260209 {
				if p["output"] == nil || p["stepType"] != nil {
					t.Errorf("%s %s: want an output and no stepType: %v", v, st, p)
				}
				continue
			}
			result, _ := p["result"].(map[string]any)
			if p["stepType"] != st || result[results[st]] == nil {
				t.Errorf("%s: stepType %v, result %v", st, p["stepType"], result)
			}
		}
	}
}

// A RunID ties samples together: the completion lists the very step runs
// that were delivered one by one, on the same file.
func TestSampleRunIDTiesARun(t *testing.T) {
	runID := "workflow_run_Tq7Lm2Vx9pKd3RzW8nYb"
	done := decodeDelivery(t, mustSample(t, "workflow_run.completed", Options{RunID: runID})).Payload
	if done["id"] != runID {
		t.Fatalf("payload.id %v, want %s", done["id"], runID)
	}
	fileID := done["files"].([]any)[0].(map[string]any)["id"]
	for _, sr := range done["stepRuns"].([]any) {
		inner := sr.(map[string]any)
		if inner["workflowRunId"] != runID {
			t.Errorf("nested step run names run %v", inner["workflowRunId"])
		}
		body := mustSample(t, "workflow_run.step_run.processed", Options{RunID: runID, StepType: inner["stepType"].(string)})
		step := decodeDelivery(t, body).Payload
		if step["workflowRunId"] != runID || step["id"] != inner["id"] {
			t.Errorf("step run %v of run %v; the completion lists %v", step["id"], step["workflowRunId"], inner["id"])
		}
		if got := step["files"].([]any)[0].(map[string]any)["id"]; got != fileID {
			t.Errorf("step run is about file %v, the run about %v", got, fileID)
		}
		if RunIDOf(body) != runID {
			t.Errorf("RunIDOf(step run) = %q", RunIDOf(body))
		}
	}
}

func TestSetField(t *testing.T) {
	body := mustSample(t, "workflow_run.completed", Options{Rand: seeded(1), Now: sampleNow})
	cases := []struct {
		path, value string
		want        any
	}{
		{"payload.status", "FAILED", "FAILED"},
		{"payload.files.0.name", "scan.tiff", "scan.tiff"},
		{"payload.stepRuns.1.result.extractRun.output.value.total.amount", "12.5", 12.5},
		{"payload.reviewed", "true", true},
		{"payload.usage", "null", nil},
		{"payload.metadata", `{"env":"staging"}`, map[string]any{"env": "staging"}},
		{"payload.failureMessage", `"42"`, "42"},
		{"payload.failureReason", "not json at all", "not json at all"},
		{"payload.metadata.env", "prod", "prod"}, // a new last key is added
	}
	for _, c := range cases {
		out, err := SetField(body, c.path, c.value)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		var whole any
		if err := json.Unmarshal(out, &whole); err != nil {
			t.Fatalf("%s: result is not JSON: %v", c.path, err)
		}
		if got := lookup(whole, c.path); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %#v, want %#v", c.path, got, c.want)
		}
		if !bytes.HasSuffix(out, []byte("}\n")) || len(out) < len(body)/2 {
			t.Errorf("%s: layout lost", c.path)
		}
	}
}

func TestSetFieldKeepsOrderAndBytes(t *testing.T) {
	body := mustSample(t, "extract_run.processed", Options{Rand: seeded(3), Now: sampleNow})
	id := decodeDelivery(t, body).EventID
	out, err := SetField(body, "eventId", `"`+id+`"`)
	if err != nil || !bytes.Equal(out, body) {
		t.Errorf("setting a field to its own value changed the body (err %v)", err)
	}
}

func TestSetFieldBadPaths(t *testing.T) {
	body := mustSample(t, "workflow_run.completed", Options{})
	for _, path := range []string{
		"", "payload.nope.name", "payload.files.9.name", "payload.files.x", "payload.files.-1",
		"payload.status.code", "eventId.x",
	} {
		if _, err := SetField(body, path, "1"); err == nil {
			t.Errorf("SetField(%q): no error", path)
		}
	}
	if _, err := SetField([]byte("not json"), "a", "1"); err == nil {
		t.Error("SetField on a non-JSON body: no error")
	}
}

func lookup(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch n := v.(type) {
		case map[string]any:
			v = n[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			v = n[i]
		}
	}
	return v
}
