package receiver

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// What --max-memory allows for bodies being read and for deliveries kept
// adds up to it, and the largest body accepted fits in both.
func TestSplitMemoryStaysWithinTheLimit(t *testing.T) {
	for _, maxMemory := range []int64{1 << 10, 1 << 20, 16 << 20, 64 << 20, 512 << 20, 64 << 30} {
		for _, maxBody := range []int64{1 << 10, DefaultMaxBody, 64 << 20, 1 << 40} {
			m := SplitMemory(maxMemory, maxBody)
			if m.Reading()+m.Kept != maxMemory {
				t.Errorf("memory %d, body %d: reading %d + kept %d is not the limit", maxMemory, maxBody, m.Reading(), m.Kept)
			}
			if m.Largest > maxBody || m.Largest > m.Kept || m.Largest > m.large || m.Largest <= 0 {
				t.Errorf("memory %d, body %d: largest body %d does not fit (kept %d, large share %d)", maxMemory, maxBody, m.Largest, m.Kept, m.large)
			}
		}
	}
	if m := SplitMemory(512<<20, DefaultMaxBody); m.Reading() != DefaultInFlightBytes || m.Largest != DefaultMaxBody {
		t.Errorf("defaults: reading %d, largest %d", m.Reading(), m.Largest)
	}
}

// A body too large to be both read and kept within --max-memory is refused
// like one over --max-body: 413, kept as rejected and counted.
func TestBodyOverTheMemoryLimitIsRefused(t *testing.T) {
	const maxMemory = 1 << 20
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			st, _, url := startReceiver(t, Config{MaxMemory: maxMemory})
			got := post(t, url, bytes.Repeat([]byte("x"), maxMemory*6/10), nil, chunked)
			if got.status != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413", got.status)
			}
			ev := only(t, st)
			if ev.HasBody() || !strings.Contains(ev.Rejected(), "--max-memory") || st.Stats().Rejected != 1 {
				t.Errorf("kept %d bytes, rejected %q, counted %d", len(storetest.Body(ev)), ev.Rejected(), st.Stats().Rejected)
			}
			if got := post(t, url, bytes.Repeat([]byte("y"), maxMemory/4), nil, chunked); got.status != http.StatusOK {
				t.Errorf("a body within the limit answered %d", got.status)
			}
		})
	}
}
