package connect

import (
	"context"
	"time"
)

// SetSleep replaces the wait between retries, so tests see the waits
// without spending them.
func (c *Client) SetSleep(f func(context.Context, time.Duration) error) { c.sleep = f }
