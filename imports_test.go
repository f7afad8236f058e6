package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/extend-inspect/extend-inspect"

// allowedImports is the import direction of the layout: which of the
// project's packages each may import. A package's sub-packages belong to it
// (store/export is store), and may import each other. main, at the root,
// may import anything. A new top-level package must be added here.
var allowedImports = map[string][]string{
	"extend":   nil,
	"keymap":   nil,
	"themes":   nil,
	"respond":  {"extend"},
	"store":    {"extend"},
	"receiver": {"store", "extend", "respond"},
	"deliver":  {"store", "extend"},
	"connect":  {"extend"},
	"session":  {"store", "extend"},
	"watch":    {"store", "extend"},
	"ui":       {"store", "extend", "keymap", "themes", "respond", "session"},
	"scripts":  nil, // scripts/proc; the scripts themselves are programs (go run), outside the build
}

// stdlibOnly are the packages that may import nothing outside the standard
// library. Their sub-packages belong to them here too: extend/sample is
// standard library only, like extend.
var stdlibOnly = []string{"extend"}

func TestImportDirections(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f",
		`{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`,
		"./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	edges := parseImports(t, out)
	if len(edges) < 3 {
		t.Fatalf("go list found only %d packages", len(edges))
	}
	for _, problem := range importProblems(edges) {
		t.Error(problem)
	}
}

// parseImports reads `go list` lines: a package, then what it imports.
func parseImports(t *testing.T, out []byte) map[string][]string {
	edges := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 0 {
			edges[fields[0]] = fields[1:]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return edges
}

// importProblems lists every import that goes against the layout.
func importProblems(edges map[string][]string) []string {
	var problems []string
	for pkg, imports := range edges {
		from, ours := layer(pkg)
		if !ours || from == "" {
			continue
		}
		allowed, known := allowedImports[from]
		if !known {
			problems = append(problems, fmt.Sprintf("%s is not in the layout: add %q to allowedImports in imports_test.go", pkg, from))
			continue
		}
		for _, imp := range imports {
			if p := checkImport(from, pkg, imp, allowed); p != "" {
				problems = append(problems, p)
			}
		}
	}
	slices.Sort(problems)
	return problems
}

func checkImport(from, pkg, imp string, allowed []string) string {
	to, ours := layer(imp)
	switch {
	case !ours && slices.Contains(stdlibOnly, from) && !isStdlib(imp):
		return fmt.Sprintf("%s imports %s: %s may use the standard library only", pkg, imp, from)
	case !ours || to == from || slices.Contains(allowed, to):
		return ""
	case to == "":
		return fmt.Sprintf("%s imports the main package", pkg)
	}
	return fmt.Sprintf("%s imports %s: %s may import only %v", pkg, imp, from, allowed)
}

// layer names the top-level package a package of this module belongs to
// ("" for the root); ours is false for packages of other modules.
func layer(pkg string) (name string, ours bool) {
	pkg = strings.TrimSuffix(pkg, ".test")
	pkg, _, _ = strings.Cut(pkg, " ") // "x [x.test]" variants
	if pkg == module {
		return "", true
	}
	rest, ok := strings.CutPrefix(pkg, module+"/")
	if !ok {
		return "", false
	}
	name, _, _ = strings.Cut(rest, "/")
	return strings.TrimSuffix(name, "_test"), true
}

func isStdlib(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// The rules themselves must catch what they are for.
func TestImportProblemsCatchesWrongDirections(t *testing.T) {
	cases := []struct {
		pkg, imp string
		bad      bool
	}{
		{module + "/extend", module + "/store", true},
		{module + "/ui", module + "/receiver", true},
		{module + "/ui/list", module + "/deliver", true},
		{module + "/store", module + "/receiver", true},
		{module + "/receiver", module + "/ui", true},
		{module + "/respond", module + "/receiver", true},
		{module + "/watch", module + "/deliver", true},
		{module + "/ui", module + "/respond", false},
		{module + "/keymap", module + "/themes", true},
		{module + "/store", module + "/session", true},
		{module + "/session", module + "/receiver", true},
		{module + "/session", module + "/ui", true},
		{module + "/extend", "github.com/tidwall/gjson", true},
		{module + "/extend/sample", "github.com/tidwall/gjson", true},
		{module + "/extend/sample", module + "/store", true},
		{module + "/extend/sample", module + "/deliver", true},
		{module + "/extend/output", module + "/store", true},
		{module + "/extend/output", "github.com/tidwall/gjson", true},
		{module + "/newthing", "fmt", true},
		{module + "/receiver", module + "/store", false},
		{module + "/store/export", module + "/store", false},
		{module + "/store/export", module + "/extend", false},
		{module + "/ui", module + "/themes", false},
		{module + "/session", module + "/store/export/har", false},
		{module + "/store", "github.com/tidwall/gjson", false},
		{module, module + "/ui", false},
		{module + "/extend", "crypto/hmac", false},
		{module + "/extend/sample", module + "/extend", false},
		{module + "/extend/sample", "math/rand/v2", false},
		{module + "/extend/output", module + "/extend", false},
		{module + "/ui", module + "/extend/output", false},
		{module + "/deliver", module + "/extend/sample", false},
		{module + "/ui", module + "/extend/sample", false},
	}
	for _, c := range cases {
		got := importProblems(map[string][]string{c.pkg: {c.imp}})
		if bad := len(got) > 0; bad != c.bad {
			t.Errorf("%s -> %s: problems %q, want bad=%v", c.pkg, c.imp, got, c.bad)
		}
	}
}
