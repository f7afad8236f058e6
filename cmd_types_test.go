package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
)

func TestTypesTable(t *testing.T) {
	code, stdout, stderr := runCLI(t, "types")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	catalogue := extend.Catalogue()
	if len(lines) != len(catalogue)+1 || !strings.HasPrefix(lines[0], "TYPE ") {
		t.Fatalf("%d lines for %d types:\n%s", len(lines), len(catalogue), stdout)
	}
	column := strings.Index(lines[0], "MEANING")
	for i, et := range catalogue {
		row := lines[i+1]
		if !strings.HasPrefix(row, et.Name+" ") || !strings.Contains(row, " "+et.Category.String()+" ") || !strings.Contains(row, " "+et.Object+" ") {
			t.Errorf("row %q does not describe %s", row, et.Name)
		}
		if !strings.HasSuffix(row, et.Meaning) || strings.Index(row, et.Meaning) != column {
			t.Errorf("row %q: meaning not aligned at column %d", row, column)
		}
	}
}

func TestTypesJSONByVersion(t *testing.T) {
	for _, v := range extend.Versions {
		code, stdout, _ := runCLI(t, "types", "-o", "json", "--api-version", string(v))
		// --version, the flag's first name, still works and prints the same.
		if _, old, _ := runCLI(t, "types", "--json", "--version", string(v)); old != stdout {
			t.Errorf("%s: types --json --version differs from -o json --api-version", v)
		}
		var got []typeJSON
		if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil {
			t.Fatalf("%s: exit %d, %v", v, code, err)
		}
		want := extend.TypesIn(v)
		if len(got) != len(want) {
			t.Fatalf("%s: %d types, want %d", v, len(got), len(want))
		}
		for i, et := range want {
			g := got[i]
			if g.Type != et.Name || g.Category != et.Category.String() || g.Object != et.Object || g.Meaning != et.Meaning || len(g.Versions) != len(et.Versions) {
				t.Errorf("%s: entry %+v, want %s", v, g, et.Name)
			}
			if g.Outcome != extend.OutcomeOf(et.Name).String() {
				t.Errorf("%s: outcome %q", et.Name, g.Outcome)
			}
		}
	}
}
