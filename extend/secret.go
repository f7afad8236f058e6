package extend

import (
	"fmt"
	"strings"
)

// credentialPrefixes are the readable prefixes of Extend's credentials: a
// webhook signing secret (wss_…) and an API key (sk_…).
var credentialPrefixes = []string{"wss_", "sk_"}

// MaskSecret returns a form of a signing secret or API key that is safe to
// show: its prefix ("wss_", "sk_") and last four characters, as in
// wss_…Yr4u. A secret too short to keep anything hidden shows only the
// prefix.
func MaskSecret(secret string) string {
	if secret == "" {
		return ""
	}
	prefix, rest := "", []rune(secret)
	for _, p := range credentialPrefixes {
		if strings.HasPrefix(secret, p) {
			prefix, rest = p, []rune(secret[len(p):])
			break
		}
	}
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + string(rest[len(rest)-4:])
}

// Secret is a credential (a signing secret, an API key) that prints itself
// masked with every fmt verb, in structs printed with %+v, and in JSON, so
// that holding one in a struct never lets it slip into a message or a log.
// Reveal returns the value for the one place that must use it.
type Secret string

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// String returns the masked form.
func (s Secret) String() string { return MaskSecret(string(s)) }

// Format prints the masked form whatever the verb.
func (s Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// MarshalText encodes the masked form, for JSON and structured logs.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
