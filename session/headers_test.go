package session

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// headersOf are the events' headers, or the error reading each.
func headersOf(events []*store.Event) (headers [][]store.Header, errs []error) {
	for _, ev := range events {
		h, err := ev.Headers()
		headers, errs = append(headers, h), append(errs, err)
	}
	return headers, errs
}

// Headers kept in the file read back as Read holds them, for every event,
// the rejected one without a body included; after Close they cannot be
// read at all (even where the body is held in memory, see heldShare).
func TestKeptHeadersRoundTrip(t *testing.T) {
	events := variety()
	data := jsonlOf(t, events)
	kept, l := openKept(t, writeSession(t, data))
	held, _, err := Read(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	got, errs := headersOf(kept)
	for i, want := range held {
		if errs[i] != nil || !slices.Equal(got[i], storetest.Headers(want)) || got[i] == nil {
			t.Errorf("#%d headers %q, %v; want %q", want.Seq, got[i], errs[i], storetest.Headers(want))
		}
		if h, err := kept[i].Header("content-type"); err != nil || h != storetest.Header(want, "Content-Type") {
			t.Errorf("#%d Content-Type %q, %v; want %q", want.Seq, h, err, storetest.Header(want, "Content-Type"))
		}
	}
	l.Close()
	_, errs = headersOf(kept)
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "the session is closed") {
			t.Errorf("#%d after Close: %v, want an error saying the session is closed", kept[i].Seq, err)
		}
	}
}

// The API version an event's x-extend-api-version header names is known
// without reading the headers from the file, and is the one Read gives.
func TestKeptHeadersKnowTheirAPIVersion(t *testing.T) {
	body := storetest.Envelope("workflow.created", "evt_1")
	var events []*store.Event
	for i, version := range []string{"2025-04-21", "1999-01-01", ""} {
		ev := storetest.Delivery(uint64(i+1), body)
		ev.Query = ""
		if version != "" {
			ev.SetHeaders(append(storetest.Headers(ev), store.Header{Name: extend.APIVersionHeader, Value: version}))
		}
		events = append(events, ev)
	}
	data := jsonlOf(t, events)
	kept, l := openKept(t, writeSession(t, data))
	held, _, err := Read(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	l.Close() // the versions are known without the file
	for i, want := range held {
		if !slices.Equal(kept[i].Versions(), want.Versions()) || kept[i].VersionSource() != want.VersionSource() {
			t.Errorf("#%d: %v from %q, want %v from %q", want.Seq, kept[i].Versions(), kept[i].VersionSource(), want.Versions(), want.VersionSource())
		}
	}
	if kept[0].VersionSource() != "header" || kept[1].VersionSource() != "guess" {
		t.Errorf("sources %q, %q; want header, guess", kept[0].VersionSource(), kept[1].VersionSource())
	}
}

// A session file cut short or rewritten after it was loaded gives the
// body's error for the headers it no longer holds, and so do the records
// and exports made of them, never other headers or none.
func TestKeptHeadersOfAChangedFile(t *testing.T) {
	events, _ := storetest.Bulk(20)
	data := jsonlOf(t, events)
	held, _, err := Read(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	changed := func(err error) bool {
		return err != nil && strings.Contains(err.Error(), "changed after it was opened")
	}
	t.Run("truncated", func(t *testing.T) {
		path := writeSession(t, data)
		got, _ := openKept(t, path)
		if err := os.Truncate(path, int64(len(data)/2)); err != nil {
			t.Fatal(err)
		}
		_, errs := headersOf(got)
		if errs[0] != nil || !changed(errs[len(errs)-1]) || !strings.Contains(errs[len(errs)-1].Error(), "read the headers from") {
			t.Errorf("first %v, last %v; want the last refused as changed", errs[0], errs[len(errs)-1])
		}
		if _, err := got[len(got)-1].Header("Content-Type"); !changed(err) {
			t.Errorf("Header: %v, want it refused as changed", err)
		}
	})
	t.Run("rewritten in place", func(t *testing.T) {
		path := writeSession(t, data)
		got, _ := openKept(t, path)
		// The signature of #8 changes; its length stays.
		sig := storetest.Header(events[7], extend.HeaderSignature)
		forged := strings.Repeat("0", len(sig))
		if err := os.WriteFile(path, bytes.Replace(data, []byte(sig), []byte(forged), 1), 0o600); err != nil {
			t.Fatal(err)
		}
		headers, errs := headersOf(got)
		for i, err := range errs {
			if want := i == 7; changed(err) != want || !want && !slices.Equal(headers[i], storetest.Headers(held[i])) {
				t.Errorf("#%d: %q, %v", i+1, headers[i], err)
			}
		}
		// Its body is as it was: what refuses it is the headers.
		forgedEvent := got[7:8]
		if _, err := forgedEvent[0].Body(); err != nil {
			t.Fatal(err)
		}
		if _, err := forgedEvent[0].MarshalLine(); !changed(err) {
			t.Errorf("MarshalLine: %v, want it refused as changed", err)
		}
		for _, f := range []export.Format{export.JSONL, export.HAR} {
			if err := export.Encode(context.Background(), &bytes.Buffer{}, forgedEvent, export.Options{Format: f}); !changed(err) {
				t.Errorf("%v export: %v, want it refused as changed", f, err)
			}
		}
		for _, f := range []export.Format{export.JSON, export.Curl} {
			if _, err := export.Write(context.Background(), forgedEvent, export.Options{Dir: t.TempDir(), Format: f, Listen: "127.0.0.1:8750"}); !changed(err) {
				t.Errorf("%v export: %v, want it refused as changed", f, err)
			}
		}
	})
}
