package export

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// The one-event command, pasted into a shell with the secret set, delivers
// the exact body, verified.
func TestCurlCommandReplaysVerified(t *testing.T) {
	needTools(t)
	rcv := newTestReceiver(t)
	ev := delivery(3, []byte("{\"eventType\":\"workflow_run.completed\",\"note\":\"it's $HOME `id` \\\\ 100%\"}\r\n\n"),
		storeHeader("X-Shell", `$(touch PWNED) '`))
	ev.Query = "api_version=2026-02-09"
	command, err := CurlCommand(ev, rcv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", command)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "EXTEND_WEBHOOK_SECRET=" + testSecret}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s\ncommand:\n%s", err, out, command)
	}
	if names := listDir(t, cmd.Dir); len(names) != 0 {
		t.Errorf("the command created %v", names)
	}
	got := rcv.got()
	if len(got) != 1 {
		t.Fatalf("%d deliveries arrived, want 1", len(got))
	}
	a := got[0]
	if a.check.Outcome != extend.Verified || !bytes.Equal(a.body, storetest.Body(ev)) || a.query != ev.Query {
		t.Errorf("arrived %v, body %q, query %q; want verified %q", a.check, a.body, a.query, storetest.Body(ev))
	}
	if a.header.Get("X-Shell") != storetest.Header(ev, "X-Shell") {
		t.Errorf("X-Shell = %q", a.header.Get("X-Shell"))
	}
}

func TestCurlCommandRefusesWhatItCannotCarry(t *testing.T) {
	withEscape := delivery(1, []byte("{\"a\":\"\x1b[31m\"}"))
	rejected := delivery(2, nil)
	rejected.Reject("body too large", 20<<20)
	for _, ev := range []*store.Event{withEscape, rejected} {
		if cmd, err := CurlCommand(ev, "127.0.0.1:8080"); err == nil {
			t.Errorf("#%d: got a command:\n%s", ev.Seq, cmd)
		} else if !strings.Contains(err.Error(), "#") {
			t.Errorf("#%d: error %q does not name the event", ev.Seq, err)
		}
	}
}
