// Package searchtest makes webhook bodies for the text filter's tests and
// benchmarks: Extend-like JSON of about 2.5 KB, each one different (its own
// ids, vendors, people, amounts), so that an index cannot lean on a few
// bodies shared by every event.
package searchtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Bodies are the words the generator uses, so benchmarks can name queries
// that match everything, something or nothing:
//   - every body holds "eventType" and "invoice_number";
//   - "northwind" is one vendor in eight, "failed" one event type in ten;
//   - "invoice_total" never occurs, but every trigram of it does, in every
//     body ("invoice_number", "line_total").
var (
	vendors   = []string{"Northwind Traders", "Contoso Ltd", "Acme Corp", "Globex", "Initech", "Umbrella Supply", "Stark Industries", "Wayne Enterprises"}
	firsts    = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim"}
	lasts     = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Berners-Lee"}
	items     = []string{"Consulting hours", "Freight", "Usage fee", "Licence renewal", "Support plan", "Hardware", "Installation", "Travel"}
	types     = []string{"workflow_run.completed", "workflow_run.completed", "workflow_run.step_run.processed", "extract_run.processed", "workflow_run.needs_review", "classify_run.processed", "parse_run.processed", "workflow_run.completed", "workflow_run.failed", "extract_run.processed"}
	alphabet  = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	statusFor = map[string]string{"workflow_run.failed": "FAILED", "workflow_run.needs_review": "NEEDS_REVIEW"}
)

// Generator makes bodies from a seed: the same seed makes the same bodies.
type Generator struct{ r *rand.Rand }

// New returns a generator seeded with seed.
func New(seed uint64) *Generator { return &Generator{r: rand.New(rand.NewPCG(seed, 2026))} }

// Bodies makes n bodies.
func (g *Generator) Bodies(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = g.Body(i)
	}
	return out
}

func (g *Generator) id(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *Generator) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *Generator) money() string { return fmt.Sprintf("%d.%02d", g.r.IntN(20000), g.r.IntN(100)) }

// Body makes the i-th body: an eventId, an eventType and a run whose output
// is an invoice with eleven to fifteen lines.
func (g *Generator) Body(i int) []byte {
	var b strings.Builder
	b.Grow(2800)
	typ := g.pick(types)
	status := statusFor[typ]
	if status == "" {
		status = "PROCESSED"
	}
	fmt.Fprintf(&b, `{"eventId":"evt_%s","eventType":%q,"payload":{"object":"workflow_run","id":"workflow_run_%s","status":%q,`,
		g.id(20), typ, g.id(20), status)
	fmt.Fprintf(&b, `"workflow":{"id":"workflow_%s","version":"%d","name":"Invoice intake %d"},`, g.id(12), 1+g.r.IntN(9), g.r.IntN(40))
	fmt.Fprintf(&b, `"file":{"object":"file","id":"file_%s","name":"invoice-%07d.pdf","metadata":{"pageCount":%d}},`, g.id(20), i, 1+g.r.IntN(12))
	if status == "FAILED" {
		b.WriteString(`"failureReason":"PROCESSOR_ERROR","failureMessage":"The extractor failed to read page 2 of the document.",`)
	}
	fmt.Fprintf(&b, `"outputs":[{"processorId":"ex_%s","processorName":"Invoice extractor","processorType":"EXTRACT","value":{`, g.id(16))
	fmt.Fprintf(&b, `"invoice_number":"INV-%06d","vendor":{"name":%q,"tax_id":"%02d-%07d"},`, g.r.IntN(1_000_000), g.pick(vendors), g.r.IntN(100), g.r.IntN(10_000_000))
	fmt.Fprintf(&b, `"bill_to":{"name":"%s %s","email":"%s.%s@example.com"},`, g.pick(firsts), g.pick(lasts), strings.ToLower(g.pick(firsts)), strings.ToLower(g.pick(lasts)))
	fmt.Fprintf(&b, `"invoice_date":"2026-%02d-%02d","due_date":"2026-%02d-%02d","currency":"USD","line_items":[`, 1+g.r.IntN(12), 1+g.r.IntN(28), 1+g.r.IntN(12), 1+g.r.IntN(28))
	for j := range 11 + g.r.IntN(5) {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"description":"%s, ref %s","quantity":%d,"unit_price":%s,"line_total":%s,"tax_rate":0.%02d}`,
			g.pick(items), g.id(8), 1+g.r.IntN(40), g.money(), g.money(), g.r.IntN(30))
	}
	fmt.Fprintf(&b, `],"subtotal":%s,"tax":%s,"total":%s},"metadata":{"fieldConfidence":{"invoice_number":0.%02d,"vendor":0.%02d,"total":0.%02d}},`,
		g.money(), g.money(), g.money(), 80+g.r.IntN(20), 70+g.r.IntN(30), 85+g.r.IntN(15))
	fmt.Fprintf(&b, `"usage":{"credits":%d,"pages":%d}}],"reviewed":%t,"createdAt":"2026-07-08T14:%02d:%02dZ","updatedAt":"2026-07-08T14:%02d:%02dZ"}}`,
		1+g.r.IntN(50), 1+g.r.IntN(12), g.r.IntN(2) == 0, g.r.IntN(60), g.r.IntN(60), g.r.IntN(60), g.r.IntN(60))
	return []byte(b.String())
}
