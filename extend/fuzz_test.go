package extend

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func seedFixtures(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtures, "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "{}", "[]", `{"eventId":1}`, `{"payload":{"data":"x"}}`, "\xff", `{"a":"\ud800"}`, `-0.1e+5`, "{\"payload\":{\"id\":\"\xff\"}}",
		`{"eventType":"a\nb","payload":{"object":"x\ud83d\ude00","id":"\ud800\u0041","status":"\u00e9\"\\\/\b\f\n\r\t","failureMessage":"\udc00\ud800\ud800\udc00"}}`,
		"{\"payload\":{\"failureReason\":\"\\n\xff\xe2\x82\\n\",\"stepType\":\"\xed\xa0\x80\",\"data\":\"\\u0068ttps:\\/\\/x\"}}",
		`{"event\u0049d":"a","payload":{"workflow\u0052unId":"w\n","obj\u0065ct":"signed_data_url","data":"u"}}`} {
		f.Add([]byte(s))
	}
	// Parse outputs: strings full of \n escapes that the envelope skips.
	f.Add(parseOutputBody(4<<10, '\n'))
	f.Add(parseOutputBody(1<<20, '\n'))
}

// FuzzParseEnvelope checks the hand-written scanner against encoding/json:
// the same verdict on validity, and the same values for the fields it reads.
func FuzzParseEnvelope(f *testing.F) {
	seedFixtures(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		env := ParseEnvelope(body)
		var doc any
		valid := json.Unmarshal(body, &doc) == nil
		obj, isObject := doc.(map[string]any)
		if got := env.Err() == nil; got != (valid && isObject) {
			t.Fatalf("Err = %v, but encoding/json: valid=%v object=%v", env.Err(), valid, isObject)
		}
		if !isObject {
			return
		}
		check := func(name, got string, want any) {
			s, _ := want.(string)
			if got != s {
				t.Fatalf("%s = %q, encoding/json says %q", name, got, s)
			}
		}
		check("eventId", env.EventID, obj["eventId"])
		check("eventType", env.EventType, obj["eventType"])
		payload, _ := obj["payload"].(map[string]any)
		check("payload.object", env.Object, payload["object"])
		check("payload.id", env.ID, payload["id"])
		check("payload.status", env.Status, payload["status"])
		check("payload.failureReason", env.FailureReason, payload["failureReason"])
		check("payload.failureMessage", env.FailureMessage(), payload["failureMessage"])
		check("payload.workflowRunId", env.WorkflowRunID, payload["workflowRunId"])
		stepType, _ := payload["stepType"].(string)
		if stepType == "" {
			step, _ := payload["step"].(map[string]any)
			stepType, _ = step["type"].(string)
		}
		check("payload.stepType, else payload.step.type", env.StepType, stepType)
		var signedURL any
		if object, _ := payload["object"].(string); object == "" || object == "signed_data_url" {
			signedURL = payload["data"]
		}
		check("signed URL", env.SignedURL(), signedURL)
	})
}

// FuzzVerify feeds arbitrary header values and bodies to the verifier: it
// must never panic, and must call a signature verified only when it is the
// one Sign computes.
func FuzzVerify(f *testing.F) {
	f.Add("1783946100", "3c2dba70ae2c3b80cace4677ce55f66c05675edcdcf0070734e5aa775dc3f6b4", []byte("{}"))
	f.Add("", "", []byte(nil))
	f.Add("-1", "zz", []byte("x"))
	f.Add("99999999999999999999", "00", []byte("x"))
	v := Verifier{Secret: "wss_test"}
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		c := v.Verify(ts, sig, body, timeZero)
		if c.Outcome == Verified && sig != Sign(v.Secret, ts, body) {
			t.Fatalf("verified a wrong signature %q", sig)
		}
		if c.Outcome != Verified && c.Reason == "" {
			t.Fatalf("outcome %s without a reason", c.Outcome)
		}
	})
}
