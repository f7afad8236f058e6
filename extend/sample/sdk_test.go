package sample

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
)

// sdkTypes is testdata/sdk-fields.json: the webhook types of Extend's
// TypeScript SDK (npm extend-ai), reduced by testdata/sdkfields.mjs to what
// a field check needs. Type expressions keep the SDK's TypeScript syntax:
// Name, T[], T | null, Record<string, T>, "literal", string, number,
// boolean, unknown.
type sdkTypes struct {
	Source  map[string]string
	Events  map[string]string // eventType (or "signed_data_url") -> envelope type
	Objects map[string]struct{ Required, Optional map[string]string }
	Unions  map[string][]string
	Aliases map[string]string
	Enums   map[string][]string
}

func loadSDKTypes(t *testing.T) *sdkTypes {
	t.Helper()
	data, err := os.ReadFile("testdata/sdk-fields.json")
	if err != nil {
		t.Fatal(err)
	}
	var s sdkTypes
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("testdata/sdk-fields.json: %v", err)
	}
	return &s
}

// check reports every way v departs from the type expression: a required
// field missing, a field the type does not define, a wrong kind of value,
// an enum value the SDK does not list.
func (s *sdkTypes) check(path string, v any, expr string) []string {
	alts := splitTop(expr, " | ")
	if len(alts) > 1 {
		return s.checkUnion(path, v, alts)
	}
	switch {
	case expr == "unknown":
		return nil
	case expr == "null", expr == "string", expr == "number", expr == "boolean":
		return kindProblem(path, v, expr)
	case strings.HasPrefix(expr, `"`):
		if lit, _ := v.(string); `"`+lit+`"` != expr {
			return []string{fmt.Sprintf("%s: %v, want %s", path, v, expr)}
		}
		return nil
	case strings.HasSuffix(expr, "[]"):
		return s.checkArray(path, v, strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(expr, "[]"), "("), ")"))
	case strings.HasPrefix(expr, "Record<string, "):
		return s.checkRecord(path, v, strings.TrimSuffix(strings.TrimPrefix(expr, "Record<string, "), ">"))
	}
	if values, ok := s.Enums[expr]; ok {
		if str, _ := v.(string); !slices.Contains(values, str) {
			return []string{fmt.Sprintf("%s: %v is not a %s (%v)", path, v, expr, values)}
		}
		return nil
	}
	if alias, ok := s.Aliases[expr]; ok {
		return s.check(path, v, alias)
	}
	if members, ok := s.Unions[expr]; ok {
		return s.checkUnion(path, v, members)
	}
	return s.checkObject(path, v, expr)
}

// checkUnion accepts v if one alternative fits; otherwise it reports the
// alternative that came closest.
func (s *sdkTypes) checkUnion(path string, v any, alts []string) []string {
	var best []string
	for i, alt := range alts {
		problems := s.check(path, v, alt)
		if len(problems) == 0 {
			return nil
		}
		if i == 0 || len(problems) < len(best) {
			best = problems
		}
	}
	return best
}

func (s *sdkTypes) checkArray(path string, v any, elem string) []string {
	arr, ok := v.([]any)
	if !ok {
		return []string{fmt.Sprintf("%s: %T, want an array of %s", path, v, elem)}
	}
	var problems []string
	for i, e := range arr {
		problems = append(problems, s.check(fmt.Sprintf("%s.%d", path, i), e, elem)...)
	}
	return problems
}

func (s *sdkTypes) checkRecord(path string, v any, elem string) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: %T, want an object of %s", path, v, elem)}
	}
	var problems []string
	for k, e := range m {
		problems = append(problems, s.check(path+"."+k, e, elem)...)
	}
	return problems
}

// checkObject is the field check proper: required ⊆ present ⊆ allowed.
func (s *sdkTypes) checkObject(path string, v any, name string) []string {
	def, ok := s.Objects[name]
	if !ok {
		return []string{fmt.Sprintf("%s: type %s is not in sdk-fields.json", path, name)}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: %T, want a %s object", path, v, name)}
	}
	var problems []string
	for f := range def.Required {
		if _, present := m[f]; !present {
			problems = append(problems, fmt.Sprintf("%s: %s lacks required field %q", path, name, f))
		}
	}
	for f, fv := range m {
		typ, required := def.Required[f]
		if !required {
			var optional bool
			if typ, optional = def.Optional[f]; !optional {
				problems = append(problems, fmt.Sprintf("%s: %s does not define field %q", path, name, f))
				continue
			}
		}
		problems = append(problems, s.check(path+"."+f, fv, typ)...)
	}
	return problems
}

func kindProblem(path string, v any, want string) []string {
	var ok bool
	switch want {
	case "null":
		ok = v == nil
	case "string":
		_, ok = v.(string)
	case "number":
		_, ok = v.(float64)
	case "boolean":
		_, ok = v.(bool)
	}
	if ok {
		return nil
	}
	return []string{fmt.Sprintf("%s: %v is not a %s", path, v, want)}
}

// splitTop splits a type expression at sep outside <> and ().
func splitTop(expr, sep string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '<', '(':
			depth++
		case '>', ')':
			depth--
		}
		if depth == 0 && strings.HasPrefix(expr[i:], sep) {
			parts = append(parts, expr[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(parts, expr[start:])
}

func TestSDKFieldsData(t *testing.T) {
	s := loadSDKTypes(t)
	if s.Source["package"] != "extend-ai" || s.Source["version"] == "" {
		t.Errorf("testdata/sdk-fields.json does not say which SDK it came from: %v", s.Source)
	}
	for _, et := range extend.TypesIn(extend.V20260209) {
		if _, ok := s.Events[et.Name]; !ok {
			t.Errorf("the SDK's WebhookEvent union lacks %s", et.Name)
		}
	}
	if len(s.Events) != len(extend.TypesIn(extend.V20260209))+1 {
		t.Errorf("the SDK has %d event types, the catalogue %d (plus signed_data_url)", len(s.Events), len(extend.TypesIn(extend.V20260209)))
	}
}

// TestSamplesFollowSDK walks every 2026-02-09 sample, in every variant the
// generator can take, and checks each object against the SDK's type.
func TestSamplesFollowSDK(t *testing.T) {
	s := loadSDKTypes(t)
	for _, et := range extend.TypesIn(extend.V20260209) {
		variants := []Options{{}, {SignedURL: true}}
		if et.Name == "workflow_run.step_run.processed" {
			for _, st := range StepTypes(extend.V20260209) {
				variants = append(variants, Options{StepType: st})
			}
		}
		if et.Name == "workflow_run.completed" {
			variants = append(variants, Options{Reviewed: true}) // the approval of a held run
		}
		for seed := range uint64(12) { // random branches: failure reasons, inline configs, createdBy, batches
			variants = append(variants, Options{Rand: seeded(seed)})
		}
		for _, opt := range variants {
			body := mustSample(t, et.Name, opt)
			envelope := s.Events[et.Name]
			if opt.SignedURL {
				envelope = s.Events["signed_data_url"]
			}
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatal(err)
			}
			for _, p := range s.check("body", v, envelope) {
				t.Errorf("%s (%s, step %q): %s", et.Name, envelope, opt.StepType, p)
			}
		}
	}
}

// The checker itself must catch what it is there to catch.
func TestSDKCheckerCatches(t *testing.T) {
	s := loadSDKTypes(t)
	body := mustSample(t, "workflow_run.completed", Options{Rand: seeded(5), Now: sampleNow})
	mutations := map[string]func(p map[string]any){
		"missing required field": func(p map[string]any) { delete(p, "dashboardUrl") },
		"field not in the type":  func(p map[string]any) { p["url"] = "https://example.com" },
		"nested extra field":     func(p map[string]any) { p["files"].([]any)[0].(map[string]any)["presignedUrl"] = "x" },
		"enum value":             func(p map[string]any) { p["status"] = "DONE" },
		"wrong kind":             func(p map[string]any) { p["reviewed"] = "no" },
		"wrong step result": func(p map[string]any) {
			p["stepRuns"].([]any)[0].(map[string]any)["result"] = map[string]any{"rules": []any{}}
		},
	}
	for name, mutate := range mutations {
		var v map[string]any
		_ = json.Unmarshal(body, &v)
		mutate(v["payload"].(map[string]any))
		if problems := s.check("body", v, s.Events["workflow_run.completed"]); len(problems) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}
