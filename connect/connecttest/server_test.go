package connecttest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
)

// call sends a raw request with the headers a correct client sends, less
// any named in drop.
func call(t *testing.T, s *Server, method, path, body string, drop ...string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+APIKey)
	req.Header.Set("x-extend-api-version", "2026-02-09")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range drop {
		req.Header.Del(h)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var answer map[string]any
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("%s %s: answer %q is not JSON", method, path, raw)
	}
	return resp.StatusCode, answer
}

const goodEndpoint = `{"url":"https://x.test/","name":"n","enabledEvents":["workflow.created"],"apiVersion":"2026-02-09"}`

func TestServerRefusesWhatExtendRefuses(t *testing.T) {
	s := New(t)
	s.AddResource(extend.ResourceWorkflow, "workflow_a", "A")
	_, created := call(t, s, "POST", "/webhook_endpoints", goodEndpoint)
	id, _ := created["id"].(string)
	sub := func(fields string) string {
		return `{"webhookEndpointId":"` + id + `",` + fields + `}`
	}
	cases := []struct {
		name, method, path, body string
		drop                     []string
		status                   int
	}{
		{"no key", "GET", "/workflows", "", []string{"Authorization"}, 401},
		{"no version header", "GET", "/workflows", "", []string{"x-extend-api-version"}, 400},
		{"no content type", "POST", "/webhook_endpoints", goodEndpoint, []string{"Content-Type"}, 400},
		{"unknown field", "POST", "/webhook_endpoints", strings.Replace(goodEndpoint, `"name"`, `"description":"d","name"`, 1), nil, 400},
		{"unknown nested field", "POST", "/webhook_endpoints", strings.Replace(goodEndpoint, `"name"`, `"advancedOptions":{"retries":3},"name"`, 1), nil, 400},
		{"two objects", "POST", "/webhook_endpoints", goodEndpoint + goodEndpoint, nil, 400},
		{"no apiVersion", "POST", "/webhook_endpoints", `{"url":"https://x.test/","name":"n","enabledEvents":["workflow.created"]}`, nil, 400},
		{"workflow_run on the endpoint", "POST", "/webhook_endpoints", strings.Replace(goodEndpoint, "workflow.created", "workflow_run.completed", 1), nil, 400},
		{"relative url", "POST", "/webhook_endpoints", strings.Replace(goodEndpoint, "https://x.test/", "/hooks", 1), nil, 400},
		{"unknown query parameter", "GET", "/webhook_endpoints?limit=5", "", nil, 400},
		{"page size too big", "GET", "/workflows?maxPageSize=1000", "", nil, 400},
		{"bad page token", "GET", "/workflows?nextPageToken=abc", "", nil, 400},
		{"unknown endpoint", "DELETE", "/webhook_endpoints/whe_nope", "", nil, 404},
		{"subscription field missing", "POST", "/webhook_subscriptions", sub(`"resourceType":"workflow","resourceId":"workflow_a"`), nil, 400},
		{"subscription of a wrong type", "POST", "/webhook_subscriptions", sub(`"resourceType":"extractor","resourceId":"workflow_a","enabledEvents":["extract_run.processed"]`), nil, 400},
		{"subscription with foreign events", "POST", "/webhook_subscriptions", sub(`"resourceType":"workflow","resourceId":"workflow_a","enabledEvents":["extract_run.processed"]`), nil, 400},
		{"subscription of nothing", "POST", "/webhook_subscriptions", sub(`"resourceType":"workflow","resourceId":"workflow_b","enabledEvents":["workflow_run.failed"]`), nil, 404},
		{"unknown route", "GET", "/extractors", "", nil, 404},
	}
	for _, c := range cases {
		status, answer := call(t, s, c.method, c.path, c.body, c.drop...)
		errObj, _ := answer["error"].(map[string]any)
		if status != c.status || errObj["code"] == "" || errObj["requestId"] == "" {
			t.Errorf("%s: %d %v, want %d with an error object", c.name, status, answer, c.status)
		}
	}
	if n := len(s.Endpoints()); n != 1 {
		t.Errorf("%d endpoints after the refusals, want the one good", n)
	}
}

func TestServerSecretOnceAndCascade(t *testing.T) {
	s := New(t)
	s.AddResource(extend.ResourceWorkflow, "workflow_a", "A")
	status, created := call(t, s, "POST", "/webhook_endpoints", goodEndpoint)
	secret, _ := created["signingSecret"].(string)
	if status != 200 || len(secret) != len("wss_")+32 || !strings.HasPrefix(secret, "wss_") {
		t.Fatalf("create: %d %v", status, created)
	}
	id := created["id"].(string)
	_, list := call(t, s, "GET", "/webhook_endpoints", "")
	_, one := call(t, s, "GET", "/webhook_endpoints/"+id, "")
	for _, answer := range []map[string]any{list, one} {
		if raw, _ := json.Marshal(answer); strings.Contains(string(raw), secret) || strings.Contains(string(raw), "signingSecret") {
			t.Errorf("a read shows the secret: %s", raw)
		}
	}
	status, _ = call(t, s, "POST", "/webhook_subscriptions",
		`{"webhookEndpointId":"`+id+`","resourceType":"workflow","resourceId":"workflow_a","enabledEvents":["workflow_run.failed"]}`)
	if status != 200 || len(s.Subscriptions()) != 1 {
		t.Fatalf("subscribe: %d", status)
	}
	if status, _ := call(t, s, "DELETE", "/webhook_endpoints/"+id, ""); status != 200 {
		t.Fatalf("delete: %d", status)
	}
	if len(s.Endpoints()) != 0 || len(s.Subscriptions()) != 0 {
		t.Error("the subscription outlived its endpoint")
	}
}

func TestServerFaults(t *testing.T) {
	s := New(t)
	s.Fail("GET /workflows", Fault{Status: 429, Code: "RATE_LIMITED", Message: "m", Times: 2})
	s.Fail("GET /workflows", Fault{Status: 500, Code: "OLD", Message: "legacy", Legacy: true, Times: 1})
	want := []int{429, 429, 500, 200}
	for i, w := range want {
		status, answer := call(t, s, "GET", "/workflows", "")
		if status != w {
			t.Errorf("call %d: %d, want %d", i, status, w)
		}
		if status == 500 && answer["code"] != "OLD" {
			t.Errorf("legacy fault answered %v", answer)
		}
	}
}
