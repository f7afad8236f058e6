package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
)

const (
	testPublicURL  = "https://abc123.ngrok.app/?api_version=2026-02-09"
	testEndpointID = "whe_6v1TAFWGbbxLbvzxfNDtQ"
)

// A session that registered its endpoint shows it and its public URL in
// the header, and an empty state with only the step left to do.
func TestGoldenRegisteredSession(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"160x48", 160, 48}} {
		m := newTestModel(t, store.New(10, 0), sz.w, sz.h)
		m.cfg.PublicURL, m.cfg.EndpointID = testPublicURL, testEndpointID
		checkGolden(t, "registered-"+sz.name, m.View().Content)
	}
}

// With a tunnel and no endpoint, the empty state starts from registering
// the public URL.
func TestEmptyStateWithATunnel(t *testing.T) {
	m := newTestModel(t, store.New(10, 0), 120, 40)
	m.cfg.PublicURL = "https://abc123.ngrok.app"
	got := screen(m)
	for _, want := range []string{
		"extend-inspect  listening on http://127.0.0.1:8080 ← https://abc123.ngrok.app",
		"Waiting for webhooks on https://abc123.ngrok.app (received on http://127.0.0.1:8080)",
		"Register https://abc123.ngrok.app as a webhook endpoint",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Expose this address") {
		t.Errorf("the screen asks for a tunnel it has:\n%s", got)
	}
}

// The re-signing copy and the curl export need $EXTEND_WEBHOOK_SECRET; a
// registered session says its own secret is not available to them.
func TestRegisteredSessionSecretNotExported(t *testing.T) {
	const note = "this session's secret is not available to exports"
	for _, registered := range []bool{false, true} {
		m, _, _ := populated(t, 160, 48)
		if registered {
			m.cfg.EndpointID = testEndpointID
		}
		if _, ok := clipboardOf(t, m, "Y"); !ok {
			t.Fatal("Y copied nothing")
		}
		if got := strings.Contains(m.status.text, note); got != registered {
			t.Errorf("registered %v: copy says %q", registered, m.status.text)
		}
		_, done := runExport(t, m, export.Curl, filepath.Join(t.TempDir(), "out"))
		m.Update(done)
		if got := strings.Contains(m.status.text, note); got != registered {
			t.Errorf("registered %v: curl export says %q", registered, m.status.text)
		}
	}
}
