package connect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/connect/connecttest"
	"github.com/extend-inspect/extend-inspect/extend"
)

var session = connect.Session{Host: "devbox", PID: 4242, Started: time.Date(2026, 8, 1, 9, 30, 0, 0, time.UTC)}

// world is a fake Extend with two workflows and an extractor.
func world(t *testing.T) (*connecttest.Server, *connect.Client) {
	fake := connecttest.New(t)
	fake.AddResource(extend.ResourceWorkflow, "workflow_invoices", "Invoices")
	fake.AddResource(extend.ResourceWorkflow, "workflow_receipts", "Receipts")
	fake.AddResource(extend.ResourceExtractor, "ex_totals", "Totals")
	c, _ := newClient(t, fake, nil)
	return fake, c
}

func TestRegisterSubscribeVerifyClose(t *testing.T) {
	fake, c := world(t)
	var verified atomic.Int32
	var reg *connect.Registration
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		check := extend.NewVerifier(reg.SigningSecret()).Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, time.Now())
		if check.Outcome == extend.Verified && r.URL.Query().Get("api_version") == "2026-02-09" {
			verified.Add(1)
		}
	}))
	defer receiver.Close()

	ctx := context.Background()
	reg, err := c.Register(ctx, connect.Options{
		PublicURL: receiver.URL + "/hooks",
		Subscribe: []string{"workflow_invoices", "ex_totals", connect.AllWorkflows},
		Session:   session,
	})
	if err != nil {
		t.Fatal(err)
	}

	eps := fake.Endpoints()
	if len(eps) != 1 {
		t.Fatalf("%d endpoints, want exactly one", len(eps))
	}
	ep := eps[0]
	if want := receiver.URL + "/hooks?api_version=2026-02-09"; ep.URL != want {
		t.Errorf("url %s, want %s", ep.URL, want)
	}
	if want := "extend-inspect devbox 4242 2026-08-01T09:30:00Z"; ep.Name != want {
		t.Errorf("name %q, want %q", ep.Name, want)
	}
	if want := connect.DefaultEvents(extend.V20260209); ep.APIVersion != "2026-02-09" || !slices.Equal(ep.EnabledEvents, want) || len(want) != 32 {
		t.Errorf("apiVersion %s, enabledEvents %v", ep.APIVersion, ep.EnabledEvents)
	}
	if reg.ID() != ep.ID || reg.Endpoint.URL != ep.URL {
		t.Errorf("registration %v, server has %+v", reg, ep)
	}

	subs := fake.Subscriptions()
	got := map[string]string{}
	for _, s := range subs {
		got[s.ResourceID] = s.ResourceType + " " + strings.Join(s.EnabledEvents, ",")
	}
	workflowEvents := "workflow workflow_run.completed,workflow_run.failed,workflow_run.needs_review,workflow_run.rejected,workflow_run.cancelled,workflow_run.step_run.processed"
	want := map[string]string{
		"workflow_invoices": workflowEvents,
		"workflow_receipts": workflowEvents,
		"ex_totals":         "extractor extract_run.processed,extract_run.failed,batch_processor_run.processed,batch_processor_run.failed",
	}
	if len(subs) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("subscriptions %v\nwant %v", got, want)
	}
	if len(reg.Subscriptions) != 3 {
		t.Errorf("registration lists %d subscriptions", len(reg.Subscriptions))
	}

	resp, err := fake.Deliver(ctx, reg.ID(), []byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if verified.Load() != 1 {
		t.Error("the delivery did not verify with the registration's secret")
	}

	if err := reg.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fake.Endpoints()) != 0 || len(fake.Subscriptions()) != 0 {
		t.Errorf("left registered: %v %v", fake.Endpoints(), fake.Subscriptions())
	}
	before := len(fake.Requests())
	if err := reg.Close(ctx); err != nil || len(fake.Requests()) != before {
		t.Errorf("a second Close: %v, %d more requests", err, len(fake.Requests())-before)
	}
}

// The secret is in the create answer and nowhere else.
func TestSecretOnlyInTheCreateAnswer(t *testing.T) {
	fake, c := world(t)
	reg, err := c.Register(context.Background(), connect.Options{PublicURL: "https://x.test/", Session: session})
	if err != nil {
		t.Fatal(err)
	}
	secret := reg.SigningSecret()
	if !strings.HasPrefix(secret, "wss_") || !slices.Contains(fake.IssuedSecrets(), secret) {
		t.Fatalf("SigningSecret %q is not the one the server issued", reg.SigningSecret())
	}
	for _, path := range []string{"/webhook_endpoints", "/webhook_endpoints/" + reg.ID()} {
		req, _ := http.NewRequest("GET", fake.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+connecttest.APIKey)
		req.Header.Set("x-extend-api-version", "2026-02-09")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || bytes.Contains(body, []byte("signingSecret")) || bytes.Contains(body, []byte(secret)) {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
	logged := &strings.Builder{}
	slog.New(slog.NewTextHandler(logged, nil)).Info("registered", "reg", reg, "value", *reg)
	slog.New(slog.NewJSONHandler(logged, nil)).Info("registered", "reg", reg)
	js, _ := json.Marshal(reg)
	for _, out := range []string{
		fmt.Sprint(reg), fmt.Sprintf("%+v", reg), fmt.Sprintf("%#v", reg), fmt.Sprintf("%v", *reg),
		fmt.Sprintf("%+v", *reg), fmt.Sprintf("%#v", *reg), fmt.Sprintf("%s %q %x", reg, reg, reg),
		reg.String(), logged.String(), string(js),
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the secret shows in %q", out)
		}
	}
	if !strings.Contains(reg.String(), reg.ID()) {
		t.Errorf("String() = %q, want the endpoint id", reg.String())
	}
}

func TestRegisterCreateRefused(t *testing.T) {
	fake, c := world(t)
	fake.Fail("POST /webhook_endpoints", connecttest.Fault{Status: 403, Code: "FORBIDDEN", Message: "this key may not manage webhooks", Times: 1})
	_, err := c.Register(context.Background(), connect.Options{PublicURL: "https://x.test/", Subscribe: []string{"workflow_invoices"}, Session: session})
	checkMessage(t, err, connecttest.APIKey)
	if want := "create webhook endpoint: Extend API: FORBIDDEN: this key may not manage webhooks (HTTP 403, request req_"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
	if len(fake.Endpoints()) != 0 || len(fake.Subscriptions()) != 0 {
		t.Error("something is registered after a refused create")
	}
	if got := requests(fake); !slices.Equal(got, []string{"POST /webhook_endpoints"}) {
		t.Errorf("requests %v", got)
	}
}

func TestRegisterSubscribeFailsDeletesTheEndpoint(t *testing.T) {
	cases := map[string]func(*connecttest.Server){
		"server error": func(fake *connecttest.Server) {
			fake.Fail("POST /webhook_subscriptions", connecttest.Fault{Status: 500, Code: "INTERNAL_ERROR", Message: "boom", Times: 1})
		},
		"unknown workflow": func(*connecttest.Server) {},
	}
	for name, arrange := range cases {
		t.Run(name, func(t *testing.T) {
			fake, c := world(t)
			arrange(fake)
			_, err := c.Register(context.Background(), connect.Options{
				PublicURL: "https://x.test/", Subscribe: []string{"workflow_invoices", "workflow_gone"}, Session: session,
			})
			checkMessage(t, err, fake.IssuedSecrets()...)
			if !strings.Contains(err.Error(), "subscribe workflow workflow_") || !strings.Contains(err.Error(), "was deleted again") {
				t.Errorf("error %q", err)
			}
			if len(fake.Endpoints()) != 0 || len(fake.Subscriptions()) != 0 {
				t.Errorf("left registered: %v %v", fake.Endpoints(), fake.Subscriptions())
			}
			if reqs := requests(fake); !strings.HasPrefix(reqs[len(reqs)-1], "DELETE /webhook_endpoints/whe_") {
				t.Errorf("requests %v end without the delete", reqs)
			}
		})
	}
}

func TestRegisterSubscribeAndDeleteFail(t *testing.T) {
	fake, c := world(t)
	fake.Fail("POST /webhook_subscriptions", connecttest.Fault{Status: 500, Code: "INTERNAL_ERROR", Message: "boom", Times: 1})
	fake.Fail("DELETE /webhook_endpoints/{id}", connecttest.Fault{Status: 500, Code: "INTERNAL_ERROR", Message: "still boom"})
	_, err := c.Register(context.Background(), connect.Options{PublicURL: "https://x.test/", Subscribe: []string{"workflow_invoices"}, Session: session})
	checkMessage(t, err, fake.IssuedSecrets()...)
	id := fake.Endpoints()[0].ID
	var left *connect.StillRegisteredError
	if !errors.As(err, &left) || left.EndpointID != id {
		t.Fatalf("error %q does not say %s is still registered", err, id)
	}
	for _, want := range []string{"boom", "still boom", connect.DeleteCommand(id)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// A SIGINT while subscribing ends the caller's context; the endpoint is
// deleted all the same.
func TestRegisterCancelledWhileSubscribing(t *testing.T) {
	fake, _ := world(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := connect.Config{APIKey: connecttest.APIKey, BaseURL: fake.URL, Version: version,
		HTTPClient: &http.Client{Transport: cancelOn{"/webhook_subscriptions", cancel}}}
	c, err := connect.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Register(ctx, connect.Options{PublicURL: "https://x.test/", Subscribe: []string{"workflow_invoices"}, Session: session})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want the cancellation", err)
	}
	if len(fake.Endpoints()) != 0 {
		t.Errorf("left registered after the cancellation: %v", fake.Endpoints())
	}
}

// cancelOn cancels a context when a request for path goes out, as a signal
// arriving just then would.
type cancelOn struct {
	path   string
	cancel context.CancelFunc
}

func (c cancelOn) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == c.path {
		c.cancel()
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestCloseFails(t *testing.T) {
	fake, c := world(t)
	ctx := context.Background()
	reg, err := c.Register(ctx, connect.Options{PublicURL: "https://x.test/", Session: session})
	if err != nil {
		t.Fatal(err)
	}
	fake.Fail("DELETE /webhook_endpoints/{id}", connecttest.Fault{Status: 500, Code: "INTERNAL_ERROR", Message: "db down", Times: 4})
	err = reg.Close(ctx)
	checkMessage(t, err, reg.SigningSecret(), connecttest.APIKey)
	want := "delete webhook endpoint " + reg.ID() + ": Extend API: INTERNAL_ERROR: db down (HTTP 500, request req_"
	if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "the endpoint is still registered: delete it with: extend-inspect endpoints delete "+reg.ID()) {
		t.Errorf("error %q", err)
	}
	if len(fake.Endpoints()) != 1 {
		t.Fatal("the endpoint is gone although the delete failed")
	}
	if err := reg.Close(ctx); err != nil {
		t.Errorf("Close after the fault cleared: %v", err)
	}
	if len(fake.Endpoints()) != 0 {
		t.Error("the endpoint is still there")
	}
}

func TestCloseAfterSomeoneElseDeletedIt(t *testing.T) {
	_, c := world(t)
	ctx := context.Background()
	reg, err := c.Register(ctx, connect.Options{PublicURL: "https://x.test/", Session: session})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteEndpoint(ctx, reg.ID()); err != nil {
		t.Fatal(err)
	}
	if err := reg.Close(ctx); err != nil {
		t.Errorf("Close of an endpoint already gone: %v", err)
	}
}

func TestRegisterOlderVersion(t *testing.T) {
	fake, c := world(t)
	_, err := c.Register(context.Background(), connect.Options{
		PublicURL: "https://x.test/in?env=dev", APIVersion: extend.V20250421, Subscribe: []string{"workflow_invoices"}, Session: session,
	})
	if err != nil {
		t.Fatal(err)
	}
	ep := fake.Endpoints()[0]
	u, _ := url.Parse(ep.URL)
	if u.Query().Get("env") != "dev" || u.Query().Get("api_version") != "2025-04-21" || ep.APIVersion != "2025-04-21" {
		t.Errorf("endpoint %+v", ep)
	}
	if !slices.Equal(ep.EnabledEvents, extend.Names(extend.TypesIn(extend.V20250421))) {
		t.Errorf("enabledEvents %v, want every 2025-04-21 type", ep.EnabledEvents)
	}
	if sub := fake.Subscriptions()[0]; len(sub.EnabledEvents) != 5 {
		t.Errorf("2025-04-21 workflow subscription %v", sub.EnabledEvents)
	}
}

func TestRegisterGivenEvents(t *testing.T) {
	fake, c := world(t)
	_, err := c.Register(context.Background(), connect.Options{
		PublicURL: "https://x.test/", Events: []string{"extract_run.failed", "workflow.deployed", "extract_run.failed"}, Session: session,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.Endpoints()[0].EnabledEvents; !slices.Equal(got, []string{"extract_run.failed", "workflow.deployed"}) {
		t.Errorf("enabledEvents %v", got)
	}
}

func TestOptionsCheck(t *testing.T) {
	ok := connect.Options{PublicURL: "https://x.test/"}
	bad := map[string]connect.Options{
		"public URL":            {PublicURL: "x.test/hooks"},
		"not one of":            {PublicURL: "https://x.test/", APIVersion: "2026-01-01"},
		"subscribe a workflow":  {PublicURL: "https://x.test/", Events: []string{"workflow_run.completed"}},
		"is not one of API":     {PublicURL: "https://x.test/", Events: []string{"extract_run.processed"}, APIVersion: extend.V20241223},
		"want a resource id":    {PublicURL: "https://x.test/", Subscribe: []string{"workflow_run_abc"}},
		"has no extractor":      {PublicURL: "https://x.test/", Subscribe: []string{"ex_totals"}, APIVersion: extend.V20250421},
		"not one of API versi":  {PublicURL: "https://x.test/", Events: []string{"no.such_type"}},
		"absolute http(s) URL ": {PublicURL: "https://x.test/#frag"},
	}
	for _, o := range []connect.Options{ok, {Subscribe: []string{"workflow_a"}}} {
		if err := o.Check(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if err := (connect.Options{PublicURL: "https://x.test/", APIVersion: extend.V20241223, Events: []string{"workflow_run.completed"}}).Check(); err != nil {
		t.Errorf("workflow_run on a 2024-12-23 endpoint: %v", err)
	}
	for want, o := range bad {
		err := o.Check()
		checkMessage(t, err)
		if !strings.Contains(err.Error(), strings.TrimSpace(want)) {
			t.Errorf("%+v: %q lacks %q", o, err, want)
		}
	}
}

// Nothing is created when the options are wrong, or when listing the
// workflows fails.
func TestRegisterFailsBeforeCreating(t *testing.T) {
	fake, c := world(t)
	for _, o := range []connect.Options{{PublicURL: "nope"}, {}} {
		if _, err := c.Register(context.Background(), o); err == nil {
			t.Errorf("%+v registered", o)
		}
	}
	fake.Fail("GET /workflows", connecttest.Fault{Status: 400, Code: "INVALID_REQUEST", Message: "no", Times: 1})
	_, err := c.Register(context.Background(), connect.Options{PublicURL: "https://x.test/", Subscribe: []string{connect.AllWorkflows}})
	checkMessage(t, err)
	if !strings.HasPrefix(err.Error(), "subscribe all-workflows: list workflows: Extend API: INVALID_REQUEST") {
		t.Errorf("error %q", err)
	}
	if got := requests(fake); !slices.Equal(got, []string{"GET /workflows"}) {
		t.Errorf("requests %v", got)
	}
}
