package connect_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/connect"
	"github.com/extend-inspect/extend-inspect/connect/connecttest"
)

var someEndpoint = connect.NewEndpoint{URL: "https://x.test/", Name: "n", EnabledEvents: []string{"workflow.created"}, APIVersion: "2026-02-09"}

func TestRateLimitedThenCreated(t *testing.T) {
	cases := []struct {
		name       string
		retryAfter string
		want       []time.Duration
	}{
		{"exponential backoff", "", []time.Duration{500 * time.Millisecond, time.Second}},
		{"Retry-After honoured", "3", []time.Duration{3 * time.Second, 3 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := connecttest.New(t)
			fake.Fail("POST /webhook_endpoints", connecttest.Fault{Status: 429, Code: "RATE_LIMITED", Message: "slow down", RetryAfter: tc.retryAfter, Times: 2})
			c, w := newClient(t, fake, nil)
			if _, _, err := c.CreateEndpoint(context.Background(), someEndpoint); err != nil {
				t.Fatal(err)
			}
			if got := w.list(); !slices.Equal(got, tc.want) {
				t.Errorf("waits %v, want %v", got, tc.want)
			}
			if n := len(fake.Endpoints()); n != 1 {
				t.Errorf("%d endpoints, want 1", n)
			}
		})
	}
}

func TestRateLimitedGivesUp(t *testing.T) {
	t.Run("after the last attempt", func(t *testing.T) {
		fake := connecttest.New(t)
		fake.Fail("POST /webhook_endpoints", connecttest.Fault{Status: 429, Code: "RATE_LIMITED", Message: "slow down"})
		c, w := newClient(t, fake, nil)
		_, _, err := c.CreateEndpoint(context.Background(), someEndpoint)
		checkMessage(t, err)
		if len(fake.Requests()) != 4 || len(w.list()) != 3 {
			t.Errorf("%d requests and waits %v, want 4 tries", len(fake.Requests()), w.list())
		}
		if !strings.Contains(err.Error(), "RATE_LIMITED") {
			t.Errorf("error %q", err)
		}
	})
	t.Run("when Retry-After is beyond the ceiling", func(t *testing.T) {
		fake := connecttest.New(t)
		fake.Fail("GET /workflows", connecttest.Fault{Status: 429, Code: "RATE_LIMITED", Message: "come back tomorrow", RetryAfter: "86400"})
		c, w := newClient(t, fake, nil)
		_, err := c.ListWorkflows(context.Background())
		checkMessage(t, err)
		if len(fake.Requests()) != 1 || len(w.list()) != 0 {
			t.Errorf("%d requests, waits %v; want one try", len(fake.Requests()), w.list())
		}
	})
	t.Run("when the context ends while waiting", func(t *testing.T) {
		fake := connecttest.New(t)
		fake.Fail("POST /webhook_endpoints", connecttest.Fault{Status: 429, Code: "RATE_LIMITED", Message: "slow down"})
		c, _ := newClient(t, fake, nil)
		ctx, cancel := context.WithCancel(context.Background())
		c.SetSleep(func(context.Context, time.Duration) error { cancel(); return context.Canceled })
		_, _, err := c.CreateEndpoint(ctx, someEndpoint)
		checkMessage(t, err)
		if len(fake.Requests()) != 1 {
			t.Errorf("%d requests after the context ended", len(fake.Requests()))
		}
	})
}

// A failed POST is not sent twice (it may have been done); a failed GET or
// DELETE may be.
func TestServerErrorsRetriedOnlyWhenIdempotent(t *testing.T) {
	fake := connecttest.New(t)
	fake.Fail("POST /webhook_endpoints", connecttest.Fault{Status: 503, Code: "UNAVAILABLE", Message: "try later", Retryable: true, Times: 1})
	fake.Fail("GET /webhook_endpoints", connecttest.Fault{Status: 502, Code: "BAD_GATEWAY", Message: "oops", Times: 1})
	c, _ := newClient(t, fake, nil)
	ctx := context.Background()
	if _, _, err := c.CreateEndpoint(ctx, someEndpoint); err == nil {
		t.Error("a 503 on create was retried")
	}
	if _, err := c.ListEndpoints(ctx); err != nil {
		t.Errorf("a 502 on list was not retried: %v", err)
	}
	want := []string{"POST /webhook_endpoints", "GET /webhook_endpoints", "GET /webhook_endpoints"}
	if got := requests(fake); !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}

func TestAPIErrorShapes(t *testing.T) {
	cases := []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   string
	}{
		{"wrapped", 400, nil,
			`{"error":{"code":"INVALID_REQUEST","message":"enabledEvents is required","retryable":false,"requestId":"req_1"}}`,
			"Extend API: INVALID_REQUEST: enabledEvents is required (HTTP 400, request req_1)"},
		{"top level, id in the header", 404, map[string]string{"x-extend-request-id": "req_2"},
			`{"code":"NOT_FOUND","message":"no such endpoint"}`,
			"Extend API: NOT_FOUND: no such endpoint (HTTP 404, request req_2)"},
		{"not JSON", 502, nil, "<html>\n<h1>Bad Gateway</h1></html>", "Extend API: Bad Gateway (HTTP 502)"},
		{"control characters", 400, nil,
			`{"error":{"code":"BAD\u001b[2J","message":"line one\nline two\u0007 \u202eevil","requestId":"req_3"}}`,
			"Extend API: BAD [2J: line one line two evil (HTTP 400, request req_3)"},
		{"the key repeated", 401, nil,
			`{"error":{"code":"UNAUTHORIZED","message":"key ` + connecttest.APIKey + ` is revoked"}}`,
			"Extend API: UNAUTHORIZED: key sk_…p7dc is revoked (HTTP 401)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := clientOf(t, srv.URL)
			err := c.DeleteEndpoint(context.Background(), "whe_1")
			checkMessage(t, err, connecttest.APIKey)
			var apiErr *connect.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%v is not an APIError", err)
			}
			if apiErr.Error() != tc.want {
				t.Errorf("got  %q\nwant %q", apiErr.Error(), tc.want)
			}
			if want := "delete webhook endpoint whe_1: " + tc.want; err.Error() != want {
				t.Errorf("wrapped as %q", err)
			}
		})
	}
}

// clientOf makes a client of any server, with no waits between retries.
func clientOf(t *testing.T, base string) *connect.Client {
	t.Helper()
	c, err := connect.New(connect.Config{APIKey: connecttest.APIKey, BaseURL: base, Version: version,
		Retry: connect.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWorkflowsPaginated(t *testing.T) {
	fake := connecttest.New(t)
	for i := range 45 {
		fake.AddResource("workflow", "workflow_"+string(rune('A'+i/26))+string(rune('a'+i%26)), "wf")
	}
	c, _ := newClient(t, fake, nil)
	wfs, err := c.ListWorkflows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(wfs) != 45 || wfs[0].ID != "workflow_Aa" || wfs[44].ID != "workflow_Bs" {
		t.Errorf("%d workflows, first %v, last %v", len(wfs), wfs[0], wfs[len(wfs)-1])
	}
	var tokens []string
	for _, r := range fake.Requests() {
		if r.Query.Get("maxPageSize") != "20" {
			t.Errorf("maxPageSize %q", r.Query.Get("maxPageSize"))
		}
		tokens = append(tokens, r.Query.Get("nextPageToken"))
	}
	if want := []string{"", "page_20", "page_40"}; !slices.Equal(tokens, want) {
		t.Errorf("page tokens %v, want %v", tokens, want)
	}
}

func TestPaginationStopsOnARepeatedToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"object":"list","data":[{"object":"workflow","id":"workflow_a"}],"nextPageToken":"same"}`))
	}))
	defer srv.Close()
	_, err := clientOf(t, srv.URL).ListWorkflows(context.Background())
	checkMessage(t, err)
	if !strings.Contains(err.Error(), "twice") {
		t.Errorf("error %q", err)
	}
}
