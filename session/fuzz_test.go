package session

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// FuzzReadSession feeds Read arbitrary bytes: session files hold
// what came from the network. Whatever it loads must survive being written
// again as JSONL and as HAR and read back: same count, same bodies.
func FuzzReadSession(f *testing.F) {
	session := jsonlOf(f, variety())
	f.Add(session)
	f.Add(session[:len(session)-7])
	f.Add(encode(f, export.HAR, variety()))
	f.Add([]byte(otherHAR))
	f.Add(append(jsonlOf(f, variety()[:1]), `{"seq":1,"update":"forward","forward":{"url":"http://app/","status":500}}`+"\n"...))
	for _, s := range []string{"", "\n", "{}", `{"log":`, `{"log":{"entries":[{}]}}`, "\xef\xbb\xbf{\"seq\":1}", `{"seq":1,"method":"POST","bodyBase64":"!!"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, _, err := Read(bytes.NewReader(data), opt)
		if err != nil {
			if events != nil {
				t.Fatalf("an error with %d events", len(events))
			}
			return
		}
		for _, format := range []export.Format{export.JSONL, export.HAR} {
			var out bytes.Buffer
			if err := export.Encode(context.Background(), &out, events, export.Options{Format: format}); err != nil {
				t.Fatalf("write again: %v", err)
			}
			back, warn, err := Read(&out, opt)
			if err != nil || warn != nil || len(back) != len(events) {
				t.Fatalf("read again: %d of %d events, warn %v, err %v\n%s", len(back), len(events), warn, err, out.Bytes())
			}
			for i, ev := range events {
				if !bytes.Equal(storetest.Body(back[i]), storetest.Body(ev)) || (storetest.Body(back[i]) == nil) != (storetest.Body(ev) == nil) {
					t.Fatalf("event %d body %q became %q", i, storetest.Body(ev), storetest.Body(back[i]))
				}
			}
		}
	})
}

// FuzzOpenKeepsBodies checks the bodies and headers Open keeps in the file
// against those Read holds in memory, for arbitrary session files: the
// same events, the same bytes, the same headers and the API version they
// name. It covers finding each body's and headers' token in its line, and
// decoding it again.
func FuzzOpenKeepsBodies(f *testing.F) {
	f.Add(jsonlOf(f, variety()))
	f.Add([]byte(`  {"body":"a\"b\u00e9\ud800","seq":1,"method":"POST","body":"c","headers":{"X":"\"c\""}}` + "\n"))
	f.Add([]byte(`{"seq":1,"method":"POST","bodyBase64":"/w==","body":null}` + "\n" + `{"seq":2,"method":"POST","bodyBase64":""}`))
	f.Add([]byte(`{"seq":1,"method":"POST","body":"\xff\xfe"}` + "\r\n\n" + `{"seq":2,"method":"POST","body":"x"}`))
	f.Add([]byte(`{"seq":1,"method":"POST","headers":{"A":"1","x-extend-api-version":"2025-04-21"},"Headers":{"B":"\u00e9"}}` + "\n" +
		`{"seq":2,"method":"POST","headers":{"a":"1","A":"2"},"body":"x"}` + "\n" + `{"seq":3,"method":"POST","headers":null}` + "\n" +
		`{"seq":4,"method":"POST","headers":{}}` + "\n" + `{"seq":5,"method":"POST","headers":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		held, _, err := Read(bytes.NewReader(data), opt)
		if err != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "session.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		st := store.New(1000, 1<<40)
		l, err := Open(path, opt, Bounds{}, st)
		if err != nil {
			t.Fatalf("Read loads %d events, Open fails: %v", len(held), err)
		}
		defer l.Close()
		l.Wait()
		kept := st.All()
		if len(kept) != len(held) {
			t.Fatalf("Open loads %d events, Read %d", len(kept), len(held))
		}
		for i, ev := range held {
			got, err := kept[i].Body()
			want := storetest.Body(ev)
			if err != nil || !bytes.Equal(got, want) || (got == nil) != (want == nil) || kept[i].BodyLen() != len(want) {
				t.Fatalf("event %d: kept body %q (%v), held %q", i, got, err, want)
			}
			if kept[i].EventType() != ev.EventType() || kept[i].Category != ev.Category {
				t.Fatalf("event %d: kept as %q %v, held as %q %v", i, kept[i].EventType(), kept[i].Category, ev.EventType(), ev.Category)
			}
			headers, err := kept[i].Headers()
			if err != nil || !slices.Equal(headers, storetest.Headers(ev)) {
				t.Fatalf("event %d: kept headers %q (%v), held %q", i, headers, err, storetest.Headers(ev))
			}
			if !slices.Equal(kept[i].Versions(), ev.Versions()) || kept[i].VersionSource() != ev.VersionSource() {
				t.Fatalf("event %d: kept version %v from %q, held %v from %q", i, kept[i].Versions(), kept[i].VersionSource(), ev.Versions(), ev.VersionSource())
			}
		}
	})
}
