// Package connecttest is an in-process stand-in for Extend's management API
// (REFERENCE §5.1), strict where the real one is: unknown request fields are
// a 400, a missing or wrong key a 401, and an endpoint's signing secret is in
// its create answer only. Tests of the connect package and of the commands
// that register endpoints run against it; it can also sign and post a
// delivery to a registered endpoint, as Extend would.
package connecttest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// APIKey is the key the server accepts unless a test sets another.
const APIKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"

// Server is the fake management API. Its methods are safe for concurrent
// use.
type Server struct {
	URL string // the base URL, for EXTEND_BASE_URL

	srv *httptest.Server

	mu            sync.Mutex
	apiKey        string
	endpoints     []*endpoint
	subscriptions []*subscription
	resources     []resource
	faults        map[string][]Fault
	requests      []Request
	issued        []string
	nextID        int
}

// Request is a request the server received.
type Request struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// Endpoint is the server's record of a webhook endpoint.
type Endpoint struct {
	ID, URL, Name, Status, APIVersion string
	EnabledEvents                     []string
	CreatedAt                         string
}

type endpoint struct {
	Endpoint
	secret string
}

// Subscription is the server's record of a subscription.
type Subscription struct {
	ID, WebhookEndpointID, ResourceType, ResourceID string
	EnabledEvents                                   []string
}

type subscription = Subscription

type resource struct {
	id, name string
	kind     extend.Resource
}

// Fault makes the server answer a route with an error instead. Times is
// how many requests in a row get it; 0 means every one.
type Fault struct {
	Status     int
	Code       string
	Message    string
	Retryable  bool
	RetryAfter string // a Retry-After header
	Legacy     bool   // code and message at the top level, as older answers put them
	Times      int
}

// New starts a server; the test's cleanup stops it.
func New(t testing.TB) *Server {
	s := &Server{apiKey: APIKey, faults: map[string][]Fault{}}
	mux := http.NewServeMux()
	s.handle(mux, "POST /webhook_endpoints", s.createEndpoint)
	s.handle(mux, "GET /webhook_endpoints", s.listEndpoints)
	s.handle(mux, "GET /webhook_endpoints/{id}", s.getEndpoint)
	s.handle(mux, "DELETE /webhook_endpoints/{id}", s.deleteEndpoint)
	s.handle(mux, "POST /webhook_subscriptions", s.createSubscription)
	s.handle(mux, "GET /workflows", s.listWorkflows)
	s.handle(mux, "/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "no route "+r.Method+" "+r.URL.Path)
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Env is the environment a client needs to reach this server.
func (s *Server) Env() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]string{"EXTEND_API_KEY": s.apiKey, "EXTEND_BASE_URL": s.URL}
}

// SetAPIKey changes the key the server accepts.
func (s *Server) SetAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiKey = key
}

// AddResource makes a workflow, extractor, classifier or splitter exist, so
// that a subscription may name it.
func (s *Server) AddResource(kind extend.Resource, id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources = append(s.resources, resource{id: id, name: name, kind: kind})
}

// Fail makes the server answer route ("POST /webhook_subscriptions", as in
// New's table) with f. Faults on one route are served in order.
func (s *Server) Fail(route string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], f)
}

// Endpoints lists the endpoints that exist now.
func (s *Server) Endpoints() []Endpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Endpoint, len(s.endpoints))
	for i, ep := range s.endpoints {
		out[i] = ep.Endpoint
	}
	return out
}

// Subscriptions lists the subscriptions that exist now.
func (s *Server) Subscriptions() []Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Subscription, len(s.subscriptions))
	for i, sub := range s.subscriptions {
		out[i] = *sub
	}
	return out
}

// IssuedSecrets lists every signing secret the server has handed out, for
// tests that check no output ever shows one.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}

// Requests lists the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Seed creates an endpoint directly, as another program or session would
// have, and returns its id.
func (s *Server) Seed(name, target string, version extend.Version) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep := s.newEndpoint(endpointBody{URL: target, Name: name, APIVersion: string(version), EnabledEvents: []string{"workflow.created"}})
	return ep.ID
}

// Deliver signs body with the endpoint's secret and posts it to the
// endpoint's URL with Extend's headers, as a delivery.
func (s *Server) Deliver(ctx context.Context, endpointID string, body []byte) (*http.Response, error) {
	s.mu.Lock()
	ep := s.find(endpointID)
	s.mu.Unlock()
	if ep == nil {
		return nil, fmt.Errorf("no endpoint %s", endpointID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(extend.HeaderTimestamp, ts)
	req.Header.Set(extend.HeaderSignature, extend.Sign(ep.secret, ts, body))
	req.Header.Set("x-extend-api-version", ep.APIVersion)
	return http.DefaultClient.Do(req)
}

// handle registers a route behind the checks every route shares: record
// the request, then authentication, the API version header, a JSON body's
// content type, and any fault queued for the route.
func (s *Server) handle(mux *http.ServeMux, route string, h func(http.ResponseWriter, *http.Request)) {
	mux.HandleFunc(route, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", "unreadable body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.record(r, body)
		if problem := s.refuse(r, body, route); problem != nil {
			s.answerFault(w, *problem)
			return
		}
		h(w, r)
	})
}

func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
}

func (s *Server) refuse(r *http.Request, body []byte, route string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Header.Get("Authorization") != "Bearer "+s.apiKey:
		return &Fault{Status: http.StatusUnauthorized, Code: "UNAUTHORIZED", Message: "missing or invalid API key"}
	case r.Header.Get("x-extend-api-version") == "":
		return &Fault{Status: http.StatusBadRequest, Code: "INVALID_API_VERSION", Message: "x-extend-api-version is required"}
	case len(body) > 0 && r.Header.Get("Content-Type") != "application/json":
		return &Fault{Status: http.StatusBadRequest, Code: "INVALID_REQUEST", Message: "a body must be application/json"}
	}
	return s.takeFault(route)
}

func (s *Server) takeFault(route string) *Fault {
	queue := s.faults[route]
	if len(queue) == 0 {
		return nil
	}
	f := queue[0]
	switch {
	case f.Times == 1:
		s.faults[route] = queue[1:]
	case f.Times > 1:
		queue[0].Times--
	}
	return &f
}

func (s *Server) answerFault(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	id := s.requestID()
	w.Header().Set("x-extend-request-id", id)
	fields := map[string]any{"code": f.Code, "message": f.Message, "retryable": f.Retryable, "requestId": id}
	if f.Legacy {
		writeJSON(w, f.Status, map[string]any{"code": f.Code, "message": f.Message})
		return
	}
	writeJSON(w, f.Status, map[string]any{"error": fields})
}

func (s *Server) fail(w http.ResponseWriter, status int, code, message string) {
	s.answerFault(w, Fault{Status: status, Code: code, Message: message})
}

func (s *Server) requestID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id("req_")
}

// id makes the next id with prefix; the caller holds mu.
func (s *Server) id(prefix string) string {
	s.nextID++
	return fmt.Sprintf("%s%06d", prefix, s.nextID)
}

// decodeStrict decodes exactly one JSON object into v, refusing unknown
// fields as Extend's schemas do.
func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

type endpointBody struct {
	URL             string           `json:"url"`
	Name            string           `json:"name"`
	Status          string           `json:"status,omitempty"`
	EnabledEvents   []string         `json:"enabledEvents"`
	APIVersion      string           `json:"apiVersion"`
	AdvancedOptions *advancedOptions `json:"advancedOptions,omitempty"`
}

type advancedOptions struct {
	Headers map[string]string `json:"headers,omitempty"`
	Payload *struct {
		Format            string `json:"format"`
		URLThresholdBytes *int   `json:"urlThresholdBytes,omitempty"`
	} `json:"payload,omitempty"`
}

func (s *Server) createEndpoint(w http.ResponseWriter, r *http.Request) {
	var in endpointBody
	if err := decodeStrict(r, &in); err != nil {
		s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
		return
	}
	if problem := checkEndpoint(in); problem != "" {
		s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", problem)
		return
	}
	s.mu.Lock()
	ep := s.newEndpoint(in)
	s.mu.Unlock()
	answer := endpointJSON(ep.Endpoint)
	answer["signingSecret"] = ep.secret
	writeJSON(w, http.StatusOK, answer)
}

func checkEndpoint(in endpointBody) string {
	target, err := url.Parse(in.URL)
	v, known := extend.ParseVersion(in.APIVersion)
	switch {
	case err != nil || (target.Scheme != "https" && target.Scheme != "http") || target.Host == "":
		return "url must be an absolute http(s) URL"
	case in.Name == "":
		return "name is required"
	case !known:
		return fmt.Sprintf("apiVersion %q is not a supported version", in.APIVersion)
	case len(in.EnabledEvents) == 0:
		return "enabledEvents is required"
	case in.Status != "" && in.Status != "enabled" && in.Status != "disabled":
		return "status must be enabled or disabled"
	}
	allowed := extend.Names(extend.EndpointTypes(v))
	for _, e := range in.EnabledEvents {
		if !slices.Contains(allowed, e) {
			return fmt.Sprintf("enabledEvents: %q is not an endpoint event type of %s", e, v)
		}
	}
	return ""
}

// newEndpoint records an endpoint with a fresh id and secret; the caller
// holds mu.
func (s *Server) newEndpoint(in endpointBody) *endpoint {
	ep := &endpoint{
		Endpoint: Endpoint{
			ID: s.id("whe_"), URL: in.URL, Name: in.Name, Status: cmp.Or(in.Status, "enabled"),
			APIVersion: in.APIVersion, EnabledEvents: in.EnabledEvents, CreatedAt: time.Now().UTC().Format(time.RFC3339),
		},
		secret: "wss_" + rand.Text() + rand.Text()[:6], // wss_ and 32 alphanumerics, as Extend's
	}
	s.endpoints = append(s.endpoints, ep)
	s.issued = append(s.issued, ep.secret)
	return ep
}

func endpointJSON(ep Endpoint) map[string]any {
	return map[string]any{
		"object": "webhook_endpoint", "id": ep.ID, "url": ep.URL, "name": ep.Name, "status": ep.Status,
		"enabledEvents": ep.EnabledEvents, "apiVersion": ep.APIVersion, "advancedOptions": nil,
		"createdAt": ep.CreatedAt, "createdBy": map[string]any{"type": "api_key", "name": "test"},
	}
}

func (s *Server) listEndpoints(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	all := make([]any, len(s.endpoints))
	for i, ep := range s.endpoints {
		all[i] = endpointJSON(ep.Endpoint)
	}
	s.mu.Unlock()
	s.page(w, r, all, "status", "sortDir")
}

func (s *Server) getEndpoint(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ep := s.find(r.PathValue("id"))
	s.mu.Unlock()
	if ep == nil {
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "webhook endpoint not found")
		return
	}
	writeJSON(w, http.StatusOK, endpointJSON(ep.Endpoint))
}

func (s *Server) deleteEndpoint(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	found := s.find(id) != nil
	s.endpoints = slices.DeleteFunc(s.endpoints, func(ep *endpoint) bool { return ep.ID == id })
	s.subscriptions = slices.DeleteFunc(s.subscriptions, func(sub *subscription) bool { return sub.WebhookEndpointID == id })
	s.mu.Unlock()
	if !found {
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "webhook endpoint not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id})
}

// find returns the endpoint with id, or nil; the caller holds mu.
func (s *Server) find(id string) *endpoint {
	for _, ep := range s.endpoints {
		if ep.ID == id {
			return ep
		}
	}
	return nil
}

type subscriptionBody struct {
	WebhookEndpointID string   `json:"webhookEndpointId"`
	ResourceType      string   `json:"resourceType"`
	ResourceID        string   `json:"resourceId"`
	EnabledEvents     []string `json:"enabledEvents"`
}

func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request) {
	var in subscriptionBody
	if err := decodeStrict(r, &in); err != nil {
		s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
		return
	}
	s.mu.Lock()
	status, code, problem := s.checkSubscription(in)
	var sub *subscription
	if problem == "" {
		sub = &subscription{ID: s.id("whs_"), WebhookEndpointID: in.WebhookEndpointID, ResourceType: in.ResourceType,
			ResourceID: in.ResourceID, EnabledEvents: in.EnabledEvents}
		s.subscriptions = append(s.subscriptions, sub)
	}
	s.mu.Unlock()
	if problem != "" {
		s.fail(w, status, code, problem)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object": "webhook_subscription", "id": sub.ID, "webhookEndpointId": sub.WebhookEndpointID,
		"resourceType": sub.ResourceType, "resourceId": sub.ResourceID, "enabledEvents": sub.EnabledEvents,
		"createdAt": time.Now().UTC().Format(time.RFC3339),
	})
}

// checkSubscription validates a subscription; the caller holds mu.
func (s *Server) checkSubscription(in subscriptionBody) (status int, code, problem string) {
	if in.WebhookEndpointID == "" || in.ResourceType == "" || in.ResourceID == "" || len(in.EnabledEvents) == 0 {
		return http.StatusBadRequest, "INVALID_REQUEST", "webhookEndpointId, resourceType, resourceId and enabledEvents are required"
	}
	ep := s.find(in.WebhookEndpointID)
	if ep == nil {
		return http.StatusNotFound, "NOT_FOUND", "webhook endpoint not found"
	}
	i := slices.IndexFunc(s.resources, func(res resource) bool { return res.id == in.ResourceID })
	if i < 0 {
		return http.StatusNotFound, "NOT_FOUND", in.ResourceType + " not found"
	}
	if string(s.resources[i].kind) != in.ResourceType {
		return http.StatusBadRequest, "INVALID_REQUEST", fmt.Sprintf("resourceType %q does not match the resource", in.ResourceType)
	}
	allowed := extend.Names(extend.SubscriptionTypes(s.resources[i].kind, extend.Version(ep.APIVersion)))
	for _, e := range in.EnabledEvents {
		if !slices.Contains(allowed, e) {
			return http.StatusBadRequest, "INVALID_REQUEST", fmt.Sprintf("enabledEvents: %q is not a %s event", e, in.ResourceType)
		}
	}
	return 0, "", ""
}

func (s *Server) listWorkflows(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var all []any
	for _, res := range s.resources {
		if res.kind == extend.ResourceWorkflow {
			all = append(all, map[string]any{"object": "workflow", "id": res.id, "name": res.name,
				"createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z", "createdBy": nil})
		}
	}
	s.mu.Unlock()
	s.page(w, r, all, "sortBy", "sortDir")
}

// defaultPageSize is small so that tests see several pages.
const defaultPageSize = 10

// page answers one page of a list: maxPageSize (1–100) and an opaque
// nextPageToken; any other query parameter than those and the route's own
// is a 400.
func (s *Server) page(w http.ResponseWriter, r *http.Request, all []any, allowed ...string) {
	query := r.URL.Query()
	for key := range query {
		if key != "maxPageSize" && key != "nextPageToken" && !slices.Contains(allowed, key) {
			s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", "unknown query parameter "+key)
			return
		}
	}
	size, start := defaultPageSize, 0
	if v := query.Get("maxPageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", "maxPageSize must be 1 to 100")
			return
		}
		size = n
	}
	if v := query.Get("nextPageToken"); v != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "page_"))
		if err != nil || !strings.HasPrefix(v, "page_") || n <= 0 || n >= len(all) {
			s.fail(w, http.StatusBadRequest, "INVALID_REQUEST", "invalid nextPageToken")
			return
		}
		start = n
	}
	end := min(start+size, len(all))
	answer := map[string]any{"object": "list", "data": append([]any{}, all[start:end]...)}
	if end < len(all) {
		answer["nextPageToken"] = "page_" + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, answer)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
