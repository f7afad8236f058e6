package receiver

import (
	"net"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
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

// MaskSecret returns a form of a signing secret that is safe to show (see
// extend.MaskSecret, the one definition of the masked form).
func MaskSecret(secret string) string { return extend.MaskSecret(secret) }
