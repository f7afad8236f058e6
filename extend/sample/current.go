package sample

import (
	"fmt"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// This file builds 2026-02-09 payloads. Their authority is the TypeScript
// SDK's types (npm extend-ai); sdk_test.go checks every field against
// testdata/sdk-fields.json, which is derived from them. Nullable fields are
// always present, as null when they do not apply.

// current builds the payload of t in API version 2026-02-09.
func (g *gen) current(t extend.EventType) (obj, error) {
	family, action, _ := strings.Cut(t.Name, ".")
	failed := hasFailureReason(t.Name)
	switch family {
	case "workflow_run":
		return g.workflowRun(action), nil
	case "extract_run", "classify_run", "split_run":
		k := runKinds[family]
		return g.processorRun(k, g.runID, failed, failed && g.r.IntN(2) == 0), nil
	case "parse_run":
		return g.parseRunStatus(failed), nil
	case "edit_run":
		return g.editRun(failed), nil
	case "batch_processor_run", "batch_parse_run":
		return g.batchRun(failed), nil
	case "workflow":
		return g.workflow(action), nil
	case "extractor", "classifier", "splitter":
		k := resourceKinds[family]
		if action == "version.published" {
			v := g.version(k, false, true)
			v.set("createdAt", g.at(0))
			return v, nil
		}
		return g.resource(k, action), nil
	}
	return nil, fmt.Errorf("no %s shape for %s", extend.V20260209, t.Name)
}

// stable picks a value that stays the same in every sample of one run.
func (g *gen) stable(key string, n int) int {
	return int(hash(fmt.Sprint(g.seed, key)) % uint64(n))
}

func (g *gen) file() obj {
	return g.fileNamed("file", g.doc.fileName, g.doc.pages)
}

func (g *gen) fileNamed(key, name string, pages int) obj {
	return obj{
		{"object", "file"}, {"id", g.id(key, "file_")}, {"name", name}, {"type", "PDF"},
		{"parentFileId", nil}, {"metadata", obj{{"pageCount", pages}}},
		{"createdAt", g.at(48 * time.Second)}, {"updatedAt", g.at(47 * time.Second)},
	}
}

// resourceKind describes one of the three processors of 2026-02-09.
type resourceKind struct {
	name, prefix, versionPrefix string // "extractor", "ex_", "exv_"
	names                       []string
	config                      func() obj
}

var resourceKinds = map[string]resourceKind{
	"extractor":  {"extractor", "ex_", "exv_", extractorNames, extractConfig},
	"classifier": {"classifier", "cl_", "clv_", classifierNames, classifyConfig},
	"splitter":   {"splitter", "spl_", "splv_", splitterNames, splitConfig},
}

func extractConfig() obj {
	return obj{{"baseProcessor", "extraction_performance"}, {"baseVersion", "4.6.0"}, {"schema", invoiceSchema()}}
}

func classifyConfig() obj {
	return obj{{"baseProcessor", "classification_performance"}, {"classifications", classifications}}
}

func splitConfig() obj {
	return obj{{"baseProcessor", "splitting_performance"}, {"splitClassifications", splitClassifications}}
}

// age is how long ago a resource was created and last changed; both stay
// fixed within a run.
func (g *gen) age(key string) (created, updated time.Duration) {
	created = time.Duration(30*86400+g.stable(key+":created", 150*86400)) * time.Second
	updated = time.Duration(86400+g.stable(key+":updated", 25*86400)) * time.Second
	return created, updated
}

func (g *gen) versionNumber(key string) string {
	return fmt.Sprintf("%d.%d", 1+g.stable(key+":major", 4), g.stable(key+":minor", 3))
}

// summary is the short form of a resource that runs carry.
func (g *gen) summary(k resourceKind) obj {
	created, updated := g.age(k.name)
	return obj{
		{"object", k.name}, {"id", g.id(k.name, k.prefix)}, {"name", k.names[g.stable(k.name, len(k.names))]},
		{"createdAt", g.at(created)}, {"updatedAt", g.at(updated)},
	}
}

// resource is the payload of *.created, *.updated, *.deleted and
// *.draft.updated: the resource with its draft version, changed just now.
func (g *gen) resource(k resourceKind, action string) obj {
	o, draft := g.summary(k), g.version(k, true, true)
	o.set("updatedAt", g.at(0))
	if action == "created" {
		o.set("createdAt", g.at(0))
		draft.set("createdAt", g.at(0))
	}
	return append(o, kv{"draftVersion", draft})
}

// version is a resource version: the draft, or the published version runs
// use (the payload of *.version.published). Without config it is the
// summary that runs carry.
func (g *gen) version(k resourceKind, draft, full bool) obj {
	created, updated := g.age(k.name)
	key, number, description, at := k.name+"_version", g.versionNumber(k.name), any("Adds PO number and remit-to address"), g.at(updated)
	if draft {
		key, number, description, at = k.name+"_draft", "draft", nil, g.at(created)
	}
	o := obj{{"object", k.name + "_version"}, {"id", g.id(key, k.versionPrefix)}, {"description", description}, {"version", number}}
	if full {
		o = append(o, kv{"config", k.config()})
	}
	return append(o,
		kv{k.name + "Id", g.id(k.name, k.prefix)},
		kv{"createdAt", at},
		kv{"createdBy", g.stableCreatedBy(key)},
	)
}

func (g *gen) stableCreatedBy(key string) any {
	switch g.stable(key+":by", 3) {
	case 0:
		return obj{{"type", "user"}, {"email", "ops@contoso.example"}}
	case 1:
		return obj{{"type", "api_key"}, {"name", "ci-deploy"}}
	default:
		return nil
	}
}

// runKind describes one of the three processor runs of 2026-02-09.
type runKind struct {
	object, prefix, path, resultKey string
	res                             resourceKind
	reasons                         []string
}

var runKinds = map[string]runKind{
	"extract_run":  {"extract_run", "exr_", "extract-runs", "extractRun", resourceKinds["extractor"], extractFailures},
	"classify_run": {"classify_run", "clr_", "classify-runs", "classifyRun", resourceKinds["classifier"], classifyFailures},
	"split_run":    {"split_run", "splr_", "split-runs", "splitRun", resourceKinds["splitter"], classifyFailures},
}

// processorRun builds an ExtractRun, ClassifyRun or SplitRun. An inline run
// used a config passed in the request, so it names no extractor.
func (g *gen) processorRun(k runKind, id string, failed, inline bool) obj {
	isExtract := k.object == "extract_run"
	status, output, reason, message, usage := "PROCESSED", any(g.output(k.object)), any(nil), any(nil), any(g.runUsage(k.object, id))
	parseRunID := any(g.id("parse_run", "pr_"))
	if failed {
		r, m := g.failure(k.reasons)
		status, output, reason, message, usage, parseRunID = "FAILED", nil, r, m, nil, nil
	}
	res, ver := any(g.summary(k.res)), any(g.version(k.res, false, false))
	if inline {
		res, ver = nil, nil
	}
	o := obj{{"object", k.object}, {"id", id}, {"status", status}, {"output", output}}
	if !isExtract {
		o = append(o, kv{k.res.name, res}, kv{k.res.name + "Version", ver})
	}
	o = append(o, obj{
		{"initialOutput", nil}, {"reviewedOutput", nil}, {"failureReason", reason}, {"failureMessage", message},
		{"metadata", g.metadata()}, {"reviewed", false}, {"edited", false},
	}...)
	if isExtract {
		file, files := any(g.file()), any(nil)
		if g.multiFile(id) {
			file, files = nil, []any{g.file(), g.remittance()}
		}
		o = append(o, kv{"edits", nil}, kv{"config", k.res.config()}, kv{"extractor", res}, kv{"extractorVersion", ver},
			kv{"file", file}, kv{"files", files})
	} else {
		o = append(o, kv{"config", k.res.config()}, kv{"file", g.file()})
	}
	return append(o, obj{
		{"parseRunId", parseRunID}, {"dashboardUrl", "https://dashboard.extend.ai/" + k.path + "/" + id},
		{"usage", usage}, {"createdAt", g.at(40 * time.Second)}, {"updatedAt", g.at(0)},
	}...)
}

// multiFile picks a third of the extract runs that are events of their own
// (not a workflow's steps) to read two files, the invoice and its
// remittance advice; such a run names no single file.
func (g *gen) multiFile(id string) bool {
	return id == g.runID && g.stable("multi-file", 3) == 0
}

func (g *gen) output(object string) obj {
	switch object {
	case "extract_run":
		return g.extractOutput()
	case "classify_run":
		return g.classifyOutput()
	default:
		return g.splitOutput()
	}
}

func (g *gen) citation(text string, page int) obj {
	x, y := 380+float64(g.r.IntN(40)), 60+float64(g.r.IntN(20))
	corner := func(dx, dy float64) obj { return obj{{"x", x + dx}, {"y", y + dy}} }
	return obj{
		{"fileId", g.id("file", "file_")},
		{"page", obj{{"number", page}, {"width", 612}, {"height", 792}}},
		{"referenceText", text},
		{"polygon", []any{corner(0, 0), corner(129.5, 0), corner(129.5, 14.5), corner(0, 14.5)}},
	}
}

func (g *gen) classifyOutput() obj {
	return obj{
		{"id", "vendor_invoice"}, {"type", "vendor_invoice"}, {"confidence", g.confidence(0.9, 0.099)},
		{"insights", []any{obj{{"type", "reasoning"}, {"content", "Header reads INVOICE from " + g.doc.vendor +
			", with a remit-to block and a balance due."}}}},
	}
}

// splitOutput cuts the file into the invoice and a remittance cover page.
func (g *gen) splitOutput() obj {
	last := g.doc.pages
	return obj{{"splits", []any{
		obj{
			{"type", "vendor_invoice"}, {"observation", fmt.Sprintf("Pages 1-%d form one invoice from %s.", last-1, g.doc.vendor)},
			{"identifier", g.doc.number}, {"startPage", 1}, {"endPage", last - 1}, {"name", g.doc.vendor + " " + g.doc.number},
			{"classificationId", "vendor_invoice"}, {"id", g.id("split:1", "splt_")}, {"fileId", g.id("split-file:1", "file_")},
		},
		obj{
			{"type", "other"}, {"observation", fmt.Sprintf("Page %d is a remittance cover letter.", last)},
			{"identifier", ""}, {"startPage", last}, {"endPage", last},
			{"classificationId", "other"}, {"id", g.id("split:2", "splt_")}, {"fileId", g.id("split-file:2", "file_")},
		},
	}}}
}

// credits is what a run of this kind costs for the sample's document.
func (g *gen) credits(object string) int {
	switch object {
	case "classify_run":
		return 1
	case "extract_run":
		return 2 * g.doc.pages
	default: // parse, split and edit runs are billed by the page
		return g.doc.pages
	}
}

// line is one child run's share of a usage, with the charge it was billed
// for: by the page, over the pages it read.
func (g *gen) line(object, id string, credits int) obj {
	pages := g.doc.pages
	if object == "classify_run" {
		pages = 1 // routing reads the first page
	}
	var list []any
	for p := 1; p <= pages; p++ {
		list = append(list, p)
	}
	charge := obj{{"product", chargeProducts[object]}, {"unit", "page"}, {"quantity", pages}, {"credits", credits}, {"pages", list}}
	return obj{{"object", object}, {"id", id}, {"credits", credits}, {"charges", []any{charge}}}
}

// chargeProducts names what each kind of run is billed as.
var chargeProducts = map[string]string{
	"parse_run": "parse_performance", "extract_run": "extraction_performance", "classify_run": "classification_performance",
	"split_run": "splitting_performance", "edit_run": "edit",
}

// runUsage bills a processor run and the parse run it triggered.
func (g *gen) runUsage(object, id string) obj {
	own, parse := g.credits(object), g.credits("parse_run")
	return obj{
		{"credits", own}, {"totalCredits", own + parse},
		{"breakdown", []any{g.line("parse_run", g.id("parse_run", "pr_"), parse), g.line(object, id, own)}},
	}
}

func (g *gen) parseRunStatus(failed bool) obj {
	o := obj{{"object", "parse_run_status"}, {"id", g.runID}}
	if failed {
		r, m := g.failure(parseFailures)
		return append(o, kv{"status", "FAILED"}, kv{"failureReason", r}, kv{"failureMessage", m}, kv{"metadata", g.metadata()})
	}
	return append(o, kv{"status", "PROCESSED"}, kv{"failureReason", nil}, kv{"failureMessage", nil}, kv{"metadata", g.metadata()})
}

// parseRun is the full ParseRun a PARSE step's result carries: one markdown
// chunk per page.
func (g *gen) parseRun() obj {
	id := g.id("parse_run", "pr_")
	var chunks []any
	for p := 1; p <= g.doc.pages; p++ {
		content := fmt.Sprintf("Page %d of %d\n\n| Description | Qty | Amount |\n| --- | --- | --- |\n| Services | 1 | %.2f |", p, g.doc.pages, g.doc.total)
		if p == 1 {
			content = fmt.Sprintf("# INVOICE\n\n**%s**\n\nInvoice # %s  \nDate: %s  \nPO: %s", g.doc.vendor, g.doc.number, g.doc.date, g.doc.po)
		}
		chunks = append(chunks, obj{{"object", "chunk"}, {"type", "page"}, {"content", content},
			{"metadata", obj{{"pageRange", obj{{"start", p}, {"end", p}}}}}, {"blocks", []any{}}})
	}
	credits := g.credits("parse_run")
	return obj{
		{"object", "parse_run"}, {"id", id}, {"file", g.file()}, {"status", "PROCESSED"},
		{"failureReason", nil}, {"failureMessage", nil}, {"metadata", nil},
		{"output", obj{{"chunks", chunks}}}, {"outputUrl", nil},
		{"metrics", obj{{"processingTimeMs", 1500 + g.r.IntN(4000)}, {"pageCount", g.doc.pages}}},
		{"config", obj{{"target", "markdown"}, {"chunkingStrategy", obj{{"type", "page"}}}, {"engine", "parse_performance"}}},
		{"usage", obj{{"credits", credits}, {"totalCredits", credits}, {"breakdown", []any{g.line("parse_run", id, credits)}}}},
	}
}

// editRun fills a vendor onboarding form; it has no metadata, createdAt or
// dashboardUrl in the SDK's type.
func (g *gen) editRun(failed bool) obj {
	id := g.runID
	o := obj{{"object", "edit_run"}, {"id", id}, {"file", g.fileNamed("form", "w9-blank.pdf", 6)}}
	config := obj{{"instructions", "Fill the W-9 for " + g.doc.vendor + ", an LLC taxed as a C corporation."}}
	if failed {
		r, m := g.failure(editFailures)
		return append(o, obj{{"status", "FAILED"}, {"failureReason", r}, {"failureMessage", m}, {"config", config},
			{"output", nil}, {"metrics", nil}, {"usage", nil}}...)
	}
	edited := g.id("edited-file", "file_")
	detect, annotate, fill := 4000+g.r.IntN(4000), 5000+g.r.IntN(4000), 3000+g.r.IntN(3000)
	return append(o, obj{
		{"status", "PROCESSED"}, {"failureReason", nil}, {"failureMessage", nil}, {"config", config},
		{"output", obj{
			{"editedFile", obj{{"id", edited}, {"presignedUrl", fmt.Sprintf(
				"https://files.example-bucket.invalid/edited/%s.pdf?X-Signature=%06x&Expires=%d", edited, g.r.IntN(1<<24), g.now.Add(15*time.Minute).Unix())}}},
			{"filledValues", obj{{"name", g.doc.vendor}, {"tax_classification", "C corporation"}}},
		}},
		{"metrics", obj{
			{"processingTimeMs", detect + annotate + fill}, {"pageCount", 6}, {"fieldCount", 23},
			{"fieldsDetectedCount", 23}, {"fieldsAnnotatedCount", 21}, {"fieldDetectionTimeMs", detect},
			{"fieldAnnotationTimeMs", annotate}, {"fieldFillingTimeMs", fill},
		}},
		{"usage", obj{{"credits", 12}, {"totalCredits", 12}, {"breakdown", []any{g.line("edit_run", id, 12)}}}},
	}...)
}

// batchRun is the four-field pointer batch events carry; per-run results
// have to be fetched.
func (g *gen) batchRun(failed bool) obj {
	status := "PROCESSED"
	if failed {
		status = "FAILED"
	}
	return obj{
		{"object", "batch_run"}, {"id", g.runID}, {"status", status},
		{"runCount", 5 + g.r.IntN(200)}, {"createdAt", g.at(time.Duration(2+g.r.IntN(40)) * time.Minute)},
	}
}
