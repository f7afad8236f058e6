package connect

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Endpoint is a webhook endpoint as Extend answers it. Its signing secret is
// never here: only CreateEndpoint sees it, and returns it on its own.
type Endpoint struct {
	Object        string   `json:"object"`
	ID            string   `json:"id"`
	URL           string   `json:"url"`
	Name          string   `json:"name"`
	Status        string   `json:"status"`
	EnabledEvents []string `json:"enabledEvents"`
	APIVersion    string   `json:"apiVersion"`
	CreatedAt     string   `json:"createdAt"`
}

// NewEndpoint is the body of POST /webhook_endpoints. Extend's schema is
// strict, so it holds exactly the fields this tool sets: status defaults to
// enabled and advancedOptions to inline JSON payloads.
type NewEndpoint struct {
	URL           string   `json:"url"`
	Name          string   `json:"name"`
	EnabledEvents []string `json:"enabledEvents"`
	APIVersion    string   `json:"apiVersion"`
}

// Subscription ties an endpoint to the events of one resource.
type Subscription struct {
	Object            string   `json:"object"`
	ID                string   `json:"id"`
	WebhookEndpointID string   `json:"webhookEndpointId"`
	ResourceType      string   `json:"resourceType"`
	ResourceID        string   `json:"resourceId"`
	EnabledEvents     []string `json:"enabledEvents"`
	CreatedAt         string   `json:"createdAt"`
}

// NewSubscription is the body of POST /webhook_subscriptions; every field
// is required.
type NewSubscription struct {
	WebhookEndpointID string   `json:"webhookEndpointId"`
	ResourceType      string   `json:"resourceType"`
	ResourceID        string   `json:"resourceId"`
	EnabledEvents     []string `json:"enabledEvents"`
}

// Workflow is an entry of GET /workflows (a WorkflowSummary).
type Workflow struct {
	Object string `json:"object"`
	ID     string `json:"id"`
	Name   string `json:"name"`
}

// CreateEndpoint creates a webhook endpoint. The answer is the only place
// Extend ever shows the endpoint's signing secret, returned here apart from
// the endpoint.
func (c *Client) CreateEndpoint(ctx context.Context, in NewEndpoint) (Endpoint, extend.Secret, error) {
	var created struct {
		Endpoint
		SigningSecret extend.Secret `json:"signingSecret"`
	}
	if err := c.call(ctx, http.MethodPost, "/webhook_endpoints", in, &created); err != nil {
		return Endpoint{}, "", fmt.Errorf("create webhook endpoint: %w", err)
	}
	if created.ID == "" || created.SigningSecret == "" {
		return Endpoint{}, "", fmt.Errorf("create webhook endpoint: the answer has no id or no signingSecret")
	}
	return created.Endpoint, created.SigningSecret, nil
}

// GetEndpoint fetches one webhook endpoint.
func (c *Client) GetEndpoint(ctx context.Context, id string) (Endpoint, error) {
	var ep Endpoint
	if err := c.call(ctx, http.MethodGet, "/webhook_endpoints/"+url.PathEscape(id), nil, &ep); err != nil {
		return Endpoint{}, fmt.Errorf("get webhook endpoint %s: %w", id, err)
	}
	return ep, nil
}

// ListEndpoints lists every webhook endpoint of the workspace, all pages.
func (c *Client) ListEndpoints(ctx context.Context) ([]Endpoint, error) {
	eps, err := listAll[Endpoint](ctx, c, "/webhook_endpoints")
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	return eps, nil
}

// DeleteEndpoint deletes a webhook endpoint and, with it, its
// subscriptions.
func (c *Client) DeleteEndpoint(ctx context.Context, id string) error {
	if err := c.call(ctx, http.MethodDelete, "/webhook_endpoints/"+url.PathEscape(id), nil, nil); err != nil {
		return fmt.Errorf("delete webhook endpoint %s: %w", id, err)
	}
	return nil
}

// CreateSubscription subscribes an endpoint to the events of one resource.
func (c *Client) CreateSubscription(ctx context.Context, in NewSubscription) (Subscription, error) {
	var sub Subscription
	if err := c.call(ctx, http.MethodPost, "/webhook_subscriptions", in, &sub); err != nil {
		return Subscription{}, fmt.Errorf("subscribe %s %s: %w", in.ResourceType, in.ResourceID, err)
	}
	return sub, nil
}

// ListWorkflows lists every workflow of the workspace, all pages.
func (c *Client) ListWorkflows(ctx context.Context) ([]Workflow, error) {
	wfs, err := listAll[Workflow](ctx, c, "/workflows")
	if err != nil {
		return nil, fmt.Errorf("list workflows: %w", err)
	}
	return wfs, nil
}

// PageSize is the maxPageSize of list requests: what Extend's CLI asks for,
// since the API's maximum is not documented.
const PageSize = 20

// maxPages stops a server that never stops handing out page tokens.
const maxPages = 1000

// listAll follows nextPageToken through every page of a list: Extend's
// lists answer {"object": "list", "data": [...], "nextPageToken"?}.
func listAll[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var all []T
	token := ""
	for range maxPages {
		query := url.Values{"maxPageSize": {strconv.Itoa(PageSize)}}
		if token != "" {
			query.Set("nextPageToken", token)
		}
		var page struct {
			Data          []T    `json:"data"`
			NextPageToken string `json:"nextPageToken"`
		}
		if err := c.call(ctx, http.MethodGet, path+"?"+query.Encode(), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Data...)
		if page.NextPageToken == "" {
			return all, nil
		}
		if page.NextPageToken == token {
			return nil, fmt.Errorf("the API handed out page token %q twice", token)
		}
		token = page.NextPageToken
	}
	return nil, fmt.Errorf("more than %d pages", maxPages)
}
