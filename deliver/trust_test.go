package deliver

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newTLSApp is an https app with a self-signed certificate, and a PEM file
// of that certificate, as a developer's local https server has.
func newTLSApp(t *testing.T) (app *httptest.Server, caFile string) {
	t.Helper()
	app = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	app.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	app.StartTLS()
	t.Cleanup(app.Close)
	caFile = filepath.Join(t.TempDir(), "app.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: app.Certificate().Raw})
	if err := os.WriteFile(caFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	return app, caFile
}

// Forwarding to an https app with a self-signed certificate fails the
// certificate check, unless the certificate is trusted or not checked.
func TestForwardToASelfSignedApp(t *testing.T) {
	app, caFile := newTLSApp(t)
	roots, err := LoadRoots(caFile)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		trust  Trust
		status int
	}{
		{"system roots", Trust{}, 0},
		{"its certificate trusted", Trust{Roots: roots}, http.StatusAccepted},
		{"insecure", Trust{Insecure: true}, http.StatusAccepted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, st := newForwarder(t, ForwardConfig{URL: app.URL, Trust: c.trust})
			fw := forwardOne(t, f, st, numbered(t, 1))
			if fw.Status != c.status || (c.status == 0) != strings.Contains(fw.Err, "certificate") {
				t.Errorf("status %d, error %q; want %d", fw.Status, fw.Err, c.status)
			}
		})
	}
}

// A replay through a trusting client reaches the self-signed app.
func TestReplayToASelfSignedApp(t *testing.T) {
	app, caFile := newTLSApp(t)
	roots, err := LoadRoots(caFile)
	if err != nil {
		t.Fatal(err)
	}
	client := NewClient(DefaultForwardTimeout, Trust{Roots: roots})
	out, err := Replay(context.Background(), client, app.URL, numbered(t, 1), Resign, testSecret, time.Now())
	if err != nil || out.Forward().Status != http.StatusAccepted {
		t.Fatalf("replay: %v, %+v", err, out.Forward())
	}
}

func TestLoadRootsRefusesWhatIsNoCertificate(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "key.txt")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	for _, path := range []string{notPEM, filepath.Join(t.TempDir(), "missing.pem")} {
		if _, err := LoadRoots(path); err == nil {
			t.Errorf("%s: no error", path)
		}
	}
}
