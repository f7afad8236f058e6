package output

import "strings"

// ReviewState is where a run stands with its human review.
type ReviewState uint8

// The review states.
const (
	NotReviewed ReviewState = iota
	NeedsReview             // held for review: status NEEDS_REVIEW
	Approved                // reviewed and let through (2024-12-23: status REVIEWED)
	Rejected                // status REJECTED, with a rejection note
)

// String names the state as the Review view's heading shows it.
func (s ReviewState) String() string {
	switch s {
	case NeedsReview:
		return "needs review"
	case Approved:
		return "reviewed"
	case Rejected:
		return "rejected"
	default:
		return "not reviewed"
	}
}

// Review is the Review view of one event.
type Review struct {
	State         ReviewState
	By            string // reviewedByUser (2026) or reviewedBy (older: an email, or a user id in 2024-12-23)
	At            string // reviewedAt, as sent
	RejectionNote string
	Runs          []RunReview // the runs a reviewer looked at
	// Pending are the rows below the threshold of a run that needs review:
	// what the reviewer will look at.
	Pending   []Row
	Threshold float64
}

// RunReview is what a review did to one run's output.
type RunReview struct {
	Run      Run
	Reviewed bool
	Edited   bool
	Changes  []Difference // initialOutput against reviewedOutput, by field path
	Edits    []Edit       // as the run's edits map lists them
}

// Edit is one entry of a run's edits: what the reviewer changed and why.
type Edit struct {
	Path             string
	Original, Edited Raw
	Notes, FieldType string
	Page             int
}

// EditFor finds the edit recorded for a changed path, or its nearest
// ancestor's.
func (rr RunReview) EditFor(path string) (Edit, bool) {
	for p := path; p != ""; p = parentPath(p) {
		for _, e := range rr.Edits {
			if e.Path == p {
				return e, true
			}
		}
	}
	return Edit{}, false
}

// ReadReview reads the Review of a delivery body; threshold as for Read.
func ReadReview(body []byte, threshold float64) Review {
	eventType, payload := Payload(body)
	return ReviewPayload(eventType, payload, threshold)
}

// ReviewPayload reads the Review of a payload, the delivery's own or the
// one fetched from its signed link.
func ReviewPayload(eventType string, payload Raw, threshold float64) Review {
	threshold = thresholdOr(threshold)
	payload, p := objectOf(payload)
	rv := Review{
		By:            firstString(p.Get("reviewedByUser"), p.Get("reviewedBy")),
		At:            p.Get("reviewedAt").Str(),
		RejectionNote: p.Get("rejectionNote").Str(),
		Threshold:     threshold,
	}
	for _, run := range runsIn(payload, p) {
		if rr, ok := reviewOf(run); ok {
			rv.Runs = append(rv.Runs, rr)
		}
	}
	rv.State = reviewState(p, rv.Runs)
	if rv.State == NeedsReview {
		for _, s := range ReadPayload(eventType, payload, threshold).Sections {
			for _, r := range s.Rows {
				if r.Low {
					rv.Pending = append(rv.Pending, r)
				}
			}
		}
	}
	return rv
}

func reviewState(payload Object, runs []RunReview) ReviewState {
	switch payload.Get("status").Str() {
	case "NEEDS_REVIEW":
		return NeedsReview
	case "REJECTED":
		return Rejected
	case "REVIEWED":
		return Approved
	}
	if payload.Get("reviewed").Bool() || len(runs) > 0 {
		return Approved
	}
	return NotReviewed
}

// reviewOf reads a run's review: a run is reviewed when it says so, when it
// carries both its initial and reviewed outputs, or when it lists edits.
func reviewOf(run Run) (RunReview, bool) {
	initial, reviewed := run.Get("initialOutput"), run.Get("reviewedOutput")
	rr := RunReview{Run: run, Reviewed: run.Get("reviewed").Bool(), Edited: run.Get("edited").Bool(), Edits: edits(run.Get("edits"))}
	both := initial.IsObject() && reviewed.IsObject()
	if !rr.Reviewed && !both && len(rr.Edits) == 0 {
		return rr, false
	}
	if both {
		rr.Changes = fieldChanges(initial, reviewed)
	}
	return rr, true
}

// fieldChanges compares the parts of two outputs a reviewer edits: an
// extraction's value (not its metadata, which review does not touch), a
// legacy field's value, or the whole of a classification or split.
func fieldChanges(initial, reviewed Raw) []Difference {
	switch KindOf(initial) {
	case KindExtraction:
		return DiffRaw(initial.Get("value"), reviewed.Get("value"), "")
	case KindLegacyFields:
		var out []Difference
		for _, d := range DiffRaw(initial, reviewed, "") {
			field, rest, nested := strings.Cut(d.Path, ".")
			switch {
			case !nested:
				out = append(out, d)
			case rest == "value" || strings.HasPrefix(rest, "value.") || strings.HasPrefix(rest, "value["):
				d.Path = field + strings.TrimPrefix(rest, "value")
				out = append(out, d)
			}
		}
		return out
	}
	return DiffRaw(initial, reviewed, "")
}

func edits(m Raw) []Edit {
	var out []Edit
	m.Members(func(path string, e Raw) bool {
		page, _ := e.Get("page").Number()
		out = append(out, Edit{Path: path, Original: e.Get("originalValue"), Edited: e.Get("editedValue"),
			Notes: e.Get("notes").Str(), FieldType: e.Get("fieldType").Str(), Page: int(page)})
		return true
	})
	return out
}
