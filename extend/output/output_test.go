package output

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

const fixtures = "../../testdata/fixtures"

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rowByPath(t *testing.T, rows []Row, path string) Row {
	t.Helper()
	for _, r := range rows {
		if r.Path == path {
			return r
		}
	}
	t.Fatalf("no row %s in %v", path, paths(rows))
	return Row{}
}

func paths(rows []Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Path)
	}
	return out
}

func TestFieldsOfJSONSchemaOutput(t *testing.T) {
	rep := Read(read(t, fixtures+"/extract_run.processed.json"), 0)
	if rep.None != "" || len(rep.Sections) != 1 {
		t.Fatalf("report %+v", rep)
	}
	s := rep.Sections[0]
	if s.Kind != KindExtraction || s.Run.Path != "payload" || s.Run.Name != "Vendor Invoice Extractor" {
		t.Errorf("section %v %q %q", s.Kind, s.Run.Path, s.Run.Name)
	}
	want := []string{"invoice_number", "invoice_date", "vendor_name", "total.amount", "total.iso_4217_currency_code"}
	if got := paths(s.Rows); !slices.Equal(got, want) {
		t.Errorf("paths %v, want %v", got, want)
	}
	inv := rowByPath(t, s.Rows, "invoice_number")
	if inv.Value != "INV-20417" || inv.Confidence.String() != "1.00" || inv.OCR.Value != 0.991 || !slices.Equal(inv.Pages, []int{1}) {
		t.Errorf("invoice_number row %+v", inv)
	}
	d := inv.Detail()
	if len(d.Citations) != 1 || d.Citations[0].Text != "Invoice # INV-20417" || d.Citations[0].Page != 1 {
		t.Errorf("detail %+v", d)
	}
	amount := rowByPath(t, s.Rows, "total.amount")
	if amount.MetaPath != "total" || amount.Confidence.Value != 0.997 || amount.Value != "4812.55" {
		t.Errorf("total.amount inherits total's metadata: %+v", amount)
	}
	if rep.Low != 0 || rep.Heading() != "no field below 0.80" {
		t.Errorf("low %d, heading %q", rep.Low, rep.Heading())
	}
}

func TestArrayItemsFallBackToTheirParentsMetadata(t *testing.T) {
	body := `{"eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_1","output":{
		"value":{"line_items":[{"description":"Bolts","amount":4},{"description":"Nuts","amount":2}],"tags":[]},
		"metadata":{"line_items[0]":{"logprobsConfidence":0.5},"line_items[1].amount":{"logprobsConfidence":0.95,"reviewAgentScore":4,
		"citations":[{"page":{"number":2},"referenceText":"2.00"},{"page":3},{"page":{"number":2}}],"insights":[{"type":"reasoning","content":"sum"}]}}}}}`
	rep := Read([]byte(body), 0.8)
	rows := rep.Sections[0].Rows
	want := []string{"line_items[0].description", "line_items[0].amount", "line_items[1].description", "line_items[1].amount", "tags"}
	if got := paths(rows); !slices.Equal(got, want) {
		t.Fatalf("paths %v", got)
	}
	if r := rows[0]; r.MetaPath != "line_items[0]" || !r.Low || r.Confidence.Value != 0.5 {
		t.Errorf("item 0 description %+v", r)
	}
	if r := rows[2]; r.MetaPath != "" || r.Low || r.Confidence.Known {
		t.Errorf("item 1 description has no metadata: %+v", r)
	}
	r := rows[3]
	if r.ReviewScore.Value != 4 || !slices.Equal(r.Pages, []int{2, 3}) || r.PagesText() != "2–3" {
		t.Errorf("item 1 amount %+v", r)
	}
	if d := r.Detail(); len(d.Citations) != 3 || d.Citations[1].Page != 3 || d.Insights[0].Content != "sum" {
		t.Errorf("detail %+v", d)
	}
	if rows[4].Value != "[]" {
		t.Errorf("an empty array is a row of its own: %+v", rows[4])
	}
	if rep.Low != 2 || rep.Heading() != "2 fields below 0.80" {
		t.Errorf("low %d %q", rep.Low, rep.Heading())
	}
}

func TestFieldsOfLegacyOutputs(t *testing.T) {
	rep := Read(read(t, "testdata/legacy-fields.json"), 0)
	if len(rep.Sections) != 2 {
		t.Fatalf("sections %+v", rep.Sections)
	}
	legacy, class := rep.Sections[0], rep.Sections[1]
	if legacy.Kind != KindLegacyFields || legacy.Run.Path != "payload.outputs[0]" || legacy.Run.Title() != "Lease Extractor · document_processor_run dpr_L1" {
		t.Errorf("legacy section %v %q %q", legacy.Kind, legacy.Run.Path, legacy.Run.Title())
	}
	tenant := rowByPath(t, legacy.Rows, "tenant_name")
	if tenant.Type != "string" || !tenant.Low || !slices.Equal(tenant.Pages, []int{3, 1}) || tenant.Detail().Insights[0].Content != "Handwritten" {
		t.Errorf("tenant %+v", tenant)
	}
	if rent := rowByPath(t, legacy.Rows, "monthly_rent"); rent.Value != `{"amount":2150,"iso_4217_currency_code":"USD"}` || rent.Low {
		t.Errorf("rent %+v", rent)
	}
	if class.Kind != KindClassification || class.Rows[0].Value != "lease" || class.Rows[0].Second != "Reads as a residential lease." {
		t.Errorf("classification %+v", class)
	}
	if rep.Heading() != "1 field below 0.80" {
		t.Errorf("heading %q", rep.Heading())
	}
}

func TestFieldsOfOlderFixtures(t *testing.T) {
	for _, c := range []struct {
		file, path string
		kind       Kind
		rows       int
	}{
		{"workflow_run.completed.2025-04-21.json", "payload.outputs[0]", KindExtraction, 3},
		{"workflow_run.needs_review.2024-12-23.json", "payload.outputs[0]", KindExtraction, 3},
		{"processor_run.processed.json", "payload", KindExtraction, 3},
		{"workflow_run.step_run.processed.json", "payload.result.extractRun", KindExtraction, 0},
		{"classify_run.processed.json", "payload", KindClassification, 1},
		{"split_run.processed.json", "payload", KindSplit, 3},
	} {
		rep := Read(read(t, fixtures+"/"+c.file), 0)
		if len(rep.Sections) == 0 {
			t.Errorf("%s: no section (%s)", c.file, rep.None)
			continue
		}
		s := rep.Sections[0]
		if s.Run.Path != c.path || s.Kind != c.kind || (c.rows > 0 && len(s.Rows) != c.rows) {
			t.Errorf("%s: %s %v %d rows", c.file, s.Run.Path, s.Kind, len(s.Rows))
		}
	}
}

func TestFieldsOfSplitAndWorkflow(t *testing.T) {
	split := Read(read(t, fixtures+"/split_run.processed.json"), 0).Sections[0]
	r := split.Rows[1]
	if r.Path != "splits[1]" || r.Type != "vendor_invoice" || r.Value != "INV-20452" || r.PagesText() != "3–5" || r.Name != "Northwind INV-20452" {
		t.Errorf("split row %+v", r)
	}
	wf := Read(read(t, fixtures+"/workflow_run.completed.json"), 0)
	var kinds []Kind
	for _, s := range wf.Sections {
		kinds = append(kinds, s.Kind)
	}
	if !slices.Equal(kinds, []Kind{KindClassification, KindExtraction}) {
		t.Errorf("workflow sections %v", kinds)
	}
	if !strings.Contains(wf.Sections[1].Run.Path, "payload.stepRuns[1].result.extractRun") {
		t.Errorf("extract path %q", wf.Sections[1].Run.Path)
	}
}

func TestEventsWithoutOutputSayWhatTheyAre(t *testing.T) {
	for file, want := range map[string]string{
		"parse_run.processed.json":               "parse_run.processed carries only a status: its output is fetched through Extend's API",
		"classifier.created.json":                "a lifecycle event has no output",
		"workflow.deployed.json":                 "a lifecycle event has no output",
		"batch_processor_run.processed.json":     "batch_processor_run.processed carries only the batch's status and run count",
		"workflow_run.completed.signed-url.json": "the payload is behind a signed link",
		"extract_run.failed.json":                "failed (OUT_OF_CREDITS) before it produced an output",
		"edit_run.processed.json":                "an edit run's output is a filled file",
		"workflow_run.failed.json":               "this workflow run lists no step run with an output",
	} {
		rep := Read(read(t, fixtures+"/"+file), 0)
		if !strings.Contains(rep.None, want) || len(rep.Sections) != 0 {
			t.Errorf("%s: %q, want %q", file, rep.None, want)
		}
	}
	if rep := Read([]byte(`[1,2]`), 0); rep.None == "" {
		t.Error("a body that is not an envelope has no output")
	}
}

func TestReviewOfAnApprovedEditedRun(t *testing.T) {
	rv := ReadReview(read(t, "testdata/reviewed.json"), 0)
	if rv.State != Approved || rv.By != "ap-lead@northwind.example" || rv.At != "2026-07-20T09:31:00Z" || len(rv.Runs) != 1 {
		t.Fatalf("review %+v", rv)
	}
	rr := rv.Runs[0]
	if !rr.Reviewed || !rr.Edited {
		t.Errorf("run review %+v", rr)
	}
	got := map[string]string{}
	for _, d := range rr.Changes {
		got[d.Path] = d.Op.String() + " " + d.Old.Text() + " → " + d.New.Text()
	}
	want := map[string]string{
		"total.amount": "~ 4812.55 → 4821.55",
		"notes":        "- x → ",
		"po_number":    "+  → PO-1",
	}
	if len(got) != len(want) {
		t.Errorf("changes %v, want %v (key order and metadata ignored)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("change %s: %q, want %q", k, got[k], v)
		}
	}
	e, ok := rr.EditFor("total.amount")
	if !ok || e.Notes != "Digits transposed in the scan" || e.Page != 2 || e.FieldType != "currency" || e.Original.Text() != "4812.55" {
		t.Errorf("edit %+v %v", e, ok)
	}
}

func TestReviewOfRejectedAndPendingRuns(t *testing.T) {
	rejected := `{"eventType":"workflow_run.rejected","payload":{"object":"workflow_run","status":"REJECTED","reviewed":true,
		"reviewedBy":"ap-lead@northwind.example","reviewedAt":"2025-05-01T10:00:00Z","rejectionNote":"Duplicate of an invoice already paid."}}`
	rv := ReadReview([]byte(rejected), 0)
	if rv.State != Rejected || rv.RejectionNote != "Duplicate of an invoice already paid." || rv.By != "ap-lead@northwind.example" {
		t.Errorf("rejected %+v", rv)
	}
	pending := ReadReview(read(t, "testdata/legacy-fields.json"), 0)
	if pending.State != NeedsReview || len(pending.Pending) != 1 || pending.Pending[0].Path != "tenant_name" {
		t.Errorf("pending %+v", pending)
	}
	old := ReadReview(read(t, fixtures+"/workflow_run.needs_review.2024-12-23.json"), 0.7)
	if old.State != NeedsReview || len(old.Pending) != 1 || old.Pending[0].Path != "tenant_name" {
		t.Errorf("2024-12-23 pending %+v", old.Pending)
	}
	if plain := ReadReview(read(t, fixtures+"/extract_run.processed.json"), 0); plain.State != NotReviewed || len(plain.Runs) != 0 {
		t.Errorf("unreviewed %+v", plain)
	}
}

func TestLegacyReviewComparesValues(t *testing.T) {
	body := `{"eventType":"processor_run.processed","payload":{"object":"document_processor_run","id":"dpr_1","reviewed":true,
		"initialOutput":{"rent":{"type":"number","value":2150,"confidence":0.6},"unit":{"type":"string","value":"4B"}},
		"reviewedOutput":{"rent":{"type":"number","value":2250,"confidence":1},"unit":{"type":"string","value":"4B"}},
		"edits":{"rent":{"originalValue":2150,"editedValue":2250,"notes":"per addendum","page":4,"fieldType":"number"}}}}`
	rr := ReadReview([]byte(body), 0).Runs[0]
	if len(rr.Changes) != 1 || rr.Changes[0].Path != "rent" || rr.Changes[0].New.Text() != "2250" {
		t.Errorf("changes %+v", rr.Changes)
	}
	if e, ok := rr.EditFor("rent"); !ok || e.Notes != "per addendum" {
		t.Errorf("edit %+v", e)
	}
}

func TestCredits(t *testing.T) {
	_, payload := Payload(read(t, "testdata/reviewed.json"))
	c, ok := CreditsOf(payload)
	if !ok || c.Credits.Value != 9 || c.Total.Value != 9 || len(c.Breakdown) != 2 {
		t.Fatalf("credits %+v", c)
	}
	if ch := c.Breakdown[0].Charges; len(ch) != 1 || ch[0].Unit != "page" || !slices.Equal(ch[0].Pages, []int{1, 2, 3}) {
		t.Errorf("charges %+v", ch)
	}
	_, step := Payload(read(t, fixtures+"/workflow_run.step_run.processed.json"))
	if c, ok := CreditsOf(step); !ok || !c.Credits.Known {
		t.Errorf("a step run's credits are its run's: %+v", c)
	}
	_, lifecycle := Payload(read(t, fixtures+"/workflow.deployed.json"))
	if _, ok := CreditsOf(lifecycle); ok {
		t.Error("a lifecycle event has no usage")
	}
}

func TestDiffIgnoresKeyOrderAndShowsOnlyDifferences(t *testing.T) {
	a := `{"eventId":"e1","payload":{"status":"FAILED","n":1.0,"list":[1,2,3],"same":{"x":"\u0041"},"gone":true}}`
	b := `{"payload":{"same":{"x":"A"},"n":1,"list":[1,5],"status":"PROCESSED","new":null},"eventId":"e1"}`
	var got []string
	for _, d := range Diff([]byte(a), []byte(b)) {
		got = append(got, d.Op.String()+" "+d.Path+" "+d.Old.Text()+"|"+d.New.Text())
	}
	want := []string{
		"~ payload.status FAILED|PROCESSED",
		"~ payload.list[1] 2|5",
		"- payload.list[2] 3|",
		"- payload.gone true|",
		"+ payload.new |null",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := Diff([]byte(a), []byte(a)); len(d) != 0 {
		t.Errorf("a body against itself: %v", d)
	}
	if d := Diff([]byte(`{"a":1}`), []byte(`[1]`)); len(d) != 1 || d[0].Op != Changed || d[0].Path != "" {
		t.Errorf("different kinds at the root: %+v", d)
	}
}

func TestLinkExpiry(t *testing.T) {
	arrived := time.Date(2026, 7, 20, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		link, param string
		at          time.Time
	}{
		{"https://x.invalid/p.json?token=abc", "", arrived.Add(time.Hour)},
		{"https://x.invalid/p.json?X-Amz-Date=20260720T091500Z&X-Amz-Expires=3600&X-Amz-Signature=f", "X-Amz-Expires", time.Date(2026, 7, 20, 10, 15, 0, 0, time.UTC)},
		{"https://x.invalid/p.json?x-goog-date=20260720T090000Z&x-goog-expires=600", "X-Goog-Expires", time.Date(2026, 7, 20, 9, 10, 0, 0, time.UTC)},
		{"https://x.invalid/p.json?Expires=1784541600&Signature=s", "Expires", time.Unix(1784541600, 0).UTC()},
		{"https://x.invalid/p.json?sv=2024&se=2026-07-20T11:00:00Z&sig=s", "se", time.Date(2026, 7, 20, 11, 0, 0, 0, time.UTC)},
		{"https://x.invalid/p.json?X-Amz-Expires=3600", "", arrived.Add(time.Hour)},
		{"::not a url", "", arrived.Add(time.Hour)},
	} {
		e := LinkExpiry(c.link, arrived)
		if !e.At.Equal(c.at) || e.Param != c.param {
			t.Errorf("%s: %v %q, want %v %q", c.link, e.At, e.Param, c.at, c.param)
		}
	}
	e := LinkExpiry("https://x.invalid/", arrived)
	if got := e.Describe(arrived.Add(23*time.Minute), time.UTC); got != "expires 10:30:00 (in 37m)" {
		t.Errorf("describe %q", got)
	}
	if got := e.Describe(arrived.Add(65*time.Minute), time.UTC); got != "expired at 10:30:00 (5m ago)" {
		t.Errorf("describe %q", got)
	}
	if got := e.Short(arrived.Add(23*time.Minute), time.UTC); got != "10:30 (37m)" {
		t.Errorf("short %q", got)
	}
	if got := e.Short(arrived.Add(65*time.Minute), time.UTC); got != "expired 10:30" {
		t.Errorf("short %q", got)
	}
}

func TestRawReader(t *testing.T) {
	r := trimRaw([]byte(` {"a" : "x\"y", "b":[ 1 , {"c":null} ], "d":-2.5e1, "e":"\u00e9"} `))
	if r.Get("a").Str() != `x"y` || r.Path("b").Len() != 2 || r.Get("e").Str() != "é" {
		t.Errorf("reader: %q %d %q", r.Get("a").Str(), r.Get("b").Len(), r.Get("e").Str())
	}
	if n, ok := r.Get("d").Number(); !ok || n != -25 {
		t.Errorf("number %v %v", n, ok)
	}
	if r.Get("missing") != nil || r.Get("a").Get("x") != nil {
		t.Error("missing keys give nil")
	}
	if got := r.Get("b").Indented(); got != "[\n  1,\n  {\n    \"c\": null\n  }\n]" {
		t.Errorf("indented %q", got)
	}
}

func TestDeepNestingStopsAtTheLimit(t *testing.T) {
	deep := strings.Repeat("[", maxDepth+5) + "1" + strings.Repeat("]", maxDepth+5)
	body := `{"eventType":"extract_run.processed","payload":{"object":"extract_run","output":{"value":{"a":` + deep + `},"metadata":{"a":{}}}}}`
	rows := Read([]byte(body), 0).Sections[0].Rows
	if len(rows) != 1 || !strings.HasPrefix(rows[0].Path, "a[0][0]") {
		t.Errorf("%d rows", len(rows))
	}
	other := strings.Replace(deep, "1", "2", 1)
	if d := Diff([]byte(deep), []byte(other)); len(d) != 1 || d[0].Op != Changed {
		t.Errorf("diff %d", len(d))
	}
}
