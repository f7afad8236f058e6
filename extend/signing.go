package extend

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The headers Extend signs its deliveries with.
const (
	HeaderTimestamp = "x-extend-request-timestamp"
	HeaderSignature = "x-extend-request-signature"
)

// Default freshness window, as the official SDKs apply it.
const (
	DefaultMaxAge    = 300 * time.Second
	DefaultMaxFuture = 60 * time.Second
)

// Sign computes the signature Extend sends for body at timestamp: lowercase
// hex HMAC-SHA256, keyed with the whole secret as-is, over
// "v0:<timestamp>:<raw body>".
func Sign(secret, timestamp string, body []byte) string {
	return hex.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte("v0:"))
	h.Write([]byte(timestamp))
	h.Write([]byte{':'})
	h.Write(body)
	return h.Sum(nil)
}

// Verification is the outcome of checking a delivery's signature.
type Verification uint8

// Verification outcomes. The zero value is Unchecked so that an event whose
// signature was never looked at says so.
const (
	Unchecked Verification = iota // no secret configured
	Verified                      // signature matches and timestamp is fresh
	Invalid                       // signature does not match
	Stale                         // signature matches but the timestamp is outside the tolerance
	Malformed                     // headers present but unusable
	Missing                       // no signature headers at all
)

// Verifications lists every outcome, for counting and docs.
var Verifications = [...]Verification{Verified, Invalid, Stale, Malformed, Missing, Unchecked}

// String returns the outcome's word, as printed everywhere.
func (v Verification) String() string {
	switch v {
	case Verified:
		return "verified"
	case Invalid:
		return "invalid"
	case Stale:
		return "stale"
	case Malformed:
		return "malformed"
	case Missing:
		return "missing"
	default:
		return "unchecked"
	}
}

// ParseVerification reads an outcome word back.
func ParseVerification(word string) (Verification, error) {
	for _, v := range Verifications {
		if v.String() == word {
			return v, nil
		}
	}
	return Unchecked, fmt.Errorf("unknown verification outcome %q", word)
}

// Check is a verification outcome with the reason behind it.
type Check struct {
	Outcome Verification
	Reason  string // why it is not verified, in the SDKs' words; empty when verified
}

// Verifier checks deliveries against one signing secret.
type Verifier struct {
	Secret string
	// MaxAge is how old a timestamp may be. Zero disables the age check (and
	// the future check with it), as the SDKs' maxAgeSeconds = 0 does.
	MaxAge time.Duration
	// MaxFuture is how far ahead of the local clock a timestamp may be.
	MaxFuture time.Duration
}

// NewVerifier returns a verifier with the SDKs' default window.
func NewVerifier(secret string) Verifier {
	return Verifier{Secret: secret, MaxAge: DefaultMaxAge, MaxFuture: DefaultMaxFuture}
}

// Verify checks a delivery given its two header values (empty when absent)
// and its raw body, at time now. The comparison is constant-time.
func (v Verifier) Verify(timestamp, signature string, body []byte, now time.Time) Check {
	if timestamp == "" && signature == "" {
		if v.Secret == "" {
			return Check{Unchecked, "no signing secret configured"}
		}
		return Check{Missing, "Missing x-extend-request-timestamp and x-extend-request-signature headers"}
	}
	if v.Secret == "" {
		return Check{Unchecked, "no signing secret configured"}
	}
	if timestamp == "" {
		return Check{Malformed, "Missing x-extend-request-timestamp header"}
	}
	if signature == "" {
		return Check{Malformed, "Missing x-extend-request-signature header"}
	}
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return Check{Malformed, "Invalid timestamp format"}
	}
	got, err := hex.DecodeString(signature)
	if err != nil || len(got) != sha256.Size || strings.ToLower(signature) != signature {
		// Uppercase is refused too: the Python and Java SDKs and Extend's CLI
		// compare the hex strings case-sensitively.
		return Check{Malformed, "Invalid signature format (want 64 lowercase hex characters)"}
	}
	if !hmac.Equal(got, mac(v.Secret, timestamp, body)) {
		return Check{Invalid, "Invalid signature"}
	}
	return v.checkAge(secs, now)
}

func (v Verifier) checkAge(secs int64, now time.Time) Check {
	if v.MaxAge == 0 {
		return Check{Outcome: Verified}
	}
	age := now.Sub(time.Unix(secs, 0))
	switch {
	case age > v.MaxAge:
		return Check{Stale, fmt.Sprintf("Request timestamp too old (%ds > %ds)", int64(age/time.Second), int64(v.MaxAge/time.Second))}
	case -age > v.MaxFuture:
		// Not an old capture: the sender's clock and this machine's disagree.
		return Check{Stale, fmt.Sprintf("clock skew: the timestamp is %d s in the future (more than the %d s allowed); check this machine's clock", int64(-age/time.Second), int64(v.MaxFuture/time.Second))}
	}
	return Check{Outcome: Verified}
}
