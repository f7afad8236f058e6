package extend

import "testing"

func TestPathValue(t *testing.T) {
	body := []byte(`{"eventType":"workflow_run.completed","payload":{"id":"wr_1","metadata":{"requestId":"req-9","n":3},"files":[{"id":"f_1"}]}}`)
	cases := []struct {
		path, want string
		ok         bool
	}{
		{"payload.metadata.requestId", "req-9", true},
		{"payload.metadata.n", "3", true},
		{"payload.files.0.id", "f_1", true},
		{"payload.files.1.id", "", false},
		{"payload.metadata.missing", "", false},
		{"eventType.x", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := PathValue(body, c.path)
		if got != c.want || ok != c.ok {
			t.Errorf("PathValue(%q) = %q, %v; want %q, %v", c.path, got, ok, c.want, c.ok)
		}
	}
	if _, ok := PathValue([]byte("not json"), "a"); ok {
		t.Error("PathValue of a non-JSON body succeeded")
	}
}

func FuzzPathValue(f *testing.F) {
	f.Add([]byte(`{"payload":{"metadata":{"requestId":"r"}}}`), "payload.metadata.requestId")
	f.Add([]byte(`[1,[2]]`), "1.0")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		if v, ok := PathValue(body, path); !ok && v != "" {
			t.Fatalf("PathValue(%q) failed but returned %q", path, v)
		}
	})
}
