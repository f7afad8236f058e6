package export

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/extend-inspect/extend-inspect/store"
)

// maxName bounds a file name in bytes, well under every filesystem's limit
// (255) and short enough to read in a listing.
const maxName = 120

// unknownPart stands in for a name part that is empty or has nothing safe.
const unknownPart = "unknown"

// eventStem names an event's files, before any extension:
// <seq>-<eventType>-<eventId>, with the sequence number zero-padded so a
// listing sorts in delivery order. eventType and eventId come from the
// network, so each is cleaned; the stem is cut so that the longest
// extension used with it, plus a copy number, still fits maxName.
func eventStem(ev *store.Event, longestExt string) string {
	stem := fmt.Sprintf("%06d-%s-%s", ev.Seq, cleanPart(ev.EventType()), cleanPart(ev.Envelope.EventID))
	return fitStem(stem, maxName-len(longestExt)-len(copySuffix(maxCopies)))
}

// cleanPart keeps the letters, digits, '.', '_' and '-' of s and turns every
// other rune (separators, control and format characters, spaces, quotes)
// into '_'. It stops reading once the result is longer than any name can
// be, so a 10 KB eventId costs nothing. An empty part becomes "unknown".
func cleanPart(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() > maxName {
			break
		}
		if safeRune(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return unknownPart
	}
	return b.String()
}

func safeRune(r rune) bool {
	switch {
	case r == '.' || r == '_' || r == '-':
		return true
	case r == utf8.RuneError:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// fitStem cuts stem to at most limit bytes on a rune boundary and makes sure
// it cannot be read as a hidden file, an option, "." or "..".
func fitStem(stem string, limit int) string {
	if len(stem) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut--
		}
		stem = stem[:cut]
	}
	stem = strings.TrimLeft(stem, ".-")
	if stem == "" {
		return unknownPart
	}
	return stem
}

// copySuffix tells the nth file of one name from the first: "", "-2", ...
func copySuffix(n int) string {
	if n <= 1 {
		return ""
	}
	return "-" + strconv.Itoa(n)
}

// numbered is name with copy number n before its extension:
// events.har, events-2.har, ...
func numbered(name string, n int) string {
	base, ext, found := strings.Cut(name, ".")
	if !found {
		return name + copySuffix(n)
	}
	return base + copySuffix(n) + "." + ext
}
