package export

import (
	"bytes"
	"context"
	"testing"
)

// FuzzReadSession feeds ReadSession arbitrary bytes: session files hold
// what came from the network. Whatever it loads must survive being written
// again as JSONL and as HAR and read back: same count, same bodies.
func FuzzReadSession(f *testing.F) {
	session := jsonlOf(f, variety())
	f.Add(session)
	f.Add(session[:len(session)-7])
	var har bytes.Buffer
	if err := writeHAR(context.Background(), &har, variety(), Options{}); err != nil {
		f.Fatal(err)
	}
	f.Add(har.Bytes())
	f.Add([]byte(otherHAR))
	for _, s := range []string{"", "\n", "{}", `{"log":`, `{"log":{"entries":[{}]}}`, "\xef\xbb\xbf{\"seq\":1}", `{"seq":1,"method":"POST","bodyBase64":"!!"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, _, err := ReadSession(bytes.NewReader(data))
		if err != nil {
			if events != nil {
				t.Fatalf("an error with %d events", len(events))
			}
			return
		}
		for _, write := range []encoder{writeJSONL, writeHAR} {
			var out bytes.Buffer
			if err := write(context.Background(), &out, events, Options{}); err != nil {
				t.Fatalf("write again: %v", err)
			}
			back, warn, err := ReadSession(&out)
			if err != nil || warn != nil || len(back) != len(events) {
				t.Fatalf("read again: %d of %d events, warn %v, err %v\n%s", len(back), len(events), warn, err, out.Bytes())
			}
			for i, ev := range events {
				if !bytes.Equal(back[i].Body, ev.Body) || (back[i].Body == nil) != (ev.Body == nil) {
					t.Fatalf("event %d body %q became %q", i, ev.Body, back[i].Body)
				}
			}
		}
	})
}
