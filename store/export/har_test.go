package export

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// field is one HAR 1.2 field: its JSON type and whether it is required.
type field struct {
	kind     string // "string", "number", "array", "object", "boolean"
	required bool
}

// harSchema lists, per HAR 1.2 object, every field the spec defines. A
// field that is not listed must be custom: its name starts with '_'.
var harSchema = map[string]map[string]field{
	"log": {"version": {"string", true}, "creator": {"object", true}, "browser": {"object", false},
		"pages": {"array", false}, "entries": {"array", true}, "comment": {"string", false}},
	"creator": {"name": {"string", true}, "version": {"string", true}, "comment": {"string", false}},
	"entry": {"pageref": {"string", false}, "startedDateTime": {"string", true}, "time": {"number", true},
		"request": {"object", true}, "response": {"object", true}, "cache": {"object", true},
		"timings": {"object", true}, "serverIPAddress": {"string", false}, "connection": {"string", false},
		"comment": {"string", false}},
	"request": {"method": {"string", true}, "url": {"string", true}, "httpVersion": {"string", true},
		"cookies": {"array", true}, "headers": {"array", true}, "queryString": {"array", true},
		"postData": {"object", false}, "headersSize": {"number", true}, "bodySize": {"number", true},
		"comment": {"string", false}},
	"response": {"status": {"number", true}, "statusText": {"string", true}, "httpVersion": {"string", true},
		"cookies": {"array", true}, "headers": {"array", true}, "content": {"object", true},
		"redirectURL": {"string", true}, "headersSize": {"number", true}, "bodySize": {"number", true},
		"comment": {"string", false}},
	"header": {"name": {"string", true}, "value": {"string", true}, "comment": {"string", false}},
	// "encoding" on postData is the proposed extension documented on
	// harPostData; it is checked below to be "base64" and nothing else.
	"postData": {"mimeType": {"string", true}, "params": {"array", false}, "text": {"string", false},
		"encoding": {"string", false}, "comment": {"string", false}},
	"content": {"size": {"number", true}, "compression": {"number", false}, "mimeType": {"string", true},
		"text": {"string", false}, "encoding": {"string", false}, "comment": {"string", false}},
	"cache": {"beforeRequest": {"object", false}, "afterRequest": {"object", false}, "comment": {"string", false}},
	"timings": {"blocked": {"number", false}, "dns": {"number", false}, "connect": {"number", false},
		"send": {"number", true}, "wait": {"number", true}, "receive": {"number", true},
		"ssl": {"number", false}, "comment": {"string", false}},
}

// The pattern har-validator's schema applies to startedDateTime.
var iso8601 = regexp.MustCompile(`^(\d{4})(-)?(\d\d)(-)?(\d\d)(T)?(\d\d)(:)?(\d\d)(:)?(\d\d)(\.\d+)?(Z|([+-])(\d\d)(:)?(\d\d))$`)

// harChecker walks a decoded HAR and records every departure from the spec.
type harChecker struct{ problems []string }

func (c *harChecker) fail(path, format string, args ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, args...))
}

// object checks obj against the named schema and returns it.
func (c *harChecker) object(path, schema string, v any) map[string]any {
	obj, ok := v.(map[string]any)
	if !ok {
		c.fail(path, "is %T, want an object", v)
		return nil
	}
	fields := harSchema[schema]
	for name, f := range fields {
		got, present := obj[name]
		if !present {
			if f.required {
				c.fail(path, "required field %q missing", name)
			}
			continue
		}
		if kind := jsonKind(got); kind != f.kind {
			c.fail(path+"."+name, "is a %s, want a %s", kind, f.kind)
		}
	}
	for name := range obj {
		if _, known := fields[name]; !known && !strings.HasPrefix(name, "_") {
			c.fail(path, "field %q is neither HAR 1.2 nor custom (_-prefixed)", name)
		}
	}
	return obj
}

func (c *harChecker) list(path, schema string, v any) {
	items, _ := v.([]any)
	for i, item := range items {
		c.object(fmt.Sprintf("%s[%d]", path, i), schema, item)
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case bool:
		return "boolean"
	}
	return "null"
}

func (c *harChecker) har(doc map[string]any) {
	log := c.object("log", "log", doc["log"])
	if log == nil {
		return
	}
	if log["version"] != "1.2" {
		c.fail("log.version", "%v, want 1.2", log["version"])
	}
	creator := c.object("log.creator", "creator", log["creator"])
	if creator != nil && creator["name"] != "extend-inspect" {
		c.fail("log.creator.name", "%v", creator["name"])
	}
	entries, _ := log["entries"].([]any)
	for i, e := range entries {
		c.entry(fmt.Sprintf("log.entries[%d]", i), e)
	}
}

func (c *harChecker) entry(path string, v any) {
	e := c.object(path, "entry", v)
	if e == nil {
		return
	}
	if s, _ := e["startedDateTime"].(string); !iso8601.MatchString(s) {
		c.fail(path+".startedDateTime", "%q is not ISO 8601", s)
	}
	if req := c.object(path+".request", "request", e["request"]); req != nil {
		c.request(path+".request", req)
	}
	if resp := c.object(path+".response", "response", e["response"]); resp != nil {
		c.list(path+".response.headers", "header", resp["headers"])
		c.list(path+".response.cookies", "header", resp["cookies"])
		c.object(path+".response.content", "content", resp["content"])
	}
	c.object(path+".cache", "cache", e["cache"])
	if t := c.object(path+".timings", "timings", e["timings"]); t != nil {
		var sum float64
		for _, name := range []string{"blocked", "dns", "connect", "send", "wait", "receive"} {
			if ms, ok := t[name].(float64); ok && ms >= 0 {
				sum += ms
			} else if ok && (name == "send" || name == "wait" || name == "receive") {
				c.fail(path+".timings."+name, "%v is negative", ms)
			}
		}
		if e["time"] != sum {
			c.fail(path+".time", "%v, want the sum of the timings, %v", e["time"], sum)
		}
	}
}

func (c *harChecker) request(path string, req map[string]any) {
	if u, err := url.Parse(fmt.Sprint(req["url"])); err != nil || !u.IsAbs() || u.Host == "" {
		c.fail(path+".url", "%v is not an absolute URL", req["url"])
	}
	c.list(path+".headers", "header", req["headers"])
	c.list(path+".queryString", "header", req["queryString"])
	c.list(path+".cookies", "header", req["cookies"])
	if pd, ok := req["postData"]; ok {
		postData := c.object(path+".postData", "postData", pd)
		if enc, ok := postData["encoding"]; ok && enc != "base64" {
			c.fail(path+".postData.encoding", "%v", enc)
		}
		if _, text := postData["text"]; !text {
			c.fail(path+".postData", "no text: the body is lost")
		}
	}
}

func TestHARIsHAR12(t *testing.T) {
	events := variety()
	res := export(t, events, Options{Format: HAR, Listen: "[::]:8750", Version: "1.0.0"})
	raw, err := os.ReadFile(onlyFile(t, res, "events.har"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var c harChecker
	c.har(doc)
	for _, p := range c.problems {
		t.Error(p)
	}
	entries := doc["log"].(map[string]any)["entries"].([]any)
	if len(entries) != len(events) {
		t.Fatalf("%d entries for %d events", len(entries), len(events))
	}
	for i, ev := range events {
		req := entries[i].(map[string]any)["request"].(map[string]any)
		pd, hasBody := req["postData"].(map[string]any)
		if hasBody != (ev.HasBody()) {
			t.Errorf("#%d: postData present = %v, body %q", ev.Seq, hasBody, storetest.Body(ev))
			continue
		}
		if !hasBody {
			continue
		}
		text := []byte(pd["text"].(string))
		if pd["encoding"] == "base64" {
			text, err = base64.StdEncoding.DecodeString(string(text))
		}
		if err != nil || !bytes.Equal(text, storetest.Body(ev)) {
			t.Errorf("#%d: postData %v does not carry the body %q", ev.Seq, pd, storetest.Body(ev))
		}
	}
	if url := entries[0].(map[string]any)["request"].(map[string]any)["url"]; url != "http://127.0.0.1:8750/hooks/extend?api_version=2026-02-09" {
		t.Errorf("url = %v: an unspecified listen host must become loopback", url)
	}
}

func TestHARURLUsesTheHostHeader(t *testing.T) {
	ev := delivery(1, envelope("workflow.deployed", "evt_1"), storeHeader("Host", "hooks.example.test:8443"))
	if got := requestURL(ev, storetest.Headers(ev), "127.0.0.1:8750"); got != "http://hooks.example.test:8443/hooks/extend?api_version=2026-02-09" {
		t.Errorf("url = %s", got)
	}
	headers := storetest.Headers(ev)
	headers[len(headers)-1].Value = "evil.test/x?y#"
	ev.SetHeaders(headers)
	if got := requestURL(ev, storetest.Headers(ev), "127.0.0.1:8750"); got != "http://127.0.0.1:8750/hooks/extend?api_version=2026-02-09" {
		t.Errorf("a Host header that would change the URL must be ignored: %s", got)
	}
}

func TestHARCheckerCatchesMistakes(t *testing.T) {
	doc := map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]any{"name": "extend-inspect"},
		"entries": []any{map[string]any{"startedDateTime": "yesterday", "time": 1.0, "extra": true}},
	}}
	var c harChecker
	c.har(doc)
	for _, want := range []string{`"version" missing`, "not ISO 8601", `"request" missing`, `field "extra"`, `"timings" missing`} {
		if !strings.Contains(strings.Join(c.problems, "\n"), want) {
			t.Errorf("checker missed %s in %v", want, c.problems)
		}
	}
}
