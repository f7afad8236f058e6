package deliver

import (
	"errors"
	"fmt"
	"iter"
	"net"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
)

// This file plans what a Sender sends: which bodies, how often, signed how.
// Sending them is play.go's.

// Job is a planned run of deliveries, for Sender.SendAll.
type Job struct {
	Plan  iter.Seq[Delivery]
	Total int // deliveries planned
}

// ScenarioJob plans a scenario's steps, their bodies built as opt says.
func ScenarioJob(sc sample.Scenario, opt sample.Options) Job {
	return Job{Plan: ScenarioPlan(sc, opt), Total: len(sc.Steps)}
}

// Batch says how a set of bodies is sent: each changed by the Overrides, in
// Count rounds of one delivery of each, at most Rate starting per second (0:
// each as soon as the previous one is answered), signed as Signing says.
type Batch struct {
	Overrides []Override
	Count     int
	Rate      float64
	Signing   Signing
}

// Samples plans the batch with a fresh sample of each event type (names,
// as MatchTypes resolves them) for every delivery. A type or an override
// that does not fit fails here, before anything is sent.
func (b Batch) Samples(types []string, opt sample.Options) (Job, error) {
	bodies, err := SampleBodies(types, opt, b.Overrides)
	if err != nil {
		return Job{}, err
	}
	return b.of(bodies), nil
}

// Body plans the batch with the user's own body, sent byte for byte unless
// an override changes it.
func (b Batch) Body(body []byte) (Job, error) {
	fixed, err := FixedBody(body, b.Overrides)
	if err != nil {
		return Job{}, err
	}
	return b.of([]func() ([]byte, error){fixed}), nil
}

func (b Batch) of(bodies []func() ([]byte, error)) Job {
	return Job{Plan: Paced(bodies, b.Count, b.Rate, b.Signing), Total: len(bodies) * b.Count}
}

// InspectorURL is the URL that reaches an inspector listening on listen
// (HOST:PORT, as --listen gives it or its receiver reports it): one
// listening on every interface is reached on loopback. Deliveries of an API
// version other than the current one tag it with ?api_version=, as Extend's
// migration guide has users tag their endpoints, so the inspector knows the
// version; v "" tags nothing.
func InspectorURL(listen string, v extend.Version) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("--listen %q: want HOST:PORT", listen)
	}
	if port == "0" {
		return "", errors.New("--listen has port 0, so there is no inspector to send to there: pass --to URL")
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	u := "http://" + net.JoinHostPort(host, port) + "/"
	if v != "" && v != extend.V20260209 {
		u += "?api_version=" + string(v)
	}
	return u, nil
}

// ScenarioPlan turns a scenario into deliveries. A step that repeats or
// joins an earlier one needs that step's body, so the plan is consumed in
// order, once.
func ScenarioPlan(sc sample.Scenario, opt sample.Options) iter.Seq[Delivery] {
	return func(yield func(Delivery) bool) {
		var sent [][]byte
		for i, st := range sc.Steps {
			body := func() ([]byte, error) {
				b, err := st.Body(sent, opt)
				if err != nil {
					return nil, fmt.Errorf("step %d (%s): %w", i, st.Type, err)
				}
				sent = append(sent, b)
				return b, nil
			}
			signing := Signed
			if st.BadSignature {
				signing = BadSignature
			}
			if !yield(Delivery{After: st.Delay, Body: body, Signing: signing, Note: st.Note}) {
				return
			}
		}
	}
}

// Paced plans count rounds of the bodies, one delivery of each per round,
// spaced so that at most rate start per second; rate 0 sends each as soon
// as the previous one is answered.
func Paced(bodies []func() ([]byte, error), count int, rate float64, signing Signing) iter.Seq[Delivery] {
	var gap time.Duration
	if rate > 0 {
		gap = time.Duration(float64(time.Second) / rate)
	}
	return func(yield func(Delivery) bool) {
		for round := range count {
			for i, body := range bodies {
				after := gap
				if round == 0 && i == 0 {
					after = 0
				}
				if !yield(Delivery{After: after, Body: body, Signing: signing}) {
					return
				}
			}
		}
	}
}

// Override is one --set: a field of the body and its new value, as
// sample.SetField takes them.
type Override struct {
	Path  string
	Value string
}

// ParseOverride reads "path=value"; the value may itself contain '='.
func ParseOverride(s string) (Override, error) {
	path, value, found := strings.Cut(s, "=")
	if !found || path == "" {
		return Override{}, fmt.Errorf("%q is not path=value (e.g. payload.status=FAILED)", s)
	}
	return Override{Path: path, Value: value}, nil
}

// Apply returns body with every override set, in order; with none, body
// itself, byte for byte.
func Apply(body []byte, overrides []Override) ([]byte, error) {
	for _, o := range overrides {
		var err error
		if body, err = sample.SetField(body, o.Path, o.Value); err != nil {
			return nil, err
		}
	}
	return body, nil
}

// SampleBodies returns, per event type, a builder of fresh samples with the
// overrides applied. It builds one of each first, so that an unknown type or
// an override that does not fit fails before anything is sent.
func SampleBodies(types []string, opt sample.Options, overrides []Override) ([]func() ([]byte, error), error) {
	bodies := make([]func() ([]byte, error), 0, len(types))
	trial := opt
	trial.LinkTo = nil // the trial below is thrown away: nothing to put behind a link
	for _, t := range types {
		build := func() ([]byte, error) { return buildSample(t, opt, overrides) }
		if _, err := buildSample(t, trial, overrides); err != nil {
			return nil, err
		}
		bodies = append(bodies, build)
	}
	return bodies, nil
}

func buildSample(t string, opt sample.Options, overrides []Override) ([]byte, error) {
	b, err := sample.Build(t, opt)
	if err != nil {
		return nil, err
	}
	if b, err = Apply(b, overrides); err != nil {
		return nil, fmt.Errorf("%s: %w", t, err)
	}
	return b, nil
}

// FixedBody returns a builder of one body, the user's own, sent as is
// unless overrides change it. The overrides are applied once, here.
func FixedBody(body []byte, overrides []Override) (func() ([]byte, error), error) {
	b, err := Apply(body, overrides)
	if err != nil {
		return nil, err
	}
	return func() ([]byte, error) { return b, nil }, nil
}

// MatchTypes resolves event type names and globs (path.Match syntax, e.g.
// "workflow_run.*") to the catalogue types API version v sends, in the order
// given, each once. A name that is unknown or not in v, or a glob that
// matches nothing, is an error that says so.
func MatchTypes(v extend.Version, patterns []string) ([]string, error) {
	var types []string
	add := func(name string) {
		if !slices.Contains(types, name) {
			types = append(types, name)
		}
	}
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("%q is not a valid glob: %w", p, err)
		}
		if !strings.ContainsAny(p, `*?[\`) {
			if err := checkType(v, p); err != nil {
				return nil, err
			}
			add(p)
			continue
		}
		matched := false
		for _, t := range extend.TypesIn(v) {
			if ok, _ := path.Match(p, t.Name); ok {
				add(t.Name)
				matched = true
			}
		}
		if !matched {
			return nil, fmt.Errorf("%q matches no event type of API version %s", p, v)
		}
	}
	return types, nil
}

func checkType(v extend.Version, name string) error {
	t, ok := extend.Lookup(name)
	switch {
	case !ok:
		return fmt.Errorf("unknown event type %q", name)
	case !t.In(v):
		return &VersionError{Type: name, Version: v, In: t.Versions}
	}
	return nil
}

// VersionError says that an event type exists, but not in the API version
// asked for.
type VersionError struct {
	Type    string
	Version extend.Version   // the version asked for
	In      []extend.Version // the versions that send it, newest first
}

func (e *VersionError) Error() string {
	names := make([]string, len(e.In))
	for i, v := range e.In {
		names[i] = string(v)
	}
	return fmt.Sprintf("API version %s has no event %s (it exists in %s)", e.Version, e.Type, strings.Join(names, ", "))
}
