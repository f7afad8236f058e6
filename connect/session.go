package connect

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// NamePrefix starts the name of every endpoint this tool creates; it is how
// `endpoints list` and `endpoints prune` recognise them.
const NamePrefix = "extend-inspect "

// Session says which process registered an endpoint. Its name carries it
// ("extend-inspect <host> <pid> <time>"), so that a later run can tell an
// endpoint left by a session that died from one still in use.
type Session struct {
	Host    string
	PID     int
	Started time.Time
}

// resolved fills the zero fields with this process, now.
func (s Session) resolved() Session {
	if s.Host == "" {
		s.Host = Hostname()
	}
	s.PID = cmp.Or(s.PID, os.Getpid())
	if s.Started.IsZero() {
		s.Started = time.Now()
	}
	return s
}

// Name is the endpoint name for the session, e.g.
// "extend-inspect devbox 4242 2026-08-01T09:30:00Z".
func (s Session) Name() string {
	return fmt.Sprintf("%s%s %d %s", NamePrefix, nameHost(s.Host), s.PID, s.Started.UTC().Format(time.RFC3339))
}

// ParseName reads the session from an endpoint name Session.Name wrote.
func ParseName(name string) (Session, bool) {
	rest, ok := strings.CutPrefix(name, NamePrefix)
	fields := strings.Fields(rest)
	if !ok || len(fields) != 3 {
		return Session{}, false
	}
	pid, err := strconv.Atoi(fields[1])
	if err != nil || pid <= 0 || !printable(fields[0]) {
		return Session{}, false
	}
	// Only the form Name writes (UTC, RFC 3339) is read back.
	started, err := time.Parse(time.RFC3339, fields[2])
	if err != nil || started.UTC().Format(time.RFC3339) != fields[2] {
		return Session{}, false
	}
	return Session{Host: fields[0], PID: pid, Started: started}, true
}

func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) })
}

// Hostname is the host name sessions of this machine carry in their
// endpoints' names.
func Hostname() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "unknown-host"
	}
	return nameHost(host)
}

// nameHost keeps a host name one word, so that names parse back.
func nameHost(host string) string { return strings.Join(strings.Fields(host), "-") }

// Owned is an endpoint this tool created, with the session its name names
// (Known is false when the name has the prefix but not the rest).
type Owned struct {
	Endpoint
	Session Session
	Known   bool
}

// ListOwned lists the endpoints whose name says this tool created them.
func (c *Client) ListOwned(ctx context.Context) ([]Owned, error) {
	endpoints, err := c.ListEndpoints(ctx)
	if err != nil {
		return nil, err
	}
	var owned []Owned
	for _, ep := range endpoints {
		if strings.HasPrefix(ep.Name, NamePrefix) {
			session, known := ParseName(ep.Name)
			owned = append(owned, Owned{Endpoint: ep, Session: session, Known: known})
		}
	}
	return owned, nil
}

// State is what this host knows of the session that registered an
// endpoint.
type State string

const (
	StateRunning   State = "running"    // a session of this host whose process runs
	StateDead      State = "dead"       // a session of this host whose process is gone
	StateOtherHost State = "other host" // a session of another host: this one cannot tell
	StateUnknown   State = "unknown"    // the name has the prefix but not the rest
)

// State says whether the endpoint's session runs on host (running is
// Running outside tests).
func (o Owned) State(host string, running func(pid int) bool) State {
	switch {
	case !o.Known:
		return StateUnknown
	case o.Session.Host != nameHost(host):
		return StateOtherHost
	case running(o.Session.PID):
		return StateRunning
	}
	return StateDead
}

// Abandoned reports whether the endpoint was left by a session on host
// whose process no longer runs. An endpoint of another host, or one whose
// name cannot be read, is never abandoned: this host cannot know.
func (o Owned) Abandoned(host string, running func(pid int) bool) bool {
	return o.State(host, running) == StateDead
}

// Prunable selects, from owned, the endpoints `endpoints prune` deletes:
// every one with all, else those Abandoned on host (Hostname()).
func Prunable(owned []Owned, all bool, host string, running func(pid int) bool) []Owned {
	var picked []Owned
	for _, o := range owned {
		if all || o.Abandoned(host, running) {
			picked = append(picked, o)
		}
	}
	return picked
}

// DeleteOwned deletes one endpoint after checking that this tool created it,
// so that a mistyped id cannot delete someone's production endpoint.
func (c *Client) DeleteOwned(ctx context.Context, id string) error {
	ep, err := c.GetEndpoint(ctx, id)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(ep.Name, NamePrefix) {
		return fmt.Errorf("webhook endpoint %s (%q) was not created by extend-inspect: delete it in Extend's dashboard", id, ep.Name)
	}
	return c.DeleteEndpoint(ctx, id)
}
