package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/receiver"
	"github.com/extend-inspect/extend-inspect/store"
)

// The demo reaches the real receiver, and its deliveries verify with the
// per-run secret. The whole story is deliver's TestPlayDemo.
func TestStartDemoPlaysToTheReceiver(t *testing.T) {
	secret := demoSecret("")
	if secret == demoSecret("") || demoSecret("wss_mine") != "wss_mine" {
		t.Fatal("demoSecret: want a fresh secret per run, or the user's")
	}
	st := store.New(100, 1<<20)
	changed, unsubscribe := st.Subscribe()
	defer unsubscribe()
	cfg := receiver.DefaultConfig()
	cfg.Listen, cfg.Secret = "127.0.0.1:0", secret
	srv := receiver.New(cfg, st)
	addr, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stopReceiver(&receiving{Server: srv})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := startDemo(ctx, addr, secret); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery from the demo")
	}
	ev, ok := st.Get(1)
	first := sample.Demo()
	if !ok || ev.EventType() != first.Steps[0].Type || ev.Verification.Outcome != extend.Verified {
		t.Fatalf("first demo delivery %+v, want a verified %s", ev, first.Steps[0].Type)
	}
}

// --demo without --listen plays beside an inspector that holds the default
// port: it takes a free port, and the header names it. The real binary, in
// tmux, with the default port held.
func TestDemoTakesAFreePort(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	held, err := net.Listen("tcp", receiver.DefaultListen)
	switch {
	case err == nil:
		defer held.Close()
	case !errors.Is(err, syscall.EADDRINUSE): // in use already serves as well
		t.Fatal(err)
	}
	bin := buildBinary(t)
	s := &tmuxScreen{t: t, socket: fmt.Sprintf("extend-inspect-demo-%d", os.Getpid()), session: "demo"}
	// The shell stays, so that a demo that could not start leaves its error on the screen.
	s.open(120, 40, bin+" --demo; sleep 60")
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })

	screen := s.waitFor("the demo's first delivery", "listening on http://127.0.0.1:", sample.Demo().Steps[0].Type)
	port := regexp.MustCompile(`listening on http://127\.0\.0\.1:(\d+)`).FindStringSubmatch(screen)
	if _, def, _ := net.SplitHostPort(receiver.DefaultListen); port == nil || port[1] == def {
		t.Errorf("the header names port %v, want the free port the demo took, not %s:\n%s", port, def, screen)
	}
}
