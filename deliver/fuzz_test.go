package deliver

import (
	"net/http"
	"slices"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

// FuzzOutgoing: whatever headers a delivery came with, the ones that
// belong to its connection never reach the app, and every other one does,
// with its value unchanged.
func FuzzOutgoing(f *testing.F) {
	f.Add("keep-alive, X-Hop", "X-Hop", "v")
	f.Add("close", "x-extend-request-signature", "abc")
	f.Add(" ,, te ,", "Te", "trailers")
	f.Add("", "content-length", "12")
	f.Fuzz(func(t *testing.T, connection, name, value string) {
		headers := []store.Header{{Name: "Connection", Value: connection}, {Name: name, Value: value}}
		h := outgoing(headers)
		dropped := slices.Concat(notForwarded, connectionTokens(headers))
		for key := range h {
			if slices.Contains(dropped, key) {
				t.Fatalf("%s was forwarded (Connection: %q)", key, connection)
			}
		}
		canonical := http.CanonicalHeaderKey(name)
		if slices.Contains(dropped, canonical) || canonical == "Content-Type" || canonical == "User-Agent" {
			return
		}
		if !slices.Contains(h[canonical], value) {
			t.Fatalf("%q: %q was dropped or changed: %v", name, value, h)
		}
	})
}
