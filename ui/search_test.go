package ui

import (
	"bytes"
	"strings"
	"testing"
)

// naiveFind is the obvious search the index must agree with.
func naiveFind(fields string, body []byte, q string) bool {
	lq := string(lowerASCII([]byte(q))) // ASCII letters fold; others match exactly
	return strings.Contains(string(lowerASCII([]byte(fields))), lq) ||
		bytes.Contains(lowerASCII(bytes.Clone(body)), []byte(lq))
}

func TestFindAgreesWithNaiveSearch(t *testing.T) {
	body := []byte(`{"eventId":"event_Qm4tV8","eventType":"workflow_run.completed","payload":{"Status":"PROCESSED","name":"Ünïcode ÄB","n":12.5}}`)
	var ix gramIndexer
	st := ix.index("workflow_run.completed event_Qm4tV8 PROCESSED", body)
	for _, q := range []string{"", "e", "Q", "qm4t", "PROCESSED", "status", "sTaTuS", "ünïcode", "ÄB", "12.5", "zz", "completedx", `"n":12`, "}}", "workflow_run.completed event"} {
		got := st.find(newTextQuery(q), 0) >= 0
		if want := naiveFind(string(st.fields), body, q); got != want {
			t.Errorf("find(%q) = %v, want %v", q, got, want)
		}
	}
}

// Narrowing from a previous match position finds what a full search finds.
func TestFindResumesFromAPreviousMatch(t *testing.T) {
	body := []byte(`{"a":"usual","b":"usage","c":"usage-based"}`)
	var ix gramIndexer
	st := ix.index("", body)
	at := st.find(newTextQuery("us"), 0)
	for _, q := range []string{"usa", "usag", "usage", "usage-"} {
		next := st.find(newTextQuery(q), at)
		if full := st.find(newTextQuery(q), 0); next != full {
			t.Fatalf("find(%q) from %d = %d, from 0 = %d", q, at, next, full)
		}
		at = next
	}
}

func FuzzFind(f *testing.F) {
	f.Add("workflow_run", []byte(`{"eventType":"workflow_run.completed"}`), "RUN.c")
	f.Add("", []byte("\xff\x00abcABC"), "bca")
	f.Fuzz(func(t *testing.T, fields string, body []byte, q string) {
		var ix gramIndexer
		st := ix.index(fields, body)
		got := st.find(newTextQuery(q), 0) >= 0
		if want := naiveFind(string(st.fields), body, q); got != want {
			t.Fatalf("fields %q body %q: find(%q) = %v, want %v", fields, body, q, got, want)
		}
	})
}

func TestIndexFoldAnchorsOnTheRarestByte(t *testing.T) {
	hay := []byte(strings.Repeat("eeeeeeeeee", 100) + "eXqe")
	if got := indexFold(hay, []byte("exqe"), rarest([]byte("exqe"))); got != 1000 {
		t.Errorf("indexFold = %d, want 1000", got)
	}
}
