package main

import (
	"context"
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
