package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/themes"
)

// everyCommand lists the command tree users get, hidden commands aside.
func everyCommand(cmd *cobra.Command) []*cobra.Command {
	all := []*cobra.Command{cmd}
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() || sub.Name() == "help" {
			all = append(all, everyCommand(sub)...)
		}
	}
	return all
}

// args is the command line that names cmd, without the program's name.
func args(cmd *cobra.Command) []string {
	return strings.Fields(cmd.CommandPath())[1:]
}

// Every --help fits an 80-column terminal, and lists only the command's
// own flags: no command inherits the receiving flags it would ignore.
func TestEveryHelpFitsEightyColumns(t *testing.T) {
	cmds := everyCommand(newRootCmd())
	if len(cmds) < 15 {
		t.Fatalf("walked %d commands: the tree is not all there", len(cmds))
	}
	for _, cmd := range cmds {
		code, stdout, stderr := runCLI(t, append(args(cmd), "--help")...)
		if code != 0 || stdout == "" {
			t.Errorf("%s --help: exit %d, stderr %q", cmd.CommandPath(), code, stderr)
		}
		for _, line := range strings.Split(stdout, "\n") {
			if w := ansi.StringWidth(strings.ReplaceAll(line, "\t", "        ")); w > helpWidth {
				t.Errorf("%s --help: %d columns: %q", cmd.CommandPath(), w, line)
			}
		}
		if strings.Contains(stdout, "Global Flags") {
			t.Errorf("%s --help inherits flags:\n%s", cmd.CommandPath(), stdout)
		}
	}
}

// A flag belongs to the commands that read it.
func TestFlagsOnlyWhereTheyApply(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"types", "--forward-to", "x"}, "unknown flag: --forward-to"},
		{[]string{"types", "--forward-to", "x", "--respond", "500"}, "unknown flag: --forward-to"},
		{[]string{"verify", "--capacity", "5"}, "unknown flag: --capacity"},
		{[]string{"export", "x.jsonl", "--listen", "127.0.0.1:0"}, "unknown flag: --listen"},
		{[]string{"tail", "--theme", "dark"}, "unknown flag: --theme"},
		{[]string{"send", "--insecure"}, "unknown flag: --insecure"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", c.args, code, stderr, c.want)
		}
	}
	for _, cmd := range []string{"tail", "wait", "open"} {
		_, stdout, _ := runCLI(t, cmd, "--help")
		for _, flag := range []string{"-f, --forward-to", "--insecure", "--ca-file", "--listen", "--respond"} {
			if !strings.Contains(stdout, flag) {
				t.Errorf("%s --help lacks %s", cmd, flag)
			}
		}
	}
}

// version says what --version says: the version, the commit, Go's version.
func TestVersionCommand(t *testing.T) {
	code, fromCmd, _ := runCLI(t, "version")
	_, fromFlag, _ := runCLI(t, "--version")
	if code != 0 || fromCmd != fromFlag || !strings.Contains(fromCmd, "commit ") || !strings.Contains(fromCmd, "go1.") {
		t.Errorf("version %q, --version %q", fromCmd, fromFlag)
	}
}

// The real binary completes --theme with the theme names, through cobra's
// hidden __complete command the shell scripts call.
func TestCompletionOfTheme(t *testing.T) {
	out, err := exec.Command(buildBinary(t), "__complete", "--theme", "").Output()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(string(out), "\n") {
		if name, _, _ := strings.Cut(line, "\t"); name != "" && !strings.HasPrefix(name, ":") {
			got = append(got, name)
		}
	}
	if strings.Join(got, " ") != strings.Join(themes.Names(), " ") {
		t.Errorf("completed %q, want %q", got, themes.Names())
	}
}

// Every flag of these names completes its values, on every command that
// has one, however it was added.
func TestValueCompletion(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"open", "x.jsonl", "--theme", "l"}, "light"},
		{[]string{"export", "x.jsonl", "--format", ""}, "har"},
		{[]string{"export", "x.jsonl", "--category", "p"}, "processor_run"},
		{[]string{"types", "--api-version", ""}, "2025-04-21"},
		{[]string{"send", "--api-version", "2024"}, "2024-12-23"},
		{[]string{"send", "--scenario", ""}, "demo"},
		{[]string{"send", "workflow_run.comp"}, "workflow_run.completed"},
		{[]string{"tail", "--type", "workflow_run.completed,extract_run.f"}, "workflow_run.completed,extract_run.failed"},
		{[]string{"wait", "--type", "workflow_run.f"}, "workflow_run.failed"},
		{[]string{"tail", "--events", "extract_run.p"}, "extract_run.processed"},
		{[]string{"tail", "--api-version", "2025"}, "2025-04-21"},
		{[]string{"--tunnel", ""}, "ngrok"},
	}
	for _, c := range cases {
		_, stdout, _ := runCLI(t, append([]string{"__complete"}, c.args...)...)
		if !strings.Contains(stdout, c.want+"\t") && !strings.Contains(stdout, c.want+"\n") {
			t.Errorf("%v: completions %q lack %q", c.args, stdout, c.want)
		}
	}
	// A flag added to a command after it was built completes too.
	root := newRootCmd()
	cmd, _, _ := root.Find([]string{"verify"})
	cmd.Flags().StringSlice("events", nil, "")
	registerCompletions(root)
	if _, ok := cmd.GetFlagCompletionFunc("events"); !ok {
		t.Error("--events added later has no completion")
	}
}

// man writes a page for every command users can run.
func TestManWritesAPagePerCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1")
	if code, _, stderr := runCLI(t, "man", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, cmd := range everyCommand(newRootCmd()) {
		if cmd.Name() == "help" {
			continue // cobra writes no page for its help command
		}
		page := filepath.Join(dir, strings.ReplaceAll(cmd.CommandPath(), " ", "-")+".1")
		b, err := os.ReadFile(page)
		if err != nil || !strings.Contains(string(b), cmd.Short) && cmd.Short != "" {
			t.Errorf("%s: %v", page, err)
		}
	}
}
