package sample

import (
	"fmt"
	"time"
)

// This file builds what runs produce: extraction outputs in both shapes,
// the review of a held run, and the files a split makes.

// field is one extracted leaf (or item) and what the model says of it.
type field struct {
	path       string
	confidence float64
	ocr        float64
	cite       string // reference text; "" for no citation
	page       int
}

// fields lists the metadata of an extraction, by path into its value. The
// first line item gets one entry for the whole item, the others one per
// leaf, as Extend does for arrays (either form occurs). In a run held for
// review the total and the last line's amount are doubtful.
func (g *gen) fields() []field {
	sure := func() (float64, float64) { return g.confidence(0.97, 0.029), g.confidence(0.95, 0.049) }
	var out []field
	add := func(path, cite string, page int) {
		c, o := sure()
		out = append(out, field{path, c, o, cite, page})
	}
	add("invoice_number", "Invoice # "+g.doc.number, 1)
	add("invoice_date", "Date: "+g.doc.date, 1)
	add("vendor_name", g.doc.vendor, 1)
	add("po_number", "PO: "+g.doc.po, 1)
	add("total", fmt.Sprintf("Balance due $%.2f", g.readTotal()), g.doc.pages)
	for i, it := range g.doc.items {
		if i == 0 {
			add("line_items[0]", it.description, 1)
			continue
		}
		add(fmt.Sprintf("line_items[%d].description", i), it.description, 1)
		add(fmt.Sprintf("line_items[%d].quantity", i), "", 0)
		add(fmt.Sprintf("line_items[%d].amount", i), fmt.Sprintf("%.2f", it.amount), 1)
	}
	if g.doubtful {
		for i := range out {
			if out[i].path == "total" || out[i].path == fmt.Sprintf("line_items[%d].amount", len(g.doc.items)-1) {
				out[i].confidence, out[i].ocr = g.confidence(0.55, 0.2), g.confidence(0.6, 0.1)
			}
		}
	}
	return out
}

// readTotal is the total the extraction read: misread in a run held for
// review, right otherwise.
func (g *gen) readTotal() float64 {
	if g.doubtful {
		return g.doc.misread()
	}
	return g.doc.total
}

// extractOutput is a JSON-schema output: the value, and metadata keyed by
// path with confidences and citations.
func (g *gen) extractOutput() obj {
	md := obj{}
	for _, f := range g.fields() {
		m := obj{{"ocrConfidence", f.ocr}, {"logprobsConfidence", f.confidence}}
		if f.confidence < 0.8 {
			m = append(m, kv{"reviewAgentScore", 2})
		}
		if f.cite != "" {
			m = append(m, kv{"citations", []any{g.citation(f.cite, f.page)}})
		}
		md = append(md, kv{f.path, m})
	}
	return obj{{"value", g.doc.value(g.readTotal())}, {"metadata", md}}
}

// legacyFieldsOutput is the fields-array output of the processors of
// 2025-04-21 and 2024-12-23: one entry per field with its type,
// confidence and the pages it was read on.
func (g *gen) legacyFieldsOutput() obj {
	value := g.doc.value(g.readTotal())
	conf := map[string]field{}
	for _, f := range g.fields() {
		conf[f.path] = f
	}
	out := obj{}
	for i, f := range value {
		meta, ok := conf[f.k]
		if !ok {
			meta = field{confidence: g.confidence(0.9, 0.09), page: 1}
		}
		refs := []any{}
		if meta.page > 0 {
			refs = append(refs, obj{{"id", fmt.Sprintf("ref_%d", i)}, {"fieldName", f.k}, {"page", meta.page},
				{"boundingBoxes", []any{obj{{"top", 0.08}, {"left", 0.62}, {"bottom", 0.1}, {"right", 0.84}}}}})
		}
		out = append(out, kv{f.k, obj{{"id", f.k}, {"type", legacyFieldTypes[f.k]}, {"value", f.v}, {"confidence", meta.confidence}, {"references", refs}}})
	}
	return out
}

var legacyFieldTypes = map[string]string{
	"invoice_number": "string", "invoice_date": "date", "vendor_name": "string", "po_number": "string",
	"total": "currency", "line_items": "array",
}

// legacyFields is the fields config of a legacy extractor, matching
// legacyFieldsOutput.
func legacyFields() []any {
	var out []any
	for _, k := range []string{"invoice_number", "invoice_date", "vendor_name", "po_number", "total", "line_items"} {
		out = append(out, obj{{"id", k}, {"name", k}, {"type", legacyFieldTypes[k]}, {"description", "The invoice's " + k}})
	}
	return out
}

// reviewer is who approves or rejects the samples' held runs.
const reviewer = "ap-lead@northwind.example"

// approve turns an extract run into one a reviewer approved after
// correcting the misread total: the extraction it made first, the one
// after review (which is also its output), and the edit with its note.
func (g *gen) approve(run obj) {
	g.doubtful = true
	initial := g.extractOutput()
	g.doubtful = false
	reviewed := g.extractOutput()
	run.set("output", reviewed)
	run.set("initialOutput", initial)
	run.set("reviewedOutput", reviewed)
	run.set("reviewed", true)
	run.set("edited", true)
	run.set("edits", obj{{"total.amount", obj{
		{"originalValue", g.doc.misread()}, {"editedValue", g.doc.total},
		{"notes", "Digits transposed in the scan; checked against the PO"}, {"page", g.doc.pages}, {"fieldType", "currency"},
	}}})
}

// splitFiles are the files a split makes of the sample's document, one per
// split, each naming its parent and the split it came from.
func (g *gen) splitFiles() []any {
	var files []any
	for i, sp := range g.splitOutput().get("splits").([]any) {
		s := sp.(obj)
		pages := s.get("endPage").(int) - s.get("startPage").(int) + 1
		f := g.fileNamed(fmt.Sprintf("split-file:%d", i+1), fmt.Sprintf("%s-part-%d.pdf", g.doc.fileName[:len(g.doc.fileName)-4], i+1), pages)
		f.set("parentFileId", g.id("file", "file_"))
		f.set("metadata", obj{{"pageCount", pages}, {"parentSplit", obj{
			{"id", s.get("id")}, {"type", s.get("type")}, {"identifier", s.get("identifier")},
			{"startPage", s.get("startPage")}, {"endPage", s.get("endPage")},
		}}})
		files = append(files, f)
	}
	return files
}

// remittance is the second file of a multi-file run: the vendor's
// remittance advice, sent with the invoice.
func (g *gen) remittance() obj {
	f := g.fileNamed("file:remittance", "remittance-"+g.doc.number+".pdf", 1)
	f.set("createdAt", g.at(48*time.Second))
	return f
}
