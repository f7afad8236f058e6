package ui

import (
	"bufio"
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

// sessionBodySizes are the body sizes BenchmarkSessionMemoryPerEvent
// loads sessions of: each cycles through the catalogue types whose samples
// are nearest it, so the deliveries are Extend's own shapes
// (runs, resources, their ids and names) rather than padding.
var sessionBodySizes = []struct {
	name string
	size int
}{{"500B", 500}, {"1KB", 1 << 10}, {"2.5KB", 2560}, {"16KB", 16 << 10}}

// BenchmarkSessionMemoryPerEvent measures the heap a session costs per
// event once the screen has it: the store's events and the screen's rows
// and search index, the benchmark's own screen included. "kept" is `open`
// (bodies stay in the file, but for the newest heldShare), "held" the same
// session read into memory. issue 14's bound is target-B/event: 1.2 × the
// body + 512 bytes.
//
//	go test -run XXX -bench SessionMemoryPerEvent -benchtime 1x ./ui/
func BenchmarkSessionMemoryPerEvent(b *testing.B) {
	for _, sz := range sessionBodySizes {
		path, bodyBytes := writeRecordedSession(b, sessionEvents, sz.size)
		for _, mode := range []string{"kept", "held"} {
			b.Run(sz.name+"/"+mode, func(b *testing.B) {
				for b.Loop() {
					before := heapInUse()
					m, closeSession := openSessionModel(b, path, mode, sessionEvents)
					used := heapInUse() - before
					runtime.KeepAlive(m)
					closeSession()
					perBody := float64(bodyBytes) / sessionEvents
					b.ReportMetric(float64(used)/sessionEvents, "B/event")
					b.ReportMetric(perBody, "body-B/event")
					b.ReportMetric(1.2*perBody+512, "target-B/event")
				}
			})
		}
	}
}

// writeRecordedSession writes n distinct deliveries of bodies near size
// as `--record` writes what the receiver stored of Extend's requests
// (through a tunnel: its forwarding headers, the connection's loopback
// address), and returns the file's path and the bytes of the bodies.
func writeRecordedSession(b *testing.B, n, size int) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "session.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(uint64(size), 14))
	types := typesNear(b, size)
	at := testEpoch
	var total int64
	for i := range n {
		at = at.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
		body, err := sample.Build(types[i%len(types)], sample.Options{Now: at, Rand: rng})
		if err != nil {
			b.Fatal(err)
		}
		ev := recordedDelivery(at, body, rng)
		ev.Seq, ev.Attempt = uint64(i+1), 1
		line, err := ev.MarshalLine()
		if err != nil {
			b.Fatal(err)
		}
		w.Write(line)
		total += int64(len(body))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, total
}

// typesNear lists the four 2026-02-09 types whose samples are nearest
// size, by ratio.
func typesNear(b *testing.B, size int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	types := extend.TypesIn(extend.V20260209)
	distance := make(map[string]float64, len(types))
	names := make([]string, 0, len(types))
	for _, t := range types {
		body, err := sample.Build(t.Name, sample.Options{Now: testEpoch, Rand: rng})
		if err != nil {
			b.Fatal(err)
		}
		distance[t.Name] = math.Abs(math.Log(float64(len(body)) / float64(size)))
		names = append(names, t.Name)
	}
	slices.SortFunc(names, func(x, y string) int { return cmp.Compare(distance[x], distance[y]) })
	return names[:4]
}

// recordedDelivery is body as the receiver stores a delivery from Extend
// through a tunnel: the request's headers under their canonical names,
// sorted (receiver.headersOf), the tunnel's forwarding headers, and the
// loopback address of one of its few connections.
func recordedDelivery(at time.Time, body []byte, rng *rand.Rand) *store.Event {
	ts := strconv.FormatInt(at.Unix(), 10)
	host := "3f2a-81-2-69-142.ngrok-free.app"
	headers := []store.Header{
		{Name: "Accept", Value: "application/json, text/plain, */*"},
		{Name: "Accept-Encoding", Value: "gzip, br"},
		{Name: "Content-Length", Value: strconv.Itoa(len(body))},
		{Name: "Content-Type", Value: "application/json"},
		{Name: "Host", Value: host},
		{Name: "User-Agent", Value: "Extend-Webhooks/1.0"},
		{Name: "X-Extend-Api-Version", Value: string(extend.V20260209)},
		{Name: "X-Extend-Request-Signature", Value: extend.Sign("wss_test", ts, body)},
		{Name: "X-Extend-Request-Timestamp", Value: ts},
		{Name: "X-Forwarded-For", Value: fmt.Sprintf("34.120.%d.%d", 10+rng.IntN(4), 1+rng.IntN(250))},
		{Name: "X-Forwarded-Host", Value: host},
		{Name: "X-Forwarded-Proto", Value: "https"},
	}
	ev := &store.Event{
		ReceivedAt: at, Method: "POST", Path: "/webhook",
		RemoteAddr:   fmt.Sprintf("127.0.0.1:%d", 50400+rng.IntN(8)),
		Status:       200,
		Verification: extend.Check{Outcome: extend.Verified},
	}
	ev.SetHeaders(headers)
	ev.SetBody(body)
	ev.Classify()
	return ev
}
