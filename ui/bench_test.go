package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/search/searchtest"
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
	benchFrames(b, m, []tea.KeyPressMsg{keyPress("j"), keyPress("k")})
}

// sizedModels are screens over 1,000 to 1,000,000 stored deliveries of
// distinct Extend-like bodies of about 2.5 KB (see ui/search/searchtest),
// for the scale curve of issue 14.
var sizedModels = map[string]func() *Model{
	"1k":   sync.OnceValue(func() *Model { return distinctModel(1_000) }),
	"10k":  sync.OnceValue(func() *Model { return distinctModel(10_000) }),
	"100k": sync.OnceValue(func() *Model { return distinctModel(100_000) }),
	"1M":   sync.OnceValue(func() *Model { return distinctModel(1_000_000) }),
}

// benchSizes are the sizedModels BENCH_SIZES names ("1k 10k 100k 1M"),
// 100k when it is unset.
func benchSizes(b *testing.B) []string {
	sizes := strings.Fields(os.Getenv("BENCH_SIZES"))
	if len(sizes) == 0 {
		return []string{"100k"}
	}
	for _, size := range sizes {
		if sizedModels[size] == nil {
			b.Fatalf("BENCH_SIZES: no size %q (1k, 10k, 100k, 1M)", size)
		}
	}
	return sizes
}

// BenchmarkFrameAt is BenchmarkFrame over distinct bodies at each of
// BENCH_SIZES: a frame (a key and the view it leads to) with the list
// focused and with the pane focused, its cursor shown.
func BenchmarkFrameAt(b *testing.B) {
	for _, size := range benchSizes(b) {
		m := sizedModels[size]()
		press(m, "g")
		keys := []tea.KeyPressMsg{keyPress("j"), keyPress("k")}
		b.Run(size+"/list", func(b *testing.B) { benchFrames(b, m, keys) })
		press(m, "tab")
		b.Run(size+"/pane", func(b *testing.B) { benchFrames(b, m, keys) })
		press(m, "tab")
	}
}

func benchFrames(b *testing.B, m *Model, keys []tea.KeyPressMsg) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%len(keys)])
		_ = m.View()
		i++
	}
}

func distinctModel(n int) *Model {
	s := store.New(n, 1<<40)
	g, bodies := newEventMaker(), searchtest.New(1)
	for i := range n {
		s.Append(g.raw(bodies.Body(i)))
	}
	m := newTestModel(&testing.B{}, s, 160, 48)
	pull(m)
	return m
}

// filterShapes are the keystrokes of issue 14: from the query before (its
// result known, as when typing) to the query after.
var filterShapes = []struct{ name, before, after string }{
	{"type-1", "", "n"},
	{"type-2", "n", "no"},
	{"type-3", "no", "nor"},
	{"type-9", "northwin", "northwind"},
	{"paste-12", "", "invoice_numb"},
	{"paste-12-rare", "", "northwind tr"},
	{"none", "", "xylophone"},
	{"none-grams-all-occur", "", "invoice_total"},
	{"all", "", "eventtype"},
	{"backspace", "northwind", "northwin"},
}

// BenchmarkFilterKeystroke times one keystroke in the text filter, from the
// key to its first screen of exact results (the search's first message
// applied); "complete-ms" is the time until the whole result is in.
// BENCH_SIZES picks the sizes ("1k 10k 100k 1M"; 100k when unset).
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, size := range benchSizes(b) {
		m := sizedModels[size]()
		for _, sh := range filterShapes {
			b.Run(size+"/"+sh.name, func(b *testing.B) { benchKeystroke(b, m, sh.name, sh.before, sh.after) })
		}
		resetFilter(m)
		m.input.Blur()
		m.typing = false
	}
}

// benchKeystroke times the first screen of the keystroke from before to
// after (ns/op), and reports how long the whole result took.
func benchKeystroke(b *testing.B, m *Model, name, before, after string) {
	var complete time.Duration
	for b.Loop() {
		b.StopTimer()
		resetFilter(m)
		if name == "backspace" {
			applyQuery(m, after)
		}
		applyQuery(m, before)
		b.StartTimer()
		start := time.Now()
		first := startQuery(m, after)
		b.StopTimer()
		finishSearch(m, first)
		complete += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(complete.Microseconds())/1e3/float64(b.N), "complete-ms")
	b.ReportMetric(float64(m.list.shownCount()), "shown")
}

// applyQuery sets the text filter and waits for its whole result.
func applyQuery(m *Model, text string) { finishSearch(m, startQuery(m, text)) }

// startQuery sets the text filter and applies the search's first message;
// it returns the command that goes on searching.
func startQuery(m *Model, text string) tea.Cmd {
	if cmd := m.list.setQuery(text); cmd != nil {
		return searchStep(m, cmd)
	}
	return nil
}

// finishSearch runs the rest of a search, as the runtime would.
func finishSearch(m *Model, next tea.Cmd) {
	for next != nil {
		next = searchStep(m, next)
	}
}

// searchStep runs cmd and hands the model the search slice it brings,
// leaving other messages (the payload pane's) aside.
func searchStep(m *Model, cmd tea.Cmd) tea.Cmd {
	switch msg := cmd().(type) {
	case textSearchMsg:
		_, next := m.Update(msg)
		return next
	case tea.BatchMsg:
		var next []tea.Cmd
		for _, c := range msg {
			if c != nil {
				next = append(next, searchStep(m, c))
			}
		}
		return tea.Batch(next...)
	}
	return nil
}

func resetFilter(m *Model) {
	m.list.text = textFilter{gen: m.list.text.gen + 1, inFile: m.list.text.inFile}
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
		mk := &itemMaker{}
		for b.Loop() {
			for _, ev := range events {
				mk.make(ev)
			}
		}
	})
	// A coalescing window of a burst at 10,000 deliveries/s of distinct
	// 2.5 KB bodies: 500 events. "core-%" is the share of one core the
	// feed's command needs to keep up with that rate.
	b.Run("command-distinct-2.5KB", func(b *testing.B) {
		g, bodies := newEventMaker(), searchtest.New(3)
		window := make([]*store.Event, 500)
		for i := range window {
			window[i] = g.raw(bodies.Body(i))
		}
		mk := &itemMaker{}
		for b.Loop() {
			mk.makeAll(window)
		}
		perEvent := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(window))
		b.ReportMetric(perEvent, "ns/event")
		b.ReportMetric(perEvent*10_000/1e9*100, "core-%")
	})
	b.Run("update", func(b *testing.B) {
		mk := &itemMaker{}
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
				c, _ := p.produce(true)
				n := len(c.rows)
				for _, l := range c.lines {
					n += l.rows()
				}
				if n < m.pane.height {
					b.Fatalf("first chunk has %d rows, fewer than a screen", n)
				}
			}
		})
	}
}

// BenchmarkLargeRawDocument times the Raw view of a 5 MB body, from the
// body to the whole document, as its commands make it: a minified body is
// one line, shown once it is read to its end, and wrapped as it comes on
// screen.
func BenchmarkLargeRawDocument(b *testing.B) {
	for _, name := range []string{"minified", "indented"} {
		body := largePayloads()[name]
		b.Run(name, func(b *testing.B) {
			ev := newEventMaker().raw(body)
			m := newTestModel(b, store.New(10, 0), 160, 48)
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				p, n := newProducer(ev, viewRaw, m.pane.width, m.kit), 0
				for first, done := true, false; !done; first = false {
					var c chunk
					c, done = p.produce(first)
					n += len(c.rows) + len(c.lines)
				}
				if n == 0 {
					b.Fatal("no rows")
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
		c, _ := newProducer(ev, viewFields, m.pane.width, m.kit).produce(true)
		if rows := c.rows; len(rows) < m.pane.height {
			b.Fatalf("%d rows", len(c.rows))
		}
	}
}

// BenchmarkFramePaneFocused is BenchmarkFrame with the payload pane focused:
// j and k move its cursor, and the frame draws the cursor's line and the
// JSON path in the footer.
func BenchmarkFramePaneFocused(b *testing.B) {
	m := benchModel()
	press(m, "g", "tab")
	defer press(m, "tab")
	benchFrames(b, m, []tea.KeyPressMsg{keyPress("j"), keyPress("k")})
}

// largeModel is a screen showing a 5 MB payload (see largePayloads),
// rendered to the end, with the pane focused.
func largeModel(b *testing.B, name string) *Model {
	s := store.New(10, 0)
	m := newTestModel(b, s, 160, 48)
	s.Append(newEventMaker().raw(largePayloads()[name]))
	pull(m)
	press(m, "tab")
	return m
}

// BenchmarkLargePayloadFirstFrame times a 5 MB payload from selection to
// the frame showing its first screen: the producer's first chunk, taken in
// Update, and the View.
func BenchmarkLargePayloadFirstFrame(b *testing.B) {
	for _, name := range []string{"minified", "one-string"} {
		b.Run(name, func(b *testing.B) {
			m := largeModel(b, name)
			for b.Loop() {
				clear(m.pane.docs)
				m.pane.order, m.pane.rows = nil, 0
				msg := m.showSelected()()
				m.Update(msg)
				_ = m.View()
			}
		})
	}
}

// BenchmarkLargePayloadPageDown times 50 page-downs through the rows of a
// 5 MB string, from its top, each to its frame: the rows are broken as they
// come on screen, so each page costs its own rows, not the string's.
func BenchmarkLargePayloadPageDown(b *testing.B) {
	m := largeModel(b, "one-string")
	m.pane.cursorToFirst(func(a anchor) bool { return strings.Contains(m.pane.jsonDoc().lines[a.line].text, `"file"`) })
	first := m.pane.cursor
	down := keyPress("pgdown")
	for b.Loop() {
		b.StopTimer()
		clear(m.pane.docs) // the string is broken afresh each time
		m.pane.order, m.pane.rows = nil, 0
		m.Update(m.showSelected()())
		m.pane.setCursor(first)
		b.StartTimer()
		for range 50 {
			m.Update(down)
			_ = m.View()
		}
	}
	if sub := m.pane.cursor - first; sub < 50*(m.pane.height-1) {
		b.Fatalf("50 pages went %d rows into the string", sub)
	}
}

// BenchmarkLargePayloadFold times z on the array of a 5 MB payload (folding
// then unfolding it), and Z (fold-all, then unfold all), each to the next
// frame.
func BenchmarkLargePayloadFold(b *testing.B) {
	m := largeModel(b, "minified")
	j := m.pane.jsonDoc()
	m.pane.cursorToFirst(func(a anchor) bool { return strings.Contains(j.lines[a.line].text, `"runs": [`) })
	b.Logf("%d lines, %d rows", len(j.lines), m.pane.total())
	for _, key := range []string{"z", "Z"} {
		b.Run(key, func(b *testing.B) {
			msg := keyPress(key)
			for b.Loop() {
				m.Update(msg)
				_ = m.View()
			}
		})
	}
}

// BenchmarkLargePayloadMatchNext times n to the next match in a 5 MB
// payload once its matches are indexed (the first n indexes them).
func BenchmarkLargePayloadMatchNext(b *testing.B) {
	m := largeModel(b, "minified")
	press(m, "/")
	typeText(m, "invoice_number")
	press(m, "enter")
	start := time.Now()
	_, cmd := m.Update(keyPress("n"))
	run(m, cmd) // the search of a payload this large runs in a command
	b.Logf("the first n, indexing %d matches in a command: %v", len(m.pane.current().found.at), time.Since(start))
	if !m.pane.onMatch {
		b.Fatal("the first n found no match")
	}
	msg := keyPress("n")
	for b.Loop() {
		m.Update(msg)
		_ = m.View()
	}
}

// BenchmarkLargePayloadMatchIndex times indexing the matches of a query in
// a 5 MB payload, which the first n starts in a command (searchMatches).
func BenchmarkLargePayloadMatchIndex(b *testing.B) {
	d := largeModel(b, "minified").pane.current()
	n := d.lineCount()
	for b.Loop() {
		appendMatches(nil, d.snapshot(n), 0, n, "invoice_number")
	}
}
