package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// E hands the terminal to $EDITOR on a private copy of the payload, with
// control bytes escaped, and the screen comes back as it was; the copy is
// removed afterwards.
func TestEditorOpensThePayloadAndTheScreenComesBack(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	const secret = "wss_e2e_editor_4kQ9zV2mT7pL"
	editor := filepath.Join(dir, "editor.sh")
	script := fmt.Sprintf("#!/bin/sh\nstat -c %%a \"$1\" > %[1]s/mode\ncp \"$1\" %[1]s/seen\necho \"$1\" > %[1]s/path\necho EDITOR-IS-RUNNING\nsleep 1\n", dir)
	if err := os.WriteFile(editor, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	s := &tmuxScreen{t: t, socket: fmt.Sprintf("extend-inspect-editor-%d", os.Getpid()), session: "screen"}
	command := fmt.Sprintf("env -u VISUAL EDITOR=%s %s --listen %s --secret %s", editor, bin, addr, secret)
	s.open(120, 40, command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	s.waitFor("empty state", "Waiting for webhooks on http://"+addr)

	post(t, addr, "/webhook", secret, []byte(`{"eventId":"evt_ed","eventType":"workflow_run.failed","payload":{"object":"workflow_run","id":"wr_ed","status":"FAILED","failureMessage":"\u001b]2;pwned\u0007"}}`))
	s.waitFor("delivery", "1 received", "workflow_run.failed")
	s.keys("E")
	s.waitFor("editor", "EDITOR-IS-RUNNING")
	s.waitFor("screen back", "1 received", "workflow_run.failed", "Payload")

	seen, err := os.ReadFile(filepath.Join(dir, "seen"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(seen), "\n  \"eventId\": \"evt_ed\",") {
		t.Errorf("the editor got:\n%s\nwant the payload indented", seen)
	}
	if mode, _ := os.ReadFile(filepath.Join(dir, "mode")); strings.TrimSpace(string(mode)) != "600" {
		t.Errorf("the payload's file had mode %s, want 600", mode)
	}
	path, _ := os.ReadFile(filepath.Join(dir, "path"))
	defer func() {
		if _, err := os.Stat(strings.TrimSpace(string(path))); !os.IsNotExist(err) {
			t.Errorf("%s is still there after the editor exited (%v)", path, err)
		}
	}()

	post(t, addr, "/webhook", secret, []byte("\x1b]2;pwned\x07\x1b[2J not JSON"))
	s.waitFor("raw delivery", "2 received", "(not a JSON object)")
	s.keys("E")
	s.waitFor("editor", "EDITOR-IS-RUNNING")
	s.waitFor("screen back", "2 received", "Payload")
	if seen, _ := os.ReadFile(filepath.Join(dir, "seen")); strings.ContainsRune(string(seen), 0x1b) || !strings.Contains(string(seen), `\x1b]2;pwned\x07`) {
		t.Errorf("the editor got %q, want the control bytes spelled as escapes", seen)
	}
}
