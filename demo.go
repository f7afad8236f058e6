package main

import (
	"context"
	"time"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/extend/sample"
)

// demoLead is the pause before the demo's first delivery, so the screen is
// up and the newcomer watches the story arrive rather than find it there.
const demoLead = time.Second

// demoListen is where the demo receives when --listen is not given: a free
// loopback port, so that the demo also runs beside an inspector that holds
// the default one. The screen's header names the port taken.
const demoListen listenAddr = "127.0.0.1:0"

// demoSecret is the secret a demo verifies with: the user's when they gave
// one, else a random one for this run only. Either way the demo's
// deliveries verify and its bad signature does not. It is never shown.
func demoSecret(given string) string {
	if given != "" {
		return given
	}
	return deliver.NewSecret("demo_")
}

// startDemo plays the demo scenario in the background to the receiver
// listening on addr (as receiver.Server.Addr returns it), signed with
// secret. Its signed links point at a download server on loopback that
// lives as long as ctx. It writes nothing anywhere, since the screen owns
// the terminal, and stops when ctx ends or after the story's last delivery.
func startDemo(ctx context.Context, addr, secret string) error {
	url, err := deliver.InspectorURL(addr, "")
	if err != nil {
		return err
	}
	links, err := deliver.ListenLinks("127.0.0.1:0")
	if err != nil {
		return err
	}
	context.AfterFunc(ctx, func() { links.Close() })
	sc := sample.Demo()
	sc.Steps[0].Delay += demoLead
	s := &deliver.Sender{URL: url, Secret: secret, Version: sample.ScenarioVersion}
	go s.Play(ctx, sc, sample.Options{LinkTo: links.Stash}, func(deliver.Result) {})
	return nil
}
