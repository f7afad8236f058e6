package output

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func addFixtures(f *testing.F) {
	for _, dir := range []string{fixtures, "testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"payload":{"object":"extract_run","output":{"value":[],"metadata":{"":1}}}}`))
	f.Add([]byte(`{"payload":{"object":"split_run","output":{"splits":[{"startPage":1,"endPage":1e300}]}}}`))
	f.Add([]byte(`{"a":"\\\"","b":[[[[`))
}

// FuzzRead reads network bytes: it must never panic, and on valid JSON the
// skimming reader must see the same top-level keys as encoding/json.
func FuzzRead(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rep := Read(body, 0)
		for _, s := range rep.Sections {
			for _, r := range s.Rows {
				_ = r.Detail()
				_ = r.PagesText()
			}
		}
		_ = ReadReview(body, 0)
		_, payload := Payload(body)
		_, _ = CreditsOf(payload)
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) != nil {
			return
		}
		seen := map[string]bool{}
		trimRaw(body).Members(func(k string, v Raw) bool {
			var decoded string
			if json.Unmarshal([]byte(`"`+k+`"`), &decoded) == nil {
				seen[decoded] = true
			}
			if _, ok := m[decoded]; !ok {
				t.Errorf("key %q is not one encoding/json sees", k)
			}
			return true
		})
		if len(seen) != len(m) {
			t.Errorf("skimmed %d keys, encoding/json %d", len(seen), len(m))
		}
	})
}

// FuzzDiff: a valid document never differs from itself, and two documents
// never make the diff panic.
func FuzzDiff(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, a []byte) {
		half := a[:len(a)/2]
		_ = Diff(a, half)
		if json.Valid(a) {
			if d := Diff(a, a); len(d) != 0 {
				t.Errorf("a document differs from itself: %+v", d)
			}
		}
	})
}

func FuzzLinkExpiry(f *testing.F) {
	f.Add("https://x.invalid/p?X-Amz-Date=20260720T091500Z&X-Amz-Expires=3600")
	f.Add("https://x.invalid/p?Expires=99999999999999999999&se=2026-07-20T11:00:00Z")
	f.Fuzz(func(t *testing.T, link string) {
		arrived := time.Unix(1784541600, 0)
		_ = LinkExpiry(link, arrived).Describe(arrived, time.UTC)
	})
}
