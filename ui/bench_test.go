package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
)

const benchEvents = 100_000

// benchModel is a screen over 100,000 stored deliveries: samples of every
// current type, about 2.5 KB each on average, as Extend sends them.
var benchModel = sync.OnceValue(func() *Model {
	tb := &testing.B{}
	s := store.New(benchEvents, 1<<40)
	g := newEventMaker()
	var bodies [][]byte
	for range 3 {
		for _, t := range extend.TypesIn(extend.V20260209) {
			body, err := sample.Build(t.Name, sample.Options{Now: testEpoch, Rand: g.rand})
			if err != nil {
				panic(err)
			}
			bodies = append(bodies, body)
		}
	}
	for i := range benchEvents {
		s.Append(g.raw(bodies[i%len(bodies)]))
	}
	m := newTestModel(tb, s, 160, 48)
	pull(m)
	return m
})

func BenchmarkFrame(b *testing.B) {
	m := benchModel()
	press(m, "g")
	keys := []tea.KeyPressMsg{keyPress("j"), keyPress("k")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkFilterKeystroke times one keystroke in the text filter over
// 100,000 events. "extend" types the query's last character with the result
// for the rest known (the usual case when typing), "fresh" applies the
// whole query with nothing known (a paste), "backspace" widens it again;
// each includes the search, whether it runs in Update or in the command
// Update starts (then the command and applying its result are timed too).
// "frame" is the Update of the keystroke alone: what holds up the screen.
func BenchmarkFilterKeystroke(b *testing.B) {
	m := benchModel()
	apply := func(text string) {
		if cmd := m.list.setQuery(text); cmd != nil {
			m.Update(cmd())
		}
	}
	for _, q := range []string{"f", "fa", "failed", "northwind", "usage", "exr_", "zzqx", "invoice_number"} {
		prefix, last := q[:len(q)-1], q[len(q)-1:]
		b.Run("extend/"+q, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				resetFilter(m)
				apply(prefix)
				b.StartTimer()
				apply(q)
			}
			b.ReportMetric(float64(m.list.shownCount()), "shown")
		})
		b.Run("fresh/"+q, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				resetFilter(m)
				b.StartTimer()
				apply(q)
			}
		})
		b.Run("frame/"+q, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				resetFilter(m)
				apply(prefix)
				m.input.SetValue(prefix)
				b.StartTimer()
				m.Update(keyPress(last))
				_ = m.View()
			}
		})
	}
	b.Run("backspace/failed", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			resetFilter(m)
			apply("faile")
			apply("failed")
			b.StartTimer()
			apply("faile")
		}
	})
	resetFilter(m)
	m.input.Blur()
	m.typing = false
}

func resetFilter(m *Model) {
	m.list.text = textFilter{gen: m.list.text.gen + 1}
	m.list.refilter()
	m.input.SetValue("")
	m.input.Focus()
	m.typing = true
}

// BenchmarkArrivals is a burst's cost: building 5,000 items in the feed's
// command (display texts, search filters), then taking them in Update.
func BenchmarkArrivals(b *testing.B) {
	g := newEventMaker()
	var events []*store.Event
	for i := range 5000 {
		events = append(events, g.event(b, mixedTypes[i%len(mixedTypes)]))
	}
	b.Run("command", func(b *testing.B) {
		mk := &itemMaker{loc: testEpoch.Location()}
		for b.Loop() {
			for _, ev := range events {
				mk.make(ev)
			}
		}
	})
	b.Run("update", func(b *testing.B) {
		mk := &itemMaker{loc: testEpoch.Location()}
		items := make([]*item, len(events))
		for i, ev := range events {
			ev.Seq = uint64(i + 1)
			items[i] = mk.make(ev)
		}
		for b.Loop() {
			m := newTestModel(b, store.New(10, 0), 160, 48)
			m.Update(arrivalsMsg{items: items, stats: store.Stats{Received: 5000, Stored: 5000}})
		}
	})
}

// largePayloads are 5 MB bodies: a minified array of runs, the same
// indented, and one huge string (a base64 file, say).
var largePayloads = sync.OnceValue(func() map[string][]byte {
	body, _ := sample.Build("workflow_run.completed", sample.Options{Now: testEpoch})
	var compact bytes.Buffer
	json.Compact(&compact, body)
	var runs []string
	for size := 0; size < 5<<20; size += compact.Len() + 1 {
		runs = append(runs, compact.String())
	}
	minified := []byte(`{"eventId":"e","eventType":"workflow_run.completed","payload":{"runs":[` + strings.Join(runs, ",") + `]}}`)
	var indented bytes.Buffer
	json.Indent(&indented, minified, "", "  ")
	blob := []byte(`{"eventId":"e","eventType":"workflow_run.completed","payload":{"file":"` + strings.Repeat("QUJD", 5<<20/4) + `"}}`)
	return map[string][]byte{"minified": minified, "indented": indented.Bytes(), "one-string": blob}
})

// BenchmarkLargePayloadFirstScreen times a 5 MB payload from selection to
// its first highlighted screen: the producer's first chunk and the frame
// that shows it.
func BenchmarkLargePayloadFirstScreen(b *testing.B) {
	for name, body := range largePayloads() {
		b.Run(name, func(b *testing.B) {
			g := newEventMaker()
			ev := g.raw(body)
			ev.Seq = 1
			m := newTestModel(b, store.New(10, 0), 160, 48)
			it := m.feed.maker.make(ev)
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				p := newProducer(it.ev, viewPayload, m.pane.width, m.kit)
				rows, _ := p.produce(true)
				if len(rows) < m.pane.height {
					b.Fatalf("first chunk has %d rows, fewer than a screen", len(rows))
				}
			}
		})
	}
}

// bigOutput is an extract_run.processed body of about size bytes: line
// items, each leaf with its confidence and a citation.
func bigOutput(size int) []byte {
	var value, meta strings.Builder
	for i := 0; value.Len()+meta.Len() < size; i++ {
		if i > 0 {
			value.WriteByte(',')
		}
		fmt.Fprintf(&value, `{"description":"Hex bolt M8x%d","amount":%d.35}`, i%90+10, i%50)
		for _, f := range []string{"description", "amount"} {
			fmt.Fprintf(&meta, `,"line_items[%d].%s":{"ocrConfidence":0.97,"logprobsConfidence":0.%d,"citations":[{"fileId":"file_Rw3K","page":{"number":%d},"referenceText":"Hex bolt"}]}`,
				i, f, 70+i%30, i/40+1)
		}
	}
	return fmt.Appendf(nil, `{"eventId":"event_big","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_big","status":"PROCESSED",`+
		`"output":{"value":{"invoice_number":"INV-1","line_items":[%s]},"metadata":{"invoice_number":{"logprobsConfidence":0.99}%s}},"reviewed":false}}`,
		value.String(), meta.String())
}

// BenchmarkFieldsFirstScreen is the Fields view of a 5 MB output, from the
// body to the document's rows, as its command builds them.
func BenchmarkFieldsFirstScreen(b *testing.B) {
	body := bigOutput(5 << 20)
	ev := newEventMaker().raw(body)
	m := newTestModel(b, store.New(10, 0), 160, 48)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		rows, _ := newProducer(ev, viewFields, m.pane.width, m.kit).produce(true)
		if len(rows) < m.pane.height {
			b.Fatalf("%d rows", len(rows))
		}
	}
}
