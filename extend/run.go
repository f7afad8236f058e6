package extend

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Run is an event's run identity and what a summary of its run needs, read
// by the envelope scanner in its one pass so that nothing parses the body
// again. The run is the story the event belongs to: a workflow run, a
// processor run, or, for a global event, the resource whose lifecycle it
// tells. What few events carry (Note, the review's ReviewedBy and
// RejectionNote) is kept behind a pointer that is nil for the others, since
// every stored event holds a Run; read it through the methods of the same
// names. A step run's step type is the envelope's StepType.
type Run struct {
	// ID is the run the event names: a workflow run's id (a step run's
	// workflowRunId), a processor run's own id, or the resource's id. Empty
	// when the event names none; Note says why.
	ID string
	// Kind is the run's object name: workflow_run, extract_run, parse_run,
	// batch_run, document_processor_run, …; for a global event the
	// resource's (workflow, extractor, document_processor, …). A step run
	// whose version does not name its run is a workflow_step_run of its own.
	Kind string

	// Contains lists the runs this event carries inside it (a step run's
	// result.*Run.id; an older workflow run's stepRuns and outputs): they
	// belong to this run. Within is the workflow run a processor run's
	// payload names, if any.
	Contains []string
	Within   string

	// The payload's times (see the methods Time, Started and Finished), 8
	// bytes each where a time.Time takes 24.
	time, started, finished instant

	Name, Version string // workflow or processor name and version, where the payload says
	StepName      string // of a step run

	Credits float64 // usage.credits

	more *runMore // nil when the event has none of its fields

	Reviewed   bool
	HasCredits bool // usage.credits was there
}

// runMore holds the run's facts that few events carry.
type runMore struct {
	note          string // why ID is missing or provisional
	reviewedBy    string // reviewedByUser (2026-02-09) or reviewedBy (older)
	rejectionNote string
}

// Time is the payload's own time (updatedAt, else endTime, else
// createdAt; for a step run its nested run's updatedAt). A run still going
// (needs_review) has none: its start says nothing of when the event
// happened. Zero when absent or unreadable, as with Started and Finished.
func (r Run) Time() time.Time { return r.time.Time() }

// Started is the run's start as the payload states it.
func (r Run) Started() time.Time { return r.started.Time() }

// Finished is the run's end as the payload states it.
func (r Run) Finished() time.Time { return r.finished.Time() }

// instant is a payload's time in UTC, as nanoseconds since the Unix epoch;
// 0 is no time. A time the nanoseconds cannot hold (before 1678 or after
// 2261), or the epoch itself, is kept as none: no run happens then.
type instant int64

func instantOf(t time.Time) instant {
	if t.Before(earliestInstant) || t.After(latestInstant) {
		return 0
	}
	return instant(t.UnixNano())
}

var earliestInstant, latestInstant = time.Unix(0, math.MinInt64+1), time.Unix(0, math.MaxInt64)

// Time is the instant as a time.Time in UTC, or the zero time for none.
func (i instant) Time() time.Time {
	if i == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(i)).UTC()
}

// Note explains an ID that is missing or provisional; empty otherwise.
func (r Run) Note() string {
	if r.more == nil {
		return ""
	}
	return r.more.note
}

// ReviewedBy is who reviewed the run: reviewedByUser (2026-02-09) or
// reviewedBy (older); empty when the payload does not say.
func (r Run) ReviewedBy() string {
	if r.more == nil {
		return ""
	}
	return r.more.reviewedBy
}

// RejectionNote is the reviewer's note on a rejected run, or "".
func (r Run) RejectionNote() string {
	if r.more == nil {
		return ""
	}
	return r.more.rejectionNote
}

// RunKindOf is the kind of run an event type belongs to, or "" for a type
// outside the catalogue. Step runs belong to workflow runs.
func RunKindOf(eventType string) string {
	t, ok := Lookup(eventType)
	if !ok {
		return ""
	}
	return kindOf(t)
}

func kindOf(t EventType) string {
	switch t.Category {
	case CategoryWorkflow:
		return "workflow_run"
	case CategoryProcessorRun:
		return strings.TrimSuffix(t.Object, "_status")
	}
	return strings.TrimSuffix(t.Object, "_version")
}

// endingKinds are the run kinds that have a terminal event: workflow runs
// and every processor run. A resource's lifecycle never ends as a run does.
var endingKinds = func() map[string]bool {
	kinds := map[string]bool{"workflow_run": true}
	for _, t := range catalogue {
		if t.Category == CategoryProcessorRun {
			kinds[kindOf(t)] = true
		}
	}
	return kinds
}()

// RunKindEnds reports whether runs of kind have a terminal event at all.
func RunKindEnds(kind string) bool { return endingKinds[kind] }

// EndsRun reports whether an event of eventType ends a run of kind: a
// workflow run ends with workflow_run.completed, .failed, .rejected or
// .cancelled (never with a step run's processed, nor with its child
// processor runs); a standalone processor run with its .processed or
// .failed. It is the one definition `runs`, `wait --run` and the Run view
// share.
func EndsRun(kind, eventType string) bool {
	if kind == "workflow_run" {
		switch eventType {
		case "workflow_run.completed", "workflow_run.failed", "workflow_run.rejected", "workflow_run.cancelled":
			return true
		}
		return false
	}
	if !endingKinds[kind] || RunKindOf(eventType) != kind {
		return false
	}
	return strings.HasSuffix(eventType, ".processed") || strings.HasSuffix(eventType, ".failed")
}

// runFields are the strings and numbers the scanner keeps for runOf; they
// live only while one body is parsed.
//
// Times and nested ids stay raw bytes of the body until runOf keeps them:
// decoding them as strings cost a third of the scanner's speed in
// allocations, and most nested ids are dropped (a 2026-02-09 workflow run's
// step runs name their run themselves).
type runFields struct {
	updatedAt, endTime, startTime, createdAt, initialRunAt, nestedUpdatedAt rawString
	name, version, ownerName, ownerVersion, processorName                   string
	reviewedBy, rejectionNote, stepName, stepType, resourceID               string // stepType: step.type
	reviewed, hasCredits, listsRuns                                         bool
	credits                                                                 float64
	nested                                                                  []rawString
}

// rawString is a string of the body as the scanner found it, between its
// quotes.
type rawString struct {
	b       []byte
	escaped bool
}

func (r rawString) String() string { return decodeString(r.b, r.escaped) }

func (s *scanner) rawInto(dst *rawString, depth int) bool {
	if s.i < len(s.b) && s.b[s.i] == '"' {
		raw, escaped, ok := s.str()
		*dst = rawString{raw, escaped}
		return ok
	}
	*dst = rawString{}
	return s.value(depth)
}

// runField scans the payload member key when it is one runOf reads, and
// reports whether it was.
func (s *scanner) runField(f *runFields, key []byte) (ok, handled bool) {
	if dst := runString(f, key); dst != nil {
		return s.stringInto(dst, 2), true
	}
	if dst := runTime(f, key); dst != nil {
		return s.rawInto(dst, 2), true
	}
	switch k := string(key); k {
	case "reviewed":
		return s.boolInto(&f.reviewed, 2), true
	case "usage":
		return s.members(2, func(key []byte) bool {
			if string(key) == "credits" {
				return s.numberInto(&f.credits, &f.hasCredits, 3)
			}
			return s.value(3)
		}), true
	case "workflow", "extractor", "classifier", "splitter",
		"workflowVersion", "extractorVersion", "classifierVersion", "splitterVersion":
		return s.members(2, func(key []byte) bool {
			switch string(key) {
			case "name":
				if !strings.HasSuffix(k, "Version") {
					return s.stringInto(&f.ownerName, 3)
				}
			case "version":
				return s.stringInto(&f.ownerVersion, 3)
			}
			return s.value(3)
		}), true
	case "step":
		return s.members(2, func(key []byte) bool {
			switch string(key) {
			case "name":
				return s.stringInto(&f.stepName, 3)
			case "type":
				return s.stringInto(&f.stepType, 3)
			}
			return s.value(3)
		}), true
	case "result":
		return s.members(2, func(key []byte) bool {
			if bytesHasSuffix(key, "Run") {
				return s.nestedRun(f, 3)
			}
			return s.value(3)
		}), true
	case "stepRuns", "outputs":
		f.listsRuns = true
		return s.elements(2, func() bool { return s.nestedRun(f, 3) }), true
	}
	return false, false
}

func runTime(f *runFields, key []byte) *rawString {
	switch string(key) {
	case "updatedAt":
		return &f.updatedAt
	case "endTime":
		return &f.endTime
	case "startTime":
		return &f.startTime
	case "createdAt":
		return &f.createdAt
	case "initialRunAt":
		return &f.initialRunAt
	}
	return nil
}

func runString(f *runFields, key []byte) *string {
	switch string(key) {
	case "name":
		return &f.name
	case "version":
		return &f.version
	case "processorName":
		return &f.processorName
	case "reviewedByUser", "reviewedBy":
		return &f.reviewedBy
	case "rejectionNote":
		return &f.rejectionNote
	case "extractorId", "classifierId", "splitterId", "processorId", "workflowId":
		return &f.resourceID
	}
	return nil
}

// nestedRun reads the id and updatedAt of a run object inside the payload.
func (s *scanner) nestedRun(f *runFields, depth int) bool {
	var id rawString
	ok := s.members(depth, func(key []byte) bool {
		switch string(key) {
		case "id":
			return s.rawInto(&id, depth+1)
		case "updatedAt":
			return s.rawInto(&f.nestedUpdatedAt, depth+1)
		}
		return s.value(depth + 1)
	})
	if len(id.b) > 0 {
		f.nested = append(f.nested, id)
	}
	return ok
}

// members scans the value at the cursor, calling member for each key when it
// is an object; any other value is only validated.
func (s *scanner) members(depth int, member func(key []byte) bool) bool {
	if s.i < len(s.b) && s.b[s.i] == '{' {
		return s.object(depth+1, member)
	}
	return s.value(depth)
}

// elements scans the value at the cursor, calling element with the cursor on
// each element when it is an array; any other value is only validated.
func (s *scanner) elements(depth int, element func() bool) bool {
	if s.i >= len(s.b) || s.b[s.i] != '[' {
		return s.value(depth)
	}
	return s.arrayOf(depth+1, element)
}

func (s *scanner) boolInto(dst *bool, depth int) bool {
	*dst = s.i < len(s.b) && s.b[s.i] == 't'
	return s.value(depth)
}

func (s *scanner) numberInto(dst *float64, found *bool, depth int) bool {
	start := s.i
	isNumber := s.i < len(s.b) && (s.b[s.i] == '-' || (s.b[s.i] >= '0' && s.b[s.i] <= '9'))
	if !s.value(depth) {
		return false
	}
	if isNumber {
		v, err := strconv.ParseFloat(string(s.b[start:s.i]), 64)
		*dst, *found = v, err == nil
	}
	return true
}

func bytesHasSuffix(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}

// outsideCatalogue is the one runMore of every event whose type is not in
// the catalogue.
var outsideCatalogue = &runMore{note: "not a catalogue event type, so it belongs to no run"}

// runOf decides the event's run from what the scanner kept.
func runOf(env Envelope, f *runFields) Run {
	t, known := Lookup(env.EventType)
	if !known {
		return Run{more: outsideCatalogue}
	}
	r := Run{
		Kind:       kindOf(t),
		time:       firstInstant(f.updatedAt, f.endTime, f.createdAt),
		started:    firstInstant(f.startTime, f.initialRunAt, f.createdAt),
		finished:   firstInstant(f.endTime),
		Name:       first(f.ownerName, f.processorName),
		Version:    f.ownerVersion,
		StepName:   f.stepName,
		Reviewed:   f.reviewed,
		Credits:    f.credits,
		HasCredits: f.hasCredits,
	}
	// A workflow run that names its version's step runs needs no list of
	// them: they name it.
	if !(f.listsRuns && env.Versions.Is(V20260209)) {
		r.Contains = make([]string, len(f.nested))
		for i, id := range f.nested {
			r.Contains[i] = id.String()
		}
	}
	more := runMore{reviewedBy: f.reviewedBy, rejectionNote: f.rejectionNote}
	switch {
	case env.IsSignedURL():
		r.ID, r.Contains = env.ID, nil
		if r.ID == "" {
			more.note = "a signed link without an id: its run is known once the payload is fetched"
		}
	case t.Object == "workflow_step_run":
		r.ID = env.WorkflowRunID
		if t := firstInstant(f.nestedUpdatedAt); t != 0 {
			r.time = t
		}
		if r.ID == "" {
			r.ID, r.Kind = env.ID, "workflow_step_run"
			more.note = "this step run does not name its workflow run (before 2026-02-09 step runs do not); it joins the workflow run that lists it"
		}
	case t.Category == CategoryGlobal:
		r.ID = env.ID
		if strings.HasSuffix(t.Name, ".version.published") {
			r.ID = f.resourceID
		}
		r.Name, r.Version = first(f.name, f.processorName), f.version
	default:
		r.ID, r.Within = env.ID, env.WorkflowRunID
	}
	if r.ID == "" && more.note == "" {
		more.note = "the payload carries no id"
	}
	if more != (runMore{}) {
		kept := more // more itself stays on the stack for the events without
		r.more = &kept
	}
	return r
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// firstInstant is firstTime as an instant.
func firstInstant(raws ...rawString) instant { return instantOf(firstTime(raws...)) }

// firstTime is the first of the raw timestamps that reads as RFC 3339.
func firstTime(raws ...rawString) time.Time {
	for _, r := range raws {
		if len(r.b) == 0 {
			continue
		}
		if t, ok := parseUTC(r.b); ok && !r.escaped {
			return t
		}
		if t, err := time.Parse(time.RFC3339Nano, r.String()); err == nil {
			return t
		}
	}
	return time.Time{}
}

// parseUTC reads the form Extend writes, 2026-07-08T14:03:19Z with optional
// fractional seconds, without allocating; anything else is left to
// time.Parse.
func parseUTC(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[len(b)-1] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for _, c := range b[from:to] {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	nanos := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := num(20, len(b)-1)
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nanos = n
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nanos, time.UTC)
	if t.Day() != d { // 31 February and its kind
		return time.Time{}, false
	}
	return t, true
}
