package sample

import (
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/output"
)

// The samples are read through extend/output, as the Fields and Review
// views read them: each shape §10 describes must come out of it.

func TestReviewScenarioHoldsThenApprovesWithAnEdit(t *testing.T) {
	s, _ := ScenarioByName("review")
	bodies, err := s.Bodies(Options{Rand: seeded(3), Now: sampleNow})
	if err != nil || len(bodies) != 2 {
		t.Fatalf("%d bodies, %v", len(bodies), err)
	}
	held := output.ReadReview(bodies[0], 0)
	if held.State != output.NeedsReview || len(held.Pending) < 2 {
		t.Fatalf("held run: %v, pending %d", held.State, len(held.Pending))
	}
	var pending []string
	for _, r := range held.Pending {
		pending = append(pending, r.Path)
	}
	if got := strings.Join(pending, " "); !strings.Contains(got, "total.amount") || !strings.Contains(got, "line_items[2].amount") {
		t.Errorf("doubtful fields %v", pending)
	}
	done := output.ReadReview(bodies[1], 0)
	if done.State != output.Approved || done.By != reviewer || done.At == "" || len(done.Runs) != 1 {
		t.Fatalf("approval %+v", done)
	}
	rr := done.Runs[0]
	if !rr.Reviewed || !rr.Edited || len(rr.Changes) != 1 || rr.Changes[0].Path != "total.amount" {
		t.Fatalf("run review %+v", rr)
	}
	heldTotal := output.Read(bodies[0], 0).Sections[1].Rows
	var misread string
	for _, r := range heldTotal {
		if r.Path == "total.amount" {
			misread = r.Value
		}
	}
	if rr.Changes[0].Old.Text() != misread || rr.Changes[0].New.Text() == misread {
		t.Errorf("the approval corrects the held run's total %s: %s → %s", misread, rr.Changes[0].Old.Text(), rr.Changes[0].New.Text())
	}
	if e, ok := rr.EditFor("total.amount"); !ok || e.Notes == "" || e.Page == 0 || e.FieldType != "currency" {
		t.Errorf("edit %+v", e)
	}
}

func TestExtractionSamplesCarryPathKeyedMetadataAndCitations(t *testing.T) {
	body := mustSample(t, "extract_run.processed", Options{Rand: seeded(1), Now: sampleNow})
	rows := output.Read(body, 0).Sections[0].Rows
	byPath := map[string]output.Row{}
	for _, r := range rows {
		byPath[r.Path] = r
	}
	if r := byPath["line_items[0].amount"]; r.MetaPath != "line_items[0]" || !r.Confidence.Known {
		t.Errorf("the first item's leaves use the item's metadata: %+v", r)
	}
	if r := byPath["line_items[1].amount"]; r.MetaPath != "line_items[1].amount" || len(r.Pages) != 1 {
		t.Errorf("the second item's leaves have their own: %+v", r)
	}
	d := byPath["invoice_number"].Detail()
	if len(d.Citations) != 1 || d.Citations[0].Page != 1 || !strings.HasPrefix(d.Citations[0].Text, "Invoice # ") {
		t.Errorf("citation %+v", d.Citations)
	}
	if r := byPath["total.amount"]; len(r.Pages) != 1 || r.Pages[0] < 2 {
		t.Errorf("the total is cited on the last page: %+v", r)
	}
}

func TestLegacySamplesUseTheFieldsArray(t *testing.T) {
	for _, v := range []extend.Version{extend.V20250421, extend.V20241223} {
		body := mustSample(t, "workflow_run.needs_review", Options{Version: v, Rand: seeded(1), Now: sampleNow})
		rep := output.Read(body, 0)
		var kinds []output.Kind
		for _, s := range rep.Sections {
			kinds = append(kinds, s.Kind)
		}
		if len(kinds) != 2 || kinds[1] != output.KindLegacyFields || rep.Low == 0 {
			t.Errorf("%s: sections %v, %d low", v, kinds, rep.Low)
		}
		if strings.Contains(string(mustSample(t, "processor.version.published", Options{Version: v, Rand: seeded(2)})), "identifierKey") {
			t.Errorf("%s: no splitter of that version had an identifierKey", v)
		}
	}
}

func TestUsageSplitsAndMultiFileRuns(t *testing.T) {
	body := mustSample(t, "workflow_run.completed", Options{Rand: seeded(1), Now: sampleNow})
	_, payload := output.Payload(body)
	c, ok := output.CreditsOf(payload)
	if !ok || len(c.Breakdown) < 3 || len(c.Breakdown[0].Charges) != 1 || c.Breakdown[0].Charges[0].Unit != "page" {
		t.Errorf("usage %+v", c)
	}
	split := decodeDelivery(t, mustSample(t, "workflow_run.step_run.processed", Options{StepType: "SPLIT", Rand: seeded(1)}))
	files := split.Payload["files"].([]any)
	child := files[1].(map[string]any)
	parent := child["metadata"].(map[string]any)["parentSplit"].(map[string]any)
	if len(files) != 3 || child["parentFileId"] != files[0].(map[string]any)["id"] || !strings.HasPrefix(parent["id"].(string), "splt_") {
		t.Errorf("split files %v", files)
	}
	multi := 0
	for seed := range uint64(12) {
		d := decodeDelivery(t, mustSample(t, "extract_run.processed", Options{Rand: seeded(seed)}))
		if fs, ok := d.Payload["files"].([]any); ok && len(fs) == 2 && d.Payload["file"] == nil {
			multi++
		}
	}
	if multi == 0 || multi == 12 {
		t.Errorf("%d of 12 extract runs read two files; want some", multi)
	}
}

func TestSignedURLSamplesLinkWhereAsked(t *testing.T) {
	var stashed []byte
	body := mustSample(t, "extract_run.processed", Options{SignedURL: true, LinkTo: func(p []byte) string {
		stashed = p
		return "http://127.0.0.1:9/payloads/x.json"
	}})
	d := decodeDelivery(t, body)
	if d.Payload["data"] != "http://127.0.0.1:9/payloads/x.json" || !strings.Contains(string(stashed), `"object": "extract_run"`) {
		t.Errorf("payload %v, stashed %.60s", d.Payload, stashed)
	}
	if rep := output.ReadPayload("extract_run.processed", stashed, 0); len(rep.Sections) != 1 {
		t.Errorf("the stashed payload is the run: %+v", rep)
	}
}
