package connect_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/connect/connecttest"
)

const key = "sk_live_Zq81mVt0pLx5RwY2nB7cK3dH"

func TestConfigFromEnvRegions(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{}, "https://api.extend.ai"},
		{map[string]string{"EXTEND_REGION": "us"}, "https://api.extend.ai"},
		{map[string]string{"EXTEND_REGION": "us2"}, "https://api.us2.extend.app"},
		{map[string]string{"EXTEND_REGION": "eu"}, "https://api.eu1.extend.ai"},
		{map[string]string{"EXTEND_REGION": "eu", "EXTEND_BASE_URL": "http://127.0.0.1:9"}, "http://127.0.0.1:9"},
	}
	for _, c := range cases {
		c.vars["EXTEND_API_KEY"] = key
		cfg, err := connect.ConfigFromEnv(env(c.vars), version)
		if err != nil {
			t.Fatalf("%v: %v", c.vars, err)
		}
		if cfg.BaseURL != c.want {
			t.Errorf("%v: base URL %s, want %s", c.vars, cfg.BaseURL, c.want)
		}
	}
}

func TestConfigFromEnvRefuses(t *testing.T) {
	cases := map[string]map[string]string{
		"EXTEND_API_KEY": {},
		"EXTEND_REGION":  {"EXTEND_API_KEY": key, "EXTEND_REGION": "mars", "EXTEND_BASE_URL": "http://127.0.0.1:9"},
	}
	for want, vars := range cases {
		_, err := connect.ConfigFromEnv(env(vars), version)
		checkMessage(t, err, key)
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %q does not name %s", vars, err, want)
		}
	}
	for _, base := range []string{"api.extend.ai", "ftp://x", "https://user:pw@x", "http://x/?a=b", "%zz"} {
		cfg, err := connect.ConfigFromEnv(env(map[string]string{"EXTEND_API_KEY": key, "EXTEND_BASE_URL": base}), version)
		if err == nil {
			_, err = connect.New(cfg)
		}
		checkMessage(t, err, key, "pw@")
	}
}

// Every request carries the key, the management API's version, the
// User-Agent and, when set, the workspace; a body comes with its type.
func TestHeaders(t *testing.T) {
	for _, extra := range []map[string]string{
		{},
		{"EXTEND_WORKSPACE_ID": "ws_123", "EXTEND_API_VERSION": "2025-04-21"},
	} {
		fake := connecttest.New(t)
		c, _ := newClient(t, fake, extra)
		ctx := context.Background()
		if _, err := c.ListEndpoints(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.CreateEndpoint(ctx, connect.NewEndpoint{URL: "https://x.test/", Name: "n", EnabledEvents: []string{"workflow.created"}, APIVersion: "2026-02-09"}); err != nil {
			t.Fatal(err)
		}
		wantVersion := extra["EXTEND_API_VERSION"]
		if wantVersion == "" {
			wantVersion = "2026-02-09"
		}
		for i, r := range fake.Requests() {
			h := r.Header
			check := func(name, want string) {
				if got := h.Get(name); got != want {
					t.Errorf("request %d %s %s: %s = %q, want %q", i, r.Method, r.Path, name, got, want)
				}
			}
			check("Authorization", "Bearer "+connecttest.APIKey)
			check("x-extend-api-version", wantVersion)
			check("User-Agent", "extend-inspect/"+version)
			check("X-Extend-Workspace-Id", extra["EXTEND_WORKSPACE_ID"])
			if _, has := h["X-Extend-Workspace-Id"]; has != (extra["EXTEND_WORKSPACE_ID"] != "") {
				t.Errorf("request %d: workspace header present = %v", i, has)
			}
			wantType := ""
			if len(r.Body) > 0 {
				wantType = "application/json"
			}
			check("Content-Type", wantType)
		}
	}
}

// The key never prints: not the client, not its config, not an error.
func TestKeyNeverPrinted(t *testing.T) {
	fake := connecttest.New(t)
	cfg := config(t, fake, map[string]string{"EXTEND_API_KEY": key})
	c, _ := newClient(t, fake, map[string]string{"EXTEND_API_KEY": key})
	_, err := c.ListEndpoints(context.Background()) // the fake wants another key: a 401
	checkMessage(t, err, key, "Zq81mVt0")
	if !strings.Contains(err.Error(), "UNAUTHORIZED") || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("401 error: %q", err)
	}
	for _, out := range []string{
		fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", *c),
		fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), c.String(),
	} {
		if strings.Contains(out, "Zq81mVt0") {
			t.Errorf("the key shows in %q", out)
		}
	}
	if !strings.Contains(c.String(), "sk_…K3dH") {
		t.Errorf("String() = %q, want the masked key", c.String())
	}
}
