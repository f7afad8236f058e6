package receiver

import (
	"net"
	"strings"
)

// Exposed reports whether addr (HOST:PORT, as Start returns it) can be
// reached from other machines. Deliveries carry customers' document data,
// so the caller warns the user when it can.
func Exposed(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// MaskSecret returns a form of a signing secret that is safe to show: its
// "wss_" prefix and last four characters, as in wss_…Yr4u. A secret too short
// to keep anything hidden shows only the prefix.
func MaskSecret(secret string) string {
	if secret == "" {
		return ""
	}
	prefix, rest := "", []rune(secret)
	if strings.HasPrefix(secret, "wss_") {
		prefix, rest = "wss_", []rune(secret[len("wss_"):])
	}
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + string(rest[len(rest)-4:])
}
