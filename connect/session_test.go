package connect_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/extend"
)

func TestSessionNameRoundTrip(t *testing.T) {
	s := connect.Session{Host: "my box", PID: 77, Started: time.Date(2026, 8, 1, 11, 30, 0, 0, time.FixedZone("CEST", 7200))}
	name := s.Name()
	if want := "extend-inspect my-box 77 2026-08-01T09:30:00Z"; name != want {
		t.Errorf("Name() = %q, want %q", name, want)
	}
	got, ok := connect.ParseName(name)
	if !ok || got.Host != "my-box" || got.PID != 77 || !got.Started.Equal(s.Started) {
		t.Errorf("ParseName(%q) = %+v, %v", name, got, ok)
	}
	for _, bad := range []string{
		"extend-inspect", "extend-inspect devbox", "extend-inspect devbox x 2026-08-01T09:30:00Z",
		"extend-inspect devbox -1 2026-08-01T09:30:00Z", "extend-inspect devbox 12 yesterday",
		"extend-inspect devbox 12 2026-08-01T09:30:00Z extra", "prod devbox 12 2026-08-01T09:30:00Z",
	} {
		if _, ok := connect.ParseName(bad); ok {
			t.Errorf("ParseName(%q) accepted", bad)
		}
	}
}

func TestSessionDefaultsToThisProcess(t *testing.T) {
	fake, c := world(t)
	before := time.Now().Add(-time.Second)
	if _, err := c.Register(context.Background(), connect.Options{PublicURL: "https://x.test/"}); err != nil {
		t.Fatal(err)
	}
	s, ok := connect.ParseName(fake.Endpoints()[0].Name)
	if !ok || s.Host != connect.Hostname() || s.PID != os.Getpid() || s.Started.Before(before.Truncate(time.Second)) {
		t.Errorf("session %+v from %q", s, fake.Endpoints()[0].Name)
	}
}

func TestListOwnedAndPrunable(t *testing.T) {
	fake, c := world(t)
	started := "2026-08-01T09:30:00Z"
	dead := fake.Seed("extend-inspect devbox 100 "+started, "https://a.test/", extend.V20260209)
	alive := fake.Seed("extend-inspect devbox 200 "+started, "https://b.test/", extend.V20260209)
	elsewhere := fake.Seed("extend-inspect laptop 100 "+started, "https://c.test/", extend.V20260209)
	odd := fake.Seed("extend-inspect by hand", "https://d.test/", extend.V20260209)
	fake.Seed("production", "https://prod.test/", extend.V20260209)
	for range 25 { // more than a page of someone else's endpoints
		fake.Seed("staging", "https://staging.test/", extend.V20260209)
	}

	owned, err := c.ListOwned(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(owned); !slices.Equal(got, []string{dead, alive, elsewhere, odd}) {
		t.Fatalf("owned %v", got)
	}
	if owned[3].Known || !owned[0].Known || owned[0].Session.PID != 100 {
		t.Errorf("sessions %+v", owned)
	}
	running := func(pid int) bool { return pid == 200 }
	if got := ids(connect.Prunable(owned, false, "devbox", running)); !slices.Equal(got, []string{dead}) {
		t.Errorf("prunable %v, want only %s", got, dead)
	}
	if got := ids(connect.Prunable(owned, true, "devbox", running)); len(got) != 4 {
		t.Errorf("prune --all picks %v", got)
	}
	var states []connect.State
	for _, o := range owned {
		states = append(states, o.State("devbox", running))
	}
	if want := []connect.State{connect.StateDead, connect.StateRunning, connect.StateOtherHost, connect.StateUnknown}; !slices.Equal(states, want) {
		t.Errorf("states %v, want %v", states, want)
	}
}

func ids(owned []connect.Owned) []string {
	var out []string
	for _, o := range owned {
		out = append(out, o.ID)
	}
	return out
}

func TestDeleteOwned(t *testing.T) {
	fake, c := world(t)
	ctx := context.Background()
	mine := fake.Seed("extend-inspect devbox 100 2026-08-01T09:30:00Z", "https://a.test/", extend.V20260209)
	theirs := fake.Seed("production", "https://prod.test/", extend.V20260209)
	err := c.DeleteOwned(ctx, theirs)
	checkMessage(t, err)
	if !strings.Contains(err.Error(), "not created by extend-inspect") {
		t.Errorf("error %q", err)
	}
	if err := c.DeleteOwned(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if eps := fake.Endpoints(); len(eps) != 1 || eps[0].ID != theirs {
		t.Errorf("endpoints left %v", eps)
	}
	err = c.DeleteOwned(ctx, "whe_nothing")
	if !connect.IsNotFound(err) {
		t.Errorf("deleting an unknown id: %v", err)
	}
}

func TestRunning(t *testing.T) {
	if !connect.Running(os.Getpid()) {
		t.Error("this process does not run")
	}
	if connect.Running(0) || connect.Running(-5) {
		t.Error("a nonsense pid runs")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Skip("cannot run a child:", err)
	}
	if connect.Running(cmd.Process.Pid) {
		t.Errorf("pid %d still runs after it exited", cmd.Process.Pid)
	}
}
