package extend

import (
	"testing"
	"time"
)

func TestRunFromFixtures(t *testing.T) {
	cases := []struct {
		fixture, id, kind, name, step string
		contains                      []string
		credits                       float64
	}{
		{"workflow_run.step_run.processed.json", "workflow_run_Tq7Lm2Vx9pKd_3RzW8nYb", "workflow_run", "", "Extract invoice fields", []string{"exr_Pz8Qc3Wm6Nv1Kt4Rs9Ld"}, 0},
		{"extractor.version.published.json", "", "extractor", "", "", nil, 0},
		{"workflow_run.completed.signed-url.json", "", "workflow_run", "", "", nil, 0},
	}
	for _, c := range cases {
		r := ParseEnvelope(readFixture(t, c.fixture)).Run
		if c.id != "" && r.ID != c.id || r.Kind != c.kind || r.StepName != c.step || len(r.Contains) != len(c.contains) {
			t.Errorf("%s: run %+v, want id %q kind %s step %q containing %v", c.fixture, r, c.id, c.kind, c.step, c.contains)
		}
		for i := range c.contains {
			if r.Contains[i] != c.contains[i] {
				t.Errorf("%s: contains %v, want %v", c.fixture, r.Contains, c.contains)
			}
		}
	}
}

func TestRunReviewAndUsage(t *testing.T) {
	body := []byte(`{"eventId":"e","eventType":"workflow_run.rejected","payload":{"object":"workflow_run","id":"workflow_run_a",
		"workflow":{"object":"workflow","id":"workflow_x","name":"AP","createdAt":"2026-01-01T00:00:00Z"},
		"workflowVersion":{"object":"workflow_version","id":"workflow_version_y","version":"3","name":null},
		"status":"REJECTED","reviewed":true,"reviewedByUser":"ana@example.com","rejectionNote":"wrong vendor",
		"startTime":"2026-07-08T14:03:00.250Z","endTime":"2026-07-08T14:05:00Z","usage":{"credits":12.5,"breakdown":[]}}}`)
	r := ParseEnvelope(body).Run
	want := Run{ID: "workflow_run_a", Kind: "workflow_run", Name: "AP", Version: "3", Reviewed: true,
		more: &runMore{reviewedBy: "ana@example.com", rejectionNote: "wrong vendor"}, Credits: 12.5, HasCredits: true,
		time:     instantOf(time.Date(2026, 7, 8, 14, 5, 0, 0, time.UTC)),
		started:  instantOf(time.Date(2026, 7, 8, 14, 3, 0, 250e6, time.UTC)),
		finished: instantOf(time.Date(2026, 7, 8, 14, 5, 0, 0, time.UTC))}
	if r.ID != want.ID || r.Name != want.Name || r.Version != want.Version || r.Reviewed != want.Reviewed ||
		r.ReviewedBy() != want.ReviewedBy() || r.RejectionNote() != want.RejectionNote() || r.Credits != want.Credits ||
		!r.HasCredits || !r.Time().Equal(want.Time()) || !r.Started().Equal(want.Started()) || !r.Finished().Equal(want.Finished()) {
		t.Errorf("run %+v, want %+v", r, want)
	}
	if got := r.Started(); got != time.Date(2026, 7, 8, 14, 3, 0, 250e6, time.UTC) {
		t.Errorf("Started() = %v, want 14:03:00.25 UTC to the nanosecond", got)
	}
}

func TestEndsRun(t *testing.T) {
	cases := []struct {
		kind, eventType string
		ends            bool
	}{
		{"workflow_run", "workflow_run.completed", true},
		{"workflow_run", "workflow_run.failed", true},
		{"workflow_run", "workflow_run.rejected", true},
		{"workflow_run", "workflow_run.cancelled", true},
		{"workflow_run", "workflow_run.needs_review", false},
		{"workflow_run", "workflow_run.step_run.processed", false},
		{"workflow_run", "extract_run.processed", false}, // a child processor run
		{"extract_run", "extract_run.processed", true},
		{"extract_run", "extract_run.failed", true},
		{"parse_run", "parse_run.processed", true},
		{"batch_run", "batch_parse_run.failed", true},
		{"document_processor_run", "processor_run.processed", true},
		{"parser_run", "parser_run.failed", true},
		{"extractor", "extractor.deleted", false},
		{"extract_run", "classify_run.processed", false},
	}
	for _, c := range cases {
		if got := EndsRun(c.kind, c.eventType); got != c.ends {
			t.Errorf("EndsRun(%s, %s) = %v, want %v", c.kind, c.eventType, got, c.ends)
		}
	}
	if RunKindEnds("extractor") || !RunKindEnds("edit_run") || !RunKindEnds("workflow_run") {
		t.Error("RunKindEnds: resources never end; workflow and processor runs do")
	}
}

func TestInstantsKeepTimesTheyCanHold(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		kept bool
	}{
		{time.Date(2026, 7, 8, 16, 3, 19, 123456789, time.FixedZone("", 2*3600)), true},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), false},
		{time.Time{}, false},
	} {
		got := instantOf(c.at).Time()
		if c.kept && (!got.Equal(c.at) || got.Location() != time.UTC) || !c.kept && !got.IsZero() {
			t.Errorf("instantOf(%v).Time() = %v, want it kept (in UTC): %v", c.at, got, c.kept)
		}
	}
}

func TestRunTimesReadLikeTimeParse(t *testing.T) {
	for _, s := range []string{"2026-07-08T14:03:19Z", "2026-07-08T14:03:19.5Z", "2026-07-08T14:03:19.123456789Z",
		"2026-07-08T16:03:19+02:00", "2026-02-31T00:00:00Z", "2026-07-08 14:03:19Z", "2026-07-08T14:03:19.Z", "soon"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			want = time.Time{}
		}
		if got := firstTime(rawString{b: []byte(s)}); !got.Equal(want) {
			t.Errorf("firstTime(%q) = %v, want %v", s, got, want)
		}
	}
}
