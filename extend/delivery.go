package extend

import "time"

// DeliveryTimeout is how long Extend waits for an endpoint's answer before it
// counts the delivery as failed and retries it with backoff (REFERENCE §5).
const DeliveryTimeout = 30 * time.Second

// SignedURLLifetime is how long the signed download link of a URL-format
// delivery stays valid after it was minted.
const SignedURLLifetime = time.Hour

// APIVersionHeader carries the endpoint's pinned API version on every
// delivery (REFERENCE §4).
const APIVersionHeader = "x-extend-api-version"
