package session

import (
	"bytes"
	"context"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		format export.Format
		file   string
		// exactHeaders: HAR keeps headers as a list; a JSONL record keys them
		// by canonical name and joins repeats, as `tail` always has.
		exactHeaders bool
	}{
		{export.JSONL, "events.jsonl", false},
		{export.HAR, "events.har", true},
	} {
		t.Run(tc.format.String(), func(t *testing.T) {
			events := variety()
			dir := t.TempDir()
			if _, err := export.Write(context.Background(), events, export.Options{Dir: dir, Format: tc.format, Listen: "127.0.0.1:8750"}); err != nil {
				t.Fatal(err)
			}
			back, warn, err := ReadFile(filepath.Join(dir, tc.file), opt)
			if err != nil || warn != nil {
				t.Fatalf("ReadFile: err %v, warn %v", err, warn)
			}
			if len(back) != len(events) {
				t.Fatalf("read %d events, wrote %d", len(back), len(events))
			}
			for i, want := range events {
				sameEvent(t, back[i], want, tc.exactHeaders)
			}
		})
	}
}

func sameEvent(t *testing.T, got, want *store.Event, exactHeaders bool) {
	t.Helper()
	if !bytes.Equal(storetest.Body(got), storetest.Body(want)) || (storetest.Body(got) == nil) != (storetest.Body(want) == nil) {
		t.Errorf("#%d body = %q, want %q", want.Seq, storetest.Body(got), storetest.Body(want))
	}
	if got.Seq != want.Seq || got.Method != want.Method || got.Path != want.Path || got.Query != want.Query {
		t.Errorf("#%d request = %d %s %s ? %s, want %d %s %s ? %s", want.Seq, got.Seq, got.Method, got.Path, got.Query,
			want.Seq, want.Method, want.Path, want.Query)
	}
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Errorf("#%d receivedAt = %v, want %v", want.Seq, got.ReceivedAt, want.ReceivedAt)
	}
	if exactHeaders && !slices.Equal(storetest.Headers(got), storetest.Headers(want)) {
		t.Errorf("#%d headers = %v, want %v", want.Seq, storetest.Headers(got), storetest.Headers(want))
	}
	if g, w := recordOf(got).Headers, recordOf(want).Headers; !maps.Equal(g, w) {
		t.Errorf("#%d headers = %v, want %v", want.Seq, g, w)
	}
	if got.Verification != want.Verification || got.Status != want.Status || got.Rejected() != want.Rejected() {
		t.Errorf("#%d outcome = %v %d %q, want %v %d %q", want.Seq, got.Verification, got.Status, got.Rejected(),
			want.Verification, want.Status, want.Rejected())
	}
	if got.Size() != want.Size() || got.RemoteAddr != want.RemoteAddr || got.DuplicateOf() != want.DuplicateOf() ||
		got.Attempt != want.Attempt || got.ReplayOf() != want.ReplayOf() {
		t.Errorf("#%d = size %d, from %s, dup %d, attempt %d, replay %d; want %d, %s, %d, %d, %d", want.Seq,
			got.Size(), got.RemoteAddr, got.DuplicateOf(), got.Attempt, got.ReplayOf(),
			want.Size(), want.RemoteAddr, want.DuplicateOf(), want.Attempt, want.ReplayOf())
	}
	if got.Envelope.EventID != want.Envelope.EventID || got.EventType() != want.EventType() || got.Category != want.Category {
		t.Errorf("#%d = %s %s %v, want %s %s %v", want.Seq, got.Envelope.EventID, got.EventType(), got.Category,
			want.Envelope.EventID, want.EventType(), want.Category)
	}
	if g, w := recordOf(got).Forward, recordOf(want).Forward; (g == nil) != (w == nil) || g != nil && *g != *w {
		t.Errorf("#%d forward = %+v, want %+v", want.Seq, g, w)
	}
}

// recordOf is ev's Record without its body; headers that cannot be read
// panic, as storetest.Headers does.
func recordOf(ev *store.Event) store.Record {
	r, err := ev.RecordWithoutBody()
	if err != nil {
		panic(err)
	}
	return r
}
