package extend

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestMaskSecret(t *testing.T) {
	cases := map[string]string{
		"":                                     "",
		"wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU": "wss_…3GaU",
		"wss_test":                             "wss_…",
		"wss_test_secret_123":                  "wss_…",
		"sk_live_4eC39HqLyjWDarjtT1zdp7dc":     "sk_…p7dc",
		"sk_short":                             "sk_…",
		"plain-secret-without-prefix":          "…efix",
		"short":                                "…",
	}
	for secret, want := range cases {
		got := MaskSecret(secret)
		if got != want {
			t.Errorf("MaskSecret(%q) = %q, want %q", secret, got, want)
		}
		if len(secret) > 4 && strings.Contains(got, secret) {
			t.Errorf("MaskSecret(%q) shows it whole", secret)
		}
	}
}

func TestSecretNeverPrintsItself(t *testing.T) {
	const raw = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	holder := struct {
		Key   Secret
		Other string
	}{Secret(raw), "x"}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		outputs = append(outputs, fmt.Sprintf(verb, holder.Key), fmt.Sprintf(verb, holder))
	}
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("cfg", "holder", holder, "key", holder.Key)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cfg", "holder", holder, "key", holder.Key)
	outputs = append(outputs, string(js), logged.String(), fmt.Sprint(holder.Key))
	for _, out := range outputs {
		if strings.Contains(out, raw) || strings.Contains(out, "4eC39Hq") {
			t.Errorf("the secret shows in %q", out)
		}
	}
	if holder.Key.Reveal() != raw {
		t.Errorf("Reveal = %q", holder.Key.Reveal())
	}
}
