package connect

import (
	"context"
	"time"

	"golang.ngrok.com/ngrok/v2"
)

// SetSleep replaces the wait between retries, so tests see the waits
// without spending them.
func (c *Client) SetSleep(f func(context.Context, time.Duration) error) { c.sleep = f }

// NgrokAgent is the agent seam of Ngrok, for tests.
type NgrokAgent = ngrokAgent

// SetAgent replaces ngrok.NewAgent.
func (n *Ngrok) SetAgent(f func(...ngrok.AgentOption) (NgrokAgent, error)) { n.newAgent = f }
