// Package watch is the store's readers for scripts and CI: Tailer prints
// every delivery as a JSON line (`tail`), Wait picks the first delivery that
// matches (`wait`). Both follow the store with its one follower, as the
// screen does, and surface what it missed on stderr. Neither knows about
// flags or exit statuses: the root wires them.
package watch

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Match reports whether a delivery's eventType is wanted: --type. nil
// wants every delivery.
type Match func(eventType string) bool

func (m Match) wants(eventType string) bool { return m == nil || m(eventType) }

// warnMissed says on w that n deliveries were evicted from the store before
// what, e.g. "tail could print them"; an event is never lost silently.
func warnMissed(w io.Writer, n uint64, what string) {
	if n == 0 {
		return
	}
	fmt.Fprintf(w, "extend-inspect: %s before %s; raise --capacity or --max-memory\n", deliveries(n, "was dropped", "were dropped"), what)
}

// deliveries counts them in words: "1 delivery was", "3 deliveries were".
func deliveries(n uint64, one, many string) string {
	if n == 1 {
		return "1 delivery " + one
	}
	return fmt.Sprintf("%d deliveries %s", n, many)
}

// printable is text a sender chose, made safe for a terminal: control,
// format (bidi) and other invisible characters are escaped.
func printable(s string) string {
	q := strconv.QuoteToGraphic(s)
	return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}
