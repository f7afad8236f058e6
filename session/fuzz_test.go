package session

import (
	"bytes"
	"context"
	"testing"

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
