package connect

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// AllWorkflows, given as a subscribe id, subscribes every workflow that
// GET /workflows lists.
const AllWorkflows = "all-workflows"

// Options describe the endpoint a session registers.
type Options struct {
	PublicURL  string         // where Extend will post; ?api_version= is appended
	APIVersion extend.Version // the endpoint's pinned version; empty means DefaultAPIVersion
	Events     []string       // the endpoint's enabledEvents; empty means DefaultEvents(APIVersion)
	Subscribe  []string       // resource ids (workflow_, ex_, cl_, spl_) or AllWorkflows
	Session    Session        // who registers; zero fields are this process now
}

// DefaultEvents are the event types an endpoint of version v enables when
// none are given: every type of v an endpoint may enable (for 2026-02-09
// all but workflow_run.*, which come through workflow subscriptions).
func DefaultEvents(v extend.Version) []string {
	return extend.Names(extend.EndpointTypes(v))
}

// Check validates the options without calling the API: an error here is a
// mistake on the command line. An empty PublicURL passes, so that a command
// can check the rest before its tunnel gives it the URL; Register needs it.
func (o Options) Check() error {
	if o.PublicURL == "" {
		o.PublicURL = "https://public-url.invalid/"
	}
	_, err := o.plan()
	return err
}

// plan is what Register will ask for, once AllWorkflows is expanded.
type plan struct {
	endpoint      NewEndpoint
	subscriptions []NewSubscription // WebhookEndpointID filled in after create
	allWorkflows  bool
	version       extend.Version
}

func (o Options) plan() (plan, error) {
	v, ok := extend.ParseVersion(string(cmp.Or(o.APIVersion, DefaultAPIVersion)))
	if !ok {
		return plan{}, fmt.Errorf("API version %q is not one of %s", o.APIVersion, versionList())
	}
	target, err := endpointURL(o.PublicURL, v)
	if err != nil {
		return plan{}, err
	}
	events, err := endpointEvents(o.Events, v)
	if err != nil {
		return plan{}, err
	}
	p := plan{
		endpoint: NewEndpoint{URL: target, Name: o.Session.resolved().Name(), EnabledEvents: events, APIVersion: string(v)},
		version:  v,
	}
	for _, id := range o.Subscribe {
		if id == AllWorkflows {
			p.allWorkflows = true
			continue
		}
		sub, err := subscription(id, v)
		if err != nil {
			return plan{}, err
		}
		p.add(sub)
	}
	return p, nil
}

// add keeps one subscription per resource.
func (p *plan) add(sub NewSubscription) {
	if !slices.ContainsFunc(p.subscriptions, func(s NewSubscription) bool { return s.ResourceID == sub.ResourceID }) {
		p.subscriptions = append(p.subscriptions, sub)
	}
}

// endpointURL appends ?api_version=<v> to the public URL, so the receiver
// learns the endpoint's version from each delivery's query.
func endpointURL(public string, v extend.Version) (string, error) {
	u, err := url.Parse(public)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Fragment != "" {
		return "", fmt.Errorf("public URL %q: want an absolute http(s) URL such as https://example.ngrok.app", public)
	}
	if u.Path == "" {
		u.Path = "/" // a tunnel's URL has no path: https://host/?api_version=…, not https://host?api_version=…
	}
	query := u.Query()
	query.Set("api_version", string(v))
	u.RawQuery = query.Encode()
	return u.String(), nil
}

func endpointEvents(given []string, v extend.Version) ([]string, error) {
	if len(given) == 0 {
		return DefaultEvents(v), nil
	}
	allowed := DefaultEvents(v)
	var events []string
	for _, name := range given {
		if !slices.Contains(allowed, name) {
			return nil, eventError(name, v)
		}
		if !slices.Contains(events, name) {
			events = append(events, name)
		}
	}
	return events, nil
}

func eventError(name string, v extend.Version) error {
	if t, ok := extend.Lookup(name); ok && t.In(v) {
		return fmt.Errorf("event type %s cannot be enabled on an endpoint of API version %s: subscribe a workflow instead (workflow_… or %s)", name, v, AllWorkflows)
	}
	return fmt.Errorf("event type %q is not one of API version %s (extend-inspect types --api-version %s lists them)", name, v, v)
}

func subscription(id string, v extend.Version) (NewSubscription, error) {
	resource, ok := extend.ResourceOf(id)
	if !ok {
		return NewSubscription{}, fmt.Errorf("cannot subscribe %q: want a resource id starting with %s, or %s",
			id, strings.Join(extend.ResourcePrefixes(), ", "), AllWorkflows)
	}
	events := extend.Names(extend.SubscriptionTypes(resource, v))
	if len(events) == 0 {
		return NewSubscription{}, fmt.Errorf("cannot subscribe %s: API version %s has no %s events", id, v, resource)
	}
	return NewSubscription{ResourceType: string(resource), ResourceID: id, EnabledEvents: events}, nil
}

func versionList() string {
	names := make([]string, len(extend.Versions))
	for i, v := range extend.Versions {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// Registration is a session's endpoint, from Register until Close. Printing
// it shows the endpoint's id and URL; the signing secret never prints.
type Registration struct {
	Endpoint      Endpoint
	Subscriptions []Subscription
	state         *registrationState // behind a pointer so %+v shows an address
}

type registrationState struct {
	mu      sync.Mutex
	client  *Client
	secret  extend.Secret
	deleted bool
}

// Register creates the session's endpoint and its subscriptions. When any
// step after the endpoint's creation fails, it deletes the endpoint again
// before returning the error, so that a failed start leaves nothing
// registered.
func (c *Client) Register(ctx context.Context, o Options) (*Registration, error) {
	p, err := o.plan()
	if err != nil {
		return nil, err
	}
	// Workflows are listed before anything is created, so that a failure
	// here has nothing to undo.
	if err := c.addAllWorkflows(ctx, &p); err != nil {
		return nil, err
	}
	ep, secret, err := c.CreateEndpoint(ctx, p.endpoint)
	if err != nil {
		return nil, err
	}
	reg := &Registration{Endpoint: ep, state: &registrationState{client: c, secret: secret}}
	for _, sub := range p.subscriptions {
		sub.WebhookEndpointID = ep.ID
		created, err := c.CreateSubscription(ctx, sub)
		if err != nil {
			return nil, reg.undo(ctx, err)
		}
		reg.Subscriptions = append(reg.Subscriptions, created)
	}
	return reg, nil
}

func (c *Client) addAllWorkflows(ctx context.Context, p *plan) error {
	if !p.allWorkflows {
		return nil
	}
	workflows, err := c.ListWorkflows(ctx)
	if err != nil {
		return fmt.Errorf("subscribe %s: %w", AllWorkflows, err)
	}
	for _, wf := range workflows {
		sub, err := subscription(wf.ID, p.version)
		if err != nil {
			return fmt.Errorf("subscribe %s: %w", AllWorkflows, err)
		}
		p.add(sub)
	}
	return nil
}

// CleanupTimeout bounds the deletion of an endpoint whose registration
// failed: it runs even when the caller's context has ended (a SIGINT during
// start-up must not leave the endpoint behind).
const CleanupTimeout = 15 * time.Second

func (r *Registration) undo(ctx context.Context, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		return fmt.Errorf("%w; then %w", cause, err)
	}
	return fmt.Errorf("%w (the endpoint %s was deleted again)", cause, r.Endpoint.ID)
}

// ID is the endpoint's id.
func (r *Registration) ID() string { return r.Endpoint.ID }

// SigningSecret is the endpoint's signing secret, for the verifier only. It
// exists nowhere else: Extend showed it once, in the create answer.
func (r *Registration) SigningSecret() string { return r.state.secret.Reveal() }

// String describes the endpoint: "webhook endpoint whe_… for https://…".
func (r *Registration) String() string {
	return fmt.Sprintf("webhook endpoint %s for %s", r.Endpoint.ID, r.Endpoint.URL)
}

// Format prints String whatever the verb, %+v and %#v included.
func (r *Registration) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// Close deletes the endpoint, and its subscriptions with it. It may be
// called again after a failure; once the endpoint is gone it does nothing.
// An endpoint Extend no longer knows counts as deleted.
func (r *Registration) Close(ctx context.Context) error {
	s := r.state
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleted {
		return nil
	}
	if err := s.client.DeleteEndpoint(ctx, r.Endpoint.ID); err != nil && !IsNotFound(err) {
		return &StillRegisteredError{EndpointID: r.Endpoint.ID, Err: err}
	}
	s.deleted = true
	return nil
}

// StillRegisteredError says that an endpoint could not be deleted, and how
// the user deletes it.
type StillRegisteredError struct {
	EndpointID string
	Err        error
}

func (e *StillRegisteredError) Error() string {
	return fmt.Sprintf("%v; the endpoint is still registered: delete it with: %s", e.Err, DeleteCommand(e.EndpointID))
}

func (e *StillRegisteredError) Unwrap() error { return e.Err }

// DeleteCommand is the command line that deletes one endpoint this tool
// created.
func DeleteCommand(id string) string { return "extend-inspect endpoints delete " + id }
