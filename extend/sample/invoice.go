package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// invoice is the document every sample is about: an accounts-payable inbox
// is the workflow Extend's own examples use, and one document shared by all
// nested objects keeps a sample's file, output and citations consistent.
type invoice struct {
	vendor, number, date, fileName, po string
	total                              float64
	pages                              int
	items                              []lineItem
}

// lineItem is one line of the invoice; the lines add up to its total.
type lineItem struct {
	description string
	quantity    int
	amount      float64
}

var itemNames = []string{"Hex bolts M8, box of 100", "Freight and handling", "Safety gloves, pair", "Pallet wrap, roll", "Cable ties, pack"}

var vendors = []string{
	"Northwind Traders LLC", "Contoso Office Supply", "Fabrikam Freight Inc.",
	"Tailspin Toys Ltd", "Wide World Importers", "Adventure Works Cycles",
}

// newInvoice draws the invoice from r, and its line items from items: a
// stream of their own, so that adding them left every other drawn value
// of the samples as it was.
func newInvoice(r, items *rand.Rand, now time.Time) invoice {
	vendor := vendors[r.IntN(len(vendors))]
	number := fmt.Sprintf("INV-%05d", 10000+r.IntN(90000))
	slug := strings.ToLower(strings.Fields(vendor)[0])
	total := float64(10000+r.IntN(990000)) / 100
	return invoice{
		items:    lineItems(items, total),
		vendor:   vendor,
		number:   number,
		date:     now.AddDate(0, 0, -3-r.IntN(20)).Format(time.DateOnly),
		fileName: slug + "-" + strings.ToLower(number) + ".pdf",
		po:       fmt.Sprintf("PO-%06d", r.IntN(1000000)),
		total:    total,
		pages:    2 + r.IntN(3), // the split sample needs an invoice and a cover page
	}
}

// lineItems splits total into three lines, in cents so they add up exactly.
func lineItems(r *rand.Rand, total float64) []lineItem {
	cents := int(total*100 + 0.5)
	first, second := cents/2, cents/3
	var items []lineItem
	for i, c := range []int{first, second, cents - first - second} {
		items = append(items, lineItem{description: itemNames[(r.IntN(len(itemNames))+i)%len(itemNames)], quantity: 1 + r.IntN(20), amount: float64(c) / 100})
	}
	return items
}

// Failure reasons by payload kind, as REFERENCE.md §3.2 lists them from the
// SDK's doc comments (the SDK types them as free strings).
var (
	workflowFailures = []string{"INTERNAL_ERROR", "DOCUMENT_PROCESSOR_ERROR", "INVALID_WORKFLOW", "FAILED_TO_PROCESS_FILE"}
	classifyFailures = []string{"ABORTED", "INTERNAL_ERROR", "FAILED_TO_PROCESS_FILE", "INVALID_PROCESSOR",
		"INVALID_CONFIGURATION", "PARSING_ERROR", "PRE_PROCESSING_FAILURE", "POST_PROCESSING_FAILURE", "OUT_OF_CREDITS"}
	extractFailures = append(classifyFailures[:len(classifyFailures):len(classifyFailures)], "SCHEMA_GENERATION_FAILED")
	parseFailures   = []string{"UNABLE_TO_DOWNLOAD_FILE", "FILE_TYPE_NOT_SUPPORTED", "FILE_SIZE_TOO_LARGE", "CORRUPT_FILE",
		"OCR_ERROR", "PASSWORD_PROTECTED_FILE", "FAILED_TO_CONVERT_TO_PDF", "FAILED_TO_CONVERT_TO_JPEG",
		"FAILED_TO_GENERATE_TARGET_FORMAT", "CHUNKING_ERROR", "INTERNAL_ERROR", "INVALID_CONFIG_OPTIONS", "OUT_OF_CREDITS"}
	editFailures = []string{"UNABLE_TO_DOWNLOAD_FILE", "FILE_TYPE_NOT_SUPPORTED", "FILE_SIZE_TOO_LARGE", "CORRUPT_FILE",
		"FIELD_DETECTION_ERROR", "PASSWORD_PROTECTED_FILE", "FAILED_TO_CONVERT_TO_PDF", "INTERNAL_ERROR",
		"INVALID_OPTIONS", "EMPTY_SCHEMA", "OUT_OF_CREDITS", "SCHEMA_VALIDATION_ERROR"}
)

// failureMessages reads like the failureMessage Extend pairs with a reason.
var failureMessages = map[string]string{
	"ABORTED":                          "The run was aborted before it finished.",
	"INTERNAL_ERROR":                   "An unexpected internal error occurred. Retrying usually succeeds.",
	"DOCUMENT_PROCESSOR_ERROR":         "A processor step of the workflow failed; see its step run for details.",
	"INVALID_WORKFLOW":                 "The workflow version has a step without a deployed processor.",
	"FAILED_TO_PROCESS_FILE":           "The file could not be read: image decoding failed on page 1.",
	"INVALID_PROCESSOR":                "The processor version referenced by this run is not valid.",
	"INVALID_CONFIGURATION":            "The configuration is incompatible with the selected base processor.",
	"PARSING_ERROR":                    "The model output could not be parsed into the requested schema.",
	"PRE_PROCESSING_FAILURE":           "Chunking the document failed before extraction started.",
	"POST_PROCESSING_FAILURE":          "Post-processing of the output failed.",
	"OUT_OF_CREDITS":                   "The workspace has insufficient credits to run this job.",
	"SCHEMA_GENERATION_FAILED":         "No schema was given and none could be generated from the file.",
	"UNABLE_TO_DOWNLOAD_FILE":          "The file URL returned HTTP 403; check that the link has not expired.",
	"FILE_TYPE_NOT_SUPPORTED":          "Files of type application/zip are not supported.",
	"FILE_SIZE_TOO_LARGE":              "The file exceeds the maximum allowed size.",
	"CORRUPT_FILE":                     "The file appears to be corrupted and cannot be opened.",
	"OCR_ERROR":                        "OCR failed on page 2.",
	"PASSWORD_PROTECTED_FILE":          "The PDF is encrypted and no password was supplied.",
	"FAILED_TO_CONVERT_TO_PDF":         "The document could not be converted to PDF.",
	"FAILED_TO_CONVERT_TO_JPEG":        "A page could not be rendered to JPEG.",
	"FAILED_TO_GENERATE_TARGET_FORMAT": "The markdown output could not be generated.",
	"CHUNKING_ERROR":                   "The document could not be split into chunks.",
	"INVALID_CONFIG_OPTIONS":           "The parse configuration options are invalid.",
	"FIELD_DETECTION_ERROR":            "Form field detection failed on page 1.",
	"INVALID_OPTIONS":                  "The edit configuration options are invalid.",
	"EMPTY_SCHEMA":                     "No schema was provided and no fields could be detected.",
	"SCHEMA_VALIDATION_ERROR":          "The filled values do not validate against the edit schema.",
}

// failure picks a reason from reasons and returns it with its message.
func (g *gen) failure(reasons []string) (reason, message string) {
	reason = reasons[g.r.IntN(len(reasons))]
	return reason, failureMessages[reason]
}

// metadata is what the caller attached to the run; runs a workflow starts
// carry the same.
func (g *gen) metadata() obj {
	tenants := []string{"northwind", "contoso", "fabrikam"}
	return obj{{"tenant", tenants[g.stable("tenant", len(tenants))]}, {"requestId", fmt.Sprintf("req-%05d", g.stable("request", 100000))}}
}

// The three processors a sample's workflow uses.
var (
	extractorNames  = []string{"Vendor Invoice Extractor", "AP Invoice Fields", "Invoice Header Extractor"}
	classifierNames = []string{"AP Document Router", "Inbox Classifier"}
	splitterNames   = []string{"Vendor Packet Splitter", "Mailroom Splitter"}
	workflowNames   = []string{"AP Invoice Intake", "Vendor Bill Processing", "Invoice Approval"}
)

// invoiceSchema is the JSON Schema of the extractor's config.
func invoiceSchema() obj {
	str := obj{{"type", []any{"string", "null"}}}
	num := obj{{"type", []any{"number", "null"}}}
	return obj{
		{"type", "object"},
		{"properties", obj{
			{"invoice_number", obj{{"type", []any{"string", "null"}}, {"description", "Invoice number printed in the header"}}},
			{"invoice_date", obj{{"type", []any{"string", "null"}}, {"extend:type", "date"}}},
			{"vendor_name", str},
			{"po_number", str},
			{"total", obj{
				{"type", "object"},
				{"extend:type", "currency"},
				{"properties", obj{{"amount", num}, {"iso_4217_currency_code", str}}},
				{"required", []any{"amount", "iso_4217_currency_code"}},
				{"additionalProperties", false},
			}},
			{"line_items", obj{
				{"type", "array"},
				{"items", obj{
					{"type", "object"},
					{"properties", obj{{"description", str}, {"quantity", num}, {"amount", num}}},
					{"required", []any{"description", "quantity", "amount"}},
					{"additionalProperties", false},
				}},
			}},
		}},
		{"required", []any{"invoice_number", "invoice_date", "vendor_name", "po_number", "total", "line_items"}},
		{"additionalProperties", false},
	}
}

// value is the extraction of the invoice. misread is what a doubtful
// extraction reads instead of the total: a held run shows it, and its
// reviewer corrects it.
func (d invoice) value(total float64) obj {
	var items []any
	for _, it := range d.items {
		items = append(items, obj{{"description", it.description}, {"quantity", it.quantity}, {"amount", it.amount}})
	}
	return obj{
		{"invoice_number", d.number},
		{"invoice_date", d.date},
		{"vendor_name", d.vendor},
		{"po_number", d.po},
		{"total", obj{{"amount", total}, {"iso_4217_currency_code", "USD"}}},
		{"line_items", items},
	}
}

// misread is the total with the two digits before the decimal point
// swapped, the classic misreading of a scanned amount; a total whose digits
// are the same there reads nine dollars high.
func (d invoice) misread() float64 {
	s := []byte(fmt.Sprintf("%.2f", d.total))
	i := len(s) - 4 // the units digit
	if i < 1 || s[i] == s[i-1] {
		return d.total + 9
	}
	s[i], s[i-1] = s[i-1], s[i]
	var f float64
	fmt.Sscanf(string(s), "%g", &f)
	return f
}

var (
	classifications = []any{
		obj{{"id", "vendor_invoice"}, {"type", "vendor_invoice"}, {"description", "A bill from a supplier requesting payment"}},
		obj{{"id", "credit_memo"}, {"type", "credit_memo"}, {"description", "A supplier credit note"}},
		obj{{"id", "other"}, {"type", "other"}, {"description", "Anything else"}},
	}
	splitClassifications = []any{
		obj{{"id", "vendor_invoice"}, {"type", "vendor_invoice"}, {"description", "One supplier invoice"}, {"identifierKey", "The invoice number in the header"}}, // identifierKey: 2026-02-09 only
		obj{{"id", "other"}, {"type", "other"}, {"description", "Any other page"}},
	}
)
