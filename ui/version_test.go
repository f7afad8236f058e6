package ui

import (
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// The Summary says which of the URL, the header Extend sends and the
// payload's shape decided the API version.
func TestSummaryNamesTheVersionSource(t *testing.T) {
	cases := []struct {
		query, header, want string
	}{
		{"api_version=2025-04-21", "2026-02-09", "2025-04-21 (from the endpoint's ?api_version=)"},
		{"", "2026-02-09", "2026-02-09 (from the " + extend.APIVersionHeader + " header)"},
		{"", "", "(guessed from the payload's shape)"},
	}
	for _, c := range cases {
		g := newEventMaker()
		ev := g.event(t, "extract_run.processed")
		ev.Query = c.query
		if c.header != "" {
			ev.SetHeaders(append(storetest.Headers(ev), store.Header{Name: extend.APIVersionHeader, Value: c.header}))
		}
		st := store.New(10, 0)
		st.Append(ev)
		m := newTestModel(t, st, 160, 48)
		pull(m)
		press(m, "s")
		if s := screen(m); !strings.Contains(s, c.want) {
			t.Errorf("query %q, header %q: the Summary lacks %q:\n%s", c.query, c.header, c.want, s)
		}
	}
}
