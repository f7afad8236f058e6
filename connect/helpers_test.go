package connect_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/connect/connecttest"
)

const version = "1.2.3"

// env turns a map into a getenv.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// waits records the waits between retries instead of sleeping.
type waits struct {
	mu  sync.Mutex
	got []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, d)
	return ctx.Err()
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.got...)
}

// newClient makes a client of fake from an environment with extra
// variables, recording its retry waits.
func newClient(t *testing.T, fake *connecttest.Server, extra map[string]string) (*connect.Client, *waits) {
	t.Helper()
	c, err := connect.New(config(t, fake, extra))
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	c.SetSleep(w.sleep)
	return c, w
}

// config reads the environment of fake, with extra variables.
func config(t *testing.T, fake *connecttest.Server, extra map[string]string) connect.Config {
	t.Helper()
	vars := fake.Env()
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := connect.ConfigFromEnv(env(vars), version)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// requests lists the fake's requests as "METHOD /path".
func requests(fake *connecttest.Server) []string {
	var out []string
	for _, r := range fake.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// checkMessage fails the test when an error message spans lines or shows a
// secret.
func checkMessage(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error shows a secret: %q", msg)
		}
	}
}
