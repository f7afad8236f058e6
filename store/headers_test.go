package store

import (
	"slices"
	"strings"
	"testing"
)

func TestHeadersPackBackAsGiven(t *testing.T) {
	long := strings.Repeat("v", 300) // a length of two varint bytes
	for name, headers := range map[string][]Header{
		"none":   nil,
		"common": {{"Content-Type", "application/json"}, {"X-Extend-Request-Signature", "ab12"}, {"x-extend-request-timestamp", "1700000000"}},
		"other":  {{"X-Trace", "a"}, {"X-Trace", "b"}, {"content-type", "text/plain"}, {"", ""}, {"X-Long", long}, {strings.Repeat("N", 200), "\x00\xff"}},
	} {
		t.Run(name, func(t *testing.T) {
			var ev Event
			ev.SetHeaders(headers)
			if got := mustHeaders(&ev); !slices.Equal(got, headers) {
				t.Errorf("Headers() = %q, want %q", got, headers)
			}
			for _, h := range headers {
				if got := must(ev.Header(strings.ToUpper(h.Name))); got != firstValue(headers, h.Name) {
					t.Errorf("Header(%q) = %q, want %q", h.Name, got, firstValue(headers, h.Name))
				}
			}
			if must(ev.Header("Absent")) != "" {
				t.Error("an absent header has a value")
			}
		})
	}
}

func firstValue(headers []Header, name string) string {
	for _, h := range headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// A common name costs one byte: the dozen headers of a delivery through a
// tunnel pack into little more than their values.
func TestCommonHeaderNamesCostOneByte(t *testing.T) {
	headers := []Header{{"Host", "h"}, {"User-Agent", "u"}, {"X-Forwarded-Proto", "https"}}
	if got, want := len(packHeaders(headers)), 3*2+len("h")+len("u")+len("https"); got != want {
		t.Errorf("packed %d bytes, want %d", got, want)
	}
}

func FuzzHeadersPackBack(f *testing.F) {
	f.Add("Content-Type", "application/json", "X-Other", "")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string) {
		headers := []Header{{n1, v1}, {n2, v2}}
		if got := packHeaders(headers).all(); !slices.Equal(got, headers) {
			t.Errorf("packed and read back %q, want %q", got, headers)
		}
	})
}
