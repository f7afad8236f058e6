package receiver

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
)

// delivery is one prepared, signed request.
type delivery struct {
	body   []byte
	header http.Header
}

// benchDeliveries builds n signed extract-run deliveries of exactly size
// bytes, each with its own eventId.
func benchDeliveries(n, size int) []delivery {
	ds := make([]delivery, n)
	now := time.Now()
	for i := range ds {
		body := sizedBody(i, size)
		ds[i] = delivery{body, signedHeaders(testSecret, body, now)}
	}
	return ds
}

// sizedBody is a realistic extract-run body padded with trailing white space
// to exactly size bytes (at least a few hundred).
func sizedBody(id, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"eventId":"event_%010d","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_%010d","status":"PROCESSED","output":{"value":[`, id, id)
	const closing = "]}}}"
	for i := 0; ; i++ {
		item := fmt.Sprintf(`{"name":"line_item_%d","value":"Widget model %d, blue","confidence":0.93}`, i, i)
		if b.Len()+len(item)+1+len(closing) > size {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	b.WriteString(closing)
	for b.Len() < size {
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func benchClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}}
}

func send(c *http.Client, url string, d delivery) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.body))
	if err != nil {
		return 0, err
	}
	req.Header = d.header.Clone()
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// serveBare runs the baseline: a server that only reads the body and
// answers, with the receiver's timeouts.
func serveBare(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			writeJSON(w, http.StatusOK, ack(1))
		}),
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		IdleTimeout:       DefaultIdleTimeout,
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// BenchmarkIngest sends 16 KB signed deliveries from parallel keep-alive
// clients, first to the bare baseline, then through the real receiver into a
// store with the default bounds. The receiver's run reports its throughput as
// a fraction of the baseline's ("of-bare"); run both together:
//
//	go test -run XXX -bench Ingest ./receiver/
func BenchmarkIngest(b *testing.B) {
	const size = 16 << 10
	ds := benchDeliveries(512, size)
	var bareNs float64
	b.Run("bare", func(b *testing.B) {
		bareNs = ingest(b, serveBare(b), ds)
	})
	b.Run("receiver", func(b *testing.B) {
		_, _, url := startReceiver(b, Config{Secret: testSecret, Tolerance: DefaultTolerance})
		ns := ingest(b, url, ds)
		if bareNs > 0 {
			b.ReportMetric(bareNs/ns, "of-bare")
		}
	})
}

// ingest posts the deliveries round-robin and returns nanoseconds per
// delivery.
func ingest(b *testing.B, url string, ds []delivery) float64 {
	const perCPU = 4
	client := benchClient(perCPU * runtime.GOMAXPROCS(0))
	defer client.CloseIdleConnections()
	var next atomic.Uint64
	b.SetBytes(int64(len(ds[0].body)))
	b.SetParallelism(perCPU)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d := ds[next.Add(1)%uint64(len(ds))]
			if status, err := send(client, url, d); err != nil || status != http.StatusOK {
				b.Errorf("answer %d, %v", status, err)
				return
			}
		}
	})
	return float64(b.Elapsed().Nanoseconds()) / float64(b.N)
}

// BenchmarkAckLatency sends 16 KB signed deliveries at a steady 2,000 per
// second (b.N of them, open loop: each is sent at its scheduled time whether
// or not earlier ones were answered) and reports the percentiles of the time
// from sending to the acknowledgement. Fix the count for a stable p99:
//
//	go test -run XXX -bench AckLatency -benchtime 10000x ./receiver/
func BenchmarkAckLatency(b *testing.B) {
	const (
		rate    = 2000
		workers = 32
	)
	ds := benchDeliveries(512, 16<<10)
	_, _, url := startReceiver(b, Config{Secret: testSecret, Tolerance: DefaultTolerance})
	client := benchClient(workers)
	defer client.CloseIdleConnections()
	for _, d := range ds[:workers] { // open the connections before timing
		send(client, url, d)
	}
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / rate)))
				sent := time.Now()
				if status, err := send(client, url, ds[i%int64(len(ds))]); err != nil || status != http.StatusOK {
					b.Errorf("answer %d, %v", status, err)
					return
				}
				latencies[i] = time.Since(sent)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}

// BenchmarkMemoryPerEvent stores rounds of deliveries through the handler
// and reports the live heap each stored event holds after a collection,
// against the budget of 1.3 x body + 1 KB ("of-budget" must stay at or below
// 1), and the store's own estimate of it ("estimate-B/event").
func BenchmarkMemoryPerEvent(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10} {
		b.Run(fmt.Sprintf("body=%dB", size), func(b *testing.B) {
			const perRound = 2000
			var heap, estimate float64
			for range b.N {
				h, e := storeRound(b, perRound, size)
				heap += h / float64(b.N)
				estimate += e / float64(b.N)
			}
			b.ReportMetric(heap, "B/event")
			b.ReportMetric(heap/(1.3*float64(size)+1024), "of-budget")
			b.ReportMetric(estimate, "estimate-B/event")
		})
	}
}

// storeRound sends n deliveries of size bytes into a fresh store and returns
// the heap growth and the store's estimate, per event.
func storeRound(b *testing.B, n, size int) (heap, estimate float64) {
	st := store.New(n, 1<<40)
	srv := New(Config{Listen: "127.0.0.1:0", Secret: testSecret, Tolerance: DefaultTolerance}, st)
	addr, err := srv.Start()
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown(b.Context())
	client := benchClient(1)
	before := liveHeap()
	now := time.Now()
	for i := range n {
		body := sizedBody(i, size)
		if status, err := send(client, "http://"+addr, delivery{body, signedHeaders(testSecret, body, now)}); err != nil || status != http.StatusOK {
			b.Fatalf("answer %d, %v", status, err)
		}
	}
	client.CloseIdleConnections()
	after := liveHeap()
	if got := len(st.All()); got != n {
		b.Fatalf("stored %d of %d", got, n)
	}
	return float64(after-before) / float64(n), float64(st.Stats().Bytes) / float64(n)
}

func liveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkSmallBehindSlowUploads measures how long a small delivery waits
// while slow uploads are in flight: chunked bodies that sent five bytes and
// went silent, as many as "slow" says.
//
//	go test -run XXX -bench SmallBehindSlow ./receiver/
func BenchmarkSmallBehindSlowUploads(b *testing.B) {
	for _, n := range []int{7, 70} {
		b.Run(fmt.Sprintf("slow=%d", n), func(b *testing.B) {
			_, srv, url := startReceiver(b, Config{})
			stalled(b, srv, n, stalledChunked)
			client := benchClient(1)
			defer client.CloseIdleConnections()
			d := delivery{body: []byte(`{}`), header: http.Header{}}
			b.ResetTimer()
			for b.Loop() {
				if status, err := send(client, url, d); err != nil || status != http.StatusOK {
					b.Fatalf("answer %d, %v", status, err)
				}
			}
		})
	}
}
