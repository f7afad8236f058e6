// Package sample plays Extend's side of the conversation: it builds
// realistic webhook deliveries of every catalogue type (Build), edits them
// (SetField), and scripts stories of them (Scenario). send, the demo and the
// tests of every package use it; the receiver never does, which is why it
// lives beside the protocol in extend rather than in it. Like extend it uses
// the standard library only.
package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Options tunes a generated sample. The zero value gives a fresh
// 2026-02-09 delivery stamped with the current time.
type Options struct {
	// Version is the API version whose event names and payload shapes the
	// sample follows; zero means V20260209.
	Version extend.Version

	// SignedURL asks for the signed-download-URL variant: the payload becomes
	// {object: "signed_data_url", id, data, metadata?} as the SDKs expect.
	// 2024-12-23 has no such delivery format.
	SignedURL bool

	// Now is the clock for every timestamp; zero means time.Now().
	Now time.Time

	// Rand is the source of ids and values. nil means a freshly seeded source,
	// so two calls differ; tests pass a seeded one for byte-identical output.
	// Like any *rand.Rand it is not safe for concurrent use.
	Rand *rand.Rand

	// RunID, when set, is the id of the run the event concerns: the payload id
	// of a run event, and the workflowRunId of a step run (2026-02-09; older
	// step runs do not name their run). Everything else about the run (its
	// file, workflow, step-run and nested run ids) is derived from the run id,
	// so the step runs and the completion of one run agree. Empty means a new
	// run. Lifecycle events ignore it.
	RunID string

	// StepType picks the step of a workflow_run.step_run.processed sample
	// (see StepTypes); empty picks one at random.
	StepType string

	// Reviewed makes a workflow_run.completed sample (2026-02-09) a run
	// that was held for review and approved with an edit: reviewed,
	// reviewedByUser and reviewedAt set, and its extract run carrying the
	// initial and reviewed outputs and the edit. With RunID it is the
	// approval of that held run, whose misread total it corrects.
	Reviewed bool

	// LinkTo, with SignedURL, puts the payload somewhere it can be
	// downloaded and returns the link (deliver.LinkServer.Stash does); the
	// sample's data is that link. nil links to a host under .invalid that
	// nothing can fetch.
	LinkTo func(payload []byte) string
}

// StepTypes lists the step types a step-run sample can take in API version
// v. Before 2026-02-09 only validation steps had step runs of their own (so
// the 2025-04-21 SDK types say); the processors' results travelled in the
// workflow run's outputs instead.
func StepTypes(v extend.Version) []string {
	if v == extend.V20260209 || v == "" {
		return extend.StepTypes
	}
	return extend.StepTypes[len(extend.StepTypes)-2:]
}

// Build builds the body of one delivery, {eventId, eventType, payload}, for
// eventType: 2-space indented JSON with a trailing newline, like the
// fixtures. Every call mints fresh ids and stamps the current time unless
// opt pins them. It fails if the type does not exist in that API version.
func Build(eventType string, opt Options) ([]byte, error) {
	g, t, err := newGen(eventType, opt)
	if err != nil {
		return nil, err
	}
	payload, err := g.payload(t)
	if err != nil {
		return nil, fmt.Errorf("sample %s (%s): %w", eventType, g.v, err)
	}
	if opt.SignedURL {
		if payload, err = g.signedURL(payload, opt.LinkTo); err != nil {
			return nil, fmt.Errorf("sample %s (%s): %w", eventType, g.v, err)
		}
	}
	return encode(obj{{"eventId", g.eventID}, {"eventType", eventType}, {"payload", payload}})
}

// RunIDOf returns the id of the run a delivery body concerns: the
// workflowRunId of a step run, otherwise the payload's id. A scenario player
// passes it as Options.RunID to tie a later event to an earlier run.
func RunIDOf(body []byte) string {
	env := extend.ParseEnvelope(body)
	if env.WorkflowRunID != "" {
		return env.WorkflowRunID
	}
	return env.ID
}

// hasFailureReason reports whether a sample of eventType carries a
// failureReason and failureMessage: the *.failed types, as docs/samples.md
// promises. It is narrower than extend.IsFailure on purpose: a rejected or
// cancelled run did not succeed, but Extend says why in its review or status,
// not in a failure reason, so its sample has none.
func hasFailureReason(eventType string) bool {
	return extend.OutcomeOf(eventType) == extend.OutcomeFailure
}

// gen holds what one sample is built from. Ids come from id(key, prefix):
// a hash of the sample's seed and a key naming the thing, so everything
// derived from one RunID (file, workflow, step runs) is the same in every
// sample of that run, whatever order they are built in.
type gen struct {
	v        extend.Version
	now      time.Time
	eventID  string
	seed     uint64
	r        *rand.Rand // values; seeded from seed, so also stable per run
	ev       *rand.Rand // the caller's source, for choices that must differ between samples of one run
	runID    string     // the run a run event concerns: the caller's RunID or a fresh one
	stepType string
	doc      invoice
	doubtful bool // the run is held for review: its extraction is unsure of a field
	reviewed bool // the run was held for review and approved with an edit
}

func newGen(eventType string, opt Options) (*gen, extend.EventType, error) {
	g := &gen{v: opt.Version, now: opt.Now.UTC(), runID: opt.RunID, stepType: opt.StepType, reviewed: opt.Reviewed}
	if g.v == "" {
		g.v = extend.V20260209
	}
	t, ok := extend.Lookup(eventType)
	switch {
	case !ok:
		return nil, t, fmt.Errorf("sample %q: unknown event type (see extend.Catalogue)", eventType)
	case !t.In(g.v):
		return nil, t, fmt.Errorf("sample %s: API version %s has no such event (it exists in %v)", eventType, g.v, t.Versions)
	case opt.SignedURL && g.v == extend.V20241223:
		return nil, t, fmt.Errorf("sample %s: API version %s has no signed-download-URL delivery (it came with 2025-04-21)", eventType, g.v)
	}
	if opt.Now.IsZero() {
		g.now = time.Now().UTC()
	}
	g.ev = opt.Rand
	if g.ev == nil {
		g.ev = fresh()
	}
	g.eventID = randomID(g.ev, "event_")
	family, _, _ := strings.Cut(eventType, ".")
	if prefix, isRun := runPrefixes[family]; isRun && g.runID == "" {
		g.runID = randomID(g.ev, prefix)
	}
	// A run's world hangs off its id, so the first event of a run and the
	// ones that name it later (through RunID) agree.
	g.seed = hash(g.runID)
	if g.runID == "" {
		g.seed = g.ev.Uint64()
	}
	g.r = rand.New(rand.NewPCG(g.seed, 0))
	g.doc = newInvoice(g.r, rand.New(rand.NewPCG(g.seed, hash("line items"))), g.now)
	return g, t, nil
}

func fresh() *rand.Rand { return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())) }

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomID draws an id body of 20 characters, within the 8–22 that Extend's
// ids show.
func randomID(r *rand.Rand, prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for range 20 {
		b.WriteByte(idChars[r.IntN(len(idChars))])
	}
	return b.String()
}

// id names the thing key within this sample's run; see gen.
func (g *gen) id(key, prefix string) string {
	return randomID(rand.New(rand.NewPCG(g.seed, hash(key))), prefix)
}

// runPrefixes gives, by event family, the id prefix of the run the event
// concerns; lifecycle families have none.
var runPrefixes = map[string]string{
	"workflow_run": "workflow_run_", "extract_run": "exr_", "classify_run": "clr_", "split_run": "splr_",
	"parse_run": "pr_", "edit_run": "edr_", "batch_processor_run": "bpr_", "batch_parse_run": "bpar_",
	"processor_run": "dpr_", "parser_run": "parser_run_",
}

// at formats the time d before now; atMs keeps milliseconds, as Extend does
// for a run's start and end times.
func (g *gen) at(d time.Duration) string {
	return g.now.Add(-d).Truncate(time.Second).Format(time.RFC3339)
}

func (g *gen) atMs(d time.Duration) string {
	if d > 0 {
		d += time.Duration(g.r.IntN(1000)) * time.Millisecond
	}
	return g.now.Add(-d).Format("2006-01-02T15:04:05.000Z07:00")
}

func (g *gen) pick(options ...string) string { return options[g.r.IntN(len(options))] }

// confidence draws a score in [lo, lo+span), rounded like Extend's.
func (g *gen) confidence(lo, span float64) float64 {
	return float64(int((lo+g.r.Float64()*span)*1000)) / 1000
}

func (g *gen) payload(t extend.EventType) (obj, error) {
	switch {
	case t.Name == "workflow_run.step_run.processed":
		return g.stepRunEvent() // one builder for every version
	case g.v == extend.V20260209:
		return g.current(t)
	}
	return g.legacy(t)
}

// signedURL swaps a payload for the link Extend sends instead of it; the
// metadata is the run's, so receivers can filter before fetching. Without
// linkTo the host is under .invalid, so that nothing ever fetches it by
// accident.
func (g *gen) signedURL(payload obj, linkTo func([]byte) string) (obj, error) {
	url := fmt.Sprintf("https://webhook-payloads.example-bucket.invalid/evt/%s.json?X-Amz-Date=%s&X-Amz-Expires=%d&X-Amz-Signature=%016x",
		g.eventID, g.now.Format("20060102T150405Z"), int(extend.SignedURLLifetime/time.Second), g.r.Uint64())
	if linkTo != nil {
		body, err := encode(payload)
		if err != nil {
			return nil, err
		}
		url = linkTo(body)
	}
	p := obj{{"object", "signed_data_url"}, {"id", payload.get("id")}, {"data", url}}
	if md, ok := payload.get("metadata").(obj); ok {
		p = append(p, kv{"metadata", md})
	}
	return p, nil
}

// obj is a JSON object that keeps its keys in the order written, so samples
// read like Extend's examples; encoding/json would sort a map's keys.
type obj []kv

type kv struct {
	k string
	v any
}

// set replaces the value of an existing key.
func (o obj) set(key string, v any) {
	for i := range o {
		if o[i].k == key {
			o[i].v = v
		}
	}
}

func (o obj) get(key string) any {
	for _, f := range o {
		if f.k == key {
			return f.v
		}
	}
	return nil
}

// MarshalJSON writes the keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := marshal(f.k)
		v, err := marshal(f.v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.k, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal leaves &, < and > alone: URLs in samples should read as sent.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), err
}

// encode lays a value out like the fixtures: 2-space indent, final newline.
func encode(v any) ([]byte, error) {
	compact, err := marshal(v)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
