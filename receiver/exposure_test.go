package receiver

import "testing"

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
