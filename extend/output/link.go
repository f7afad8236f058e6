package output

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// Expiry is when a signed download link stops working.
type Expiry struct {
	At time.Time
	// Param names the URL's own expiry parameter the time came from
	// ("Expires", "X-Amz-Expires", …); "" when it is the delivery's arrival
	// plus extend.SignedURLLifetime.
	Param string
}

// LinkExpiry works out when link expires: from its own expiry parameter
// when it has one (S3's X-Amz-Date + X-Amz-Expires, Google's X-Goog-Date +
// X-Goog-Expires, CloudFront's and the older signers' Expires, Azure's se),
// else one hour after the delivery arrived, as Extend documents.
func LinkExpiry(link string, arrived time.Time) Expiry {
	fallback := Expiry{At: arrived.Add(extend.SignedURLLifetime)}
	u, err := url.Parse(link)
	if err != nil {
		return fallback
	}
	q := map[string]string{}
	for k, vs := range u.Query() {
		if len(vs) > 0 {
			q[strings.ToLower(k)] = vs[0]
		}
	}
	for _, p := range []struct{ date, lifetime, name string }{
		{"x-amz-date", "x-amz-expires", "X-Amz-Expires"},
		{"x-goog-date", "x-goog-expires", "X-Goog-Expires"},
	} {
		if at, ok := dated(q[p.date], q[p.lifetime]); ok {
			return Expiry{At: at, Param: p.name}
		}
	}
	if s, err := strconv.ParseInt(q["expires"], 10, 64); err == nil && s > 0 {
		return Expiry{At: time.Unix(s, 0).UTC(), Param: "Expires"}
	}
	if at, err := time.Parse(time.RFC3339, q["se"]); err == nil {
		return Expiry{At: at.UTC(), Param: "se"}
	}
	return fallback
}

// dated is a signing time in the compact ISO form S3 and Google use
// (20260720T093015Z) plus a lifetime in seconds.
func dated(date, lifetime string) (time.Time, bool) {
	t, err := time.Parse("20060102T150405Z", date)
	secs, err2 := strconv.ParseInt(lifetime, 10, 64)
	if err != nil || err2 != nil || secs < 0 {
		return time.Time{}, false
	}
	return t.Add(time.Duration(secs) * time.Second), true
}

// Left is how long the link has left at now; negative once expired.
func (e Expiry) Left(now time.Time) time.Duration { return e.At.Sub(now) }

// Describe says when the link expires and how long is left, e.g.
// "expires 10:42:00 (in 37m)" or "expired at 10:42:00 (5m ago)". Times are
// shown in loc.
func (e Expiry) Describe(now time.Time, loc *time.Location) string {
	at := e.At.In(loc).Format(time.TimeOnly)
	left := e.Left(now)
	if left <= 0 {
		return "expired at " + at + " (" + roughly(-left) + " ago)"
	}
	return "expires " + at + " (in " + roughly(left) + ")"
}

// Short is Describe in a list row's few cells: "10:42 (37m)", or
// "expired 10:42".
func (e Expiry) Short(now time.Time, loc *time.Location) string {
	at := e.At.In(loc).Format("15:04")
	if left := e.Left(now); left > 0 {
		return at + " (" + roughly(left) + ")"
	}
	return "expired " + at
}

func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h" + strconv.Itoa(int(d%time.Hour/time.Minute)) + "m"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}
