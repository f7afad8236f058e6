package deliver

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// benchApp is an app that reads each delivery and answers 200, recording
// nothing, so the benchmark measures the forwarding.
func benchApp(b *testing.B) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// delivery16KB is a signed 16 KB delivery with Extend's headers.
func delivery16KB(b *testing.B) *store.Event {
	prefix := `{"eventId":"evt_bench","eventType":"workflow_run.completed","payload":{"pad":"`
	suffix := `"}}`
	body := prefix + strings.Repeat("x", 16<<10-len(prefix)-len(suffix)) + suffix
	return received(b, []byte(body), time.Now())
}

func reportRate(b *testing.B, start time.Time) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkForward16KB stores b.N deliveries of 16 KB for the forwarder to
// follow, DefaultInFlight at a time, and waits for every answer.
func BenchmarkForward16KB(b *testing.B) {
	st := store.New(b.N, 1<<50) // the events share one body: the bound is on paper only
	f, err := NewForwarder(st, ForwardConfig{URL: benchApp(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close(b.Context())
	proto := delivery16KB(b)
	events := make([]store.Event, b.N)
	headers := storetest.Headers(proto)
	b.SetBytes(int64(len(storetest.Body(proto))))
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		events[i] = store.Event{Query: proto.Query}
		events[i].SetHeaders(headers)
		events[i].SetBody(storetest.Body(proto))
		st.Append(&events[i])
	}
	for i := range events {
		result(b, f, &events[i])
	}
	reportRate(b, start)
	b.StopTimer()
	if s := f.Stats(); s.Answered != uint64(b.N) {
		b.Fatalf("stats %+v, want all %d answered", s, b.N)
	}
}

// BenchmarkPassThrough16KB forwards synchronously from concurrent
// callers, as the receiver's handlers do under --respond pass-through.
func BenchmarkPassThrough16KB(b *testing.B) {
	f, _ := newForwarder(b, ForwardConfig{URL: benchApp(b)})
	proto := delivery16KB(b)
	headers := storetest.Headers(proto)
	b.SetBytes(int64(len(storetest.Body(proto))))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ev := &store.Event{}
			ev.SetHeaders(headers)
			ev.SetBody(storetest.Body(proto))
			if fw := f.ForwardSync(b.Context(), ev); fw.Status != http.StatusOK {
				panic(fmt.Sprintf("forward result %+v", fw))
			}
		}
	})
	reportRate(b, start)
}
