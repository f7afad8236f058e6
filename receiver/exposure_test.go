package receiver

import (
	"strings"
	"testing"
)

func TestExposed(t *testing.T) {
	cases := map[string]bool{
		"127.0.0.1:4677": false,
		"127.0.0.2:80":   false,
		"[::1]:4677":     false,
		"localhost:4677": false,
		"0.0.0.0:4677":   true,
		"[::]:4677":      true,
		"10.1.2.3:4677":  true,
		"example.test:1": true,
		":4677":          true,
	}
	for addr, want := range cases {
		if got := Exposed(addr); got != want {
			t.Errorf("Exposed(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestMaskSecret(t *testing.T) {
	cases := map[string]string{
		"":                                     "",
		"wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU": "wss_…3GaU",
		"wss_test":                             "wss_…",
		"wss_test_secret_123":                  "wss_…",
		"plain-secret-without-prefix":          "…efix",
		"short":                                "…",
	}
	for secret, want := range cases {
		got := MaskSecret(secret)
		if got != want {
			t.Errorf("MaskSecret(%q) = %q, want %q", secret, got, want)
		}
		if secret != "" && len(secret) > 4 && strings.Contains(got, secret) {
			t.Errorf("MaskSecret(%q) shows it whole", secret)
		}
	}
}
