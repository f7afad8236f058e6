package extend

import (
	"strings"
	"testing"
	"time"
)

var timeZero time.Time

// The vectors of testdata/fixtures/SIGNING.md (a copy of the reference's).
func TestSignVectors(t *testing.T) {
	cases := []struct {
		secret, ts string
		body       []byte
		want       string
	}{
		{"wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU", "1783946100", readFixture(t, "parse_run.processed.json"),
			"3c2dba70ae2c3b80cace4677ce55f66c05675edcdcf0070734e5aa775dc3f6b4"},
		{"wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU", "1783946100",
			[]byte(`{"eventId":"event_Rt4Wn8Lq1Kz6Vm3Xd9Pc","eventType":"parse_run.processed","payload":{"object":"parse_run_status","id":"pr_Xm2Qk7Wz4Lt9Nv1Rc6Hd","status":"PROCESSED","failureReason":null,"failureMessage":null,"metadata":{"tenant":"contoso","docClass":"lease"}}}`),
			"4a5710337f64c59d84a3f09d1d7d7e67d89d8728360358c73253aecf97e4e88e"},
		{"wss_test", "1700000000", []byte(`{"event":"hello"}`),
			"5c5d1b7e3639633010a1caabc2ce184f2be0f02383e8f1228a06543de2157bad"},
		{"wss_test_secret_123", "1783946100",
			[]byte(`{"eventId":"evt_123","eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_abc123"}}`),
			"ec627bb331011512f9ccd58922209999244d9f151be5e6ddea9ae273e6d3df92"},
	}
	for _, c := range cases {
		if got := Sign(c.secret, c.ts, c.body); got != c.want {
			t.Errorf("Sign(%s, %s) = %s, want %s", c.secret, c.ts, got, c.want)
		}
	}
	if len(cases[0].body) != 334 {
		t.Errorf("fixture is %d bytes, SIGNING.md says 334", len(cases[0].body))
	}
}

func TestVerifyOutcomes(t *testing.T) {
	const secret = "wss_test"
	body := []byte(`{"event":"hello"}`)
	now := time.Unix(1700000000, 0)
	ts := "1700000000"
	good := Sign(secret, ts, body)
	v := NewVerifier(secret)
	cases := []struct {
		name     string
		v        Verifier
		ts, sig  string
		body     []byte
		now      time.Time
		want     Verification
		inReason string
	}{
		{"verified", v, ts, good, body, now, Verified, ""},
		{"invalid signature", v, ts, strings.Repeat("0", 64), body, now, Invalid, "Invalid signature"},
		{"body changed", v, ts, good, []byte(`{"event":"hello!"}`), now, Invalid, ""},
		{"wrong secret", NewVerifier("wss_other"), ts, good, body, now, Invalid, ""},
		{"too old", v, ts, good, body, now.Add(301 * time.Second), Stale, "too old (301s > 300s)"},
		{"just fresh", v, ts, good, body, now.Add(300 * time.Second), Verified, ""},
		{"future", v, ts, good, body, now.Add(-61 * time.Second), Stale, "in the future"},
		{"clock skew", v, ts, good, body, now.Add(-120 * time.Second), Stale, "clock skew: the timestamp is 120 s in the future"},
		{"just ahead", v, ts, good, body, now.Add(-60 * time.Second), Verified, ""},
		{"age check off", Verifier{Secret: secret}, ts, good, body, now.Add(time.Hour), Verified, ""},
		{"tolerance widened", Verifier{Secret: secret, MaxAge: 2 * time.Hour, MaxFuture: time.Minute}, ts, good, body, now.Add(time.Hour), Verified, ""},
		{"no headers", v, "", "", body, now, Missing, "Missing"},
		{"no timestamp", v, "", good, body, now, Malformed, "timestamp"},
		{"no signature", v, ts, "", body, now, Malformed, "signature"},
		{"bad timestamp", v, "yesterday", good, body, now, Malformed, "timestamp format"},
		{"short signature", v, ts, good[:10], body, now, Malformed, "64 lowercase hex"},
		{"uppercase signature", v, ts, strings.ToUpper(good), body, now, Malformed, "lowercase"},
		{"v0= prefix", v, ts, "v0=" + good, body, now, Malformed, ""},
		{"no secret", Verifier{}, ts, good, body, now, Unchecked, "no signing secret"},
		{"no secret no headers", Verifier{}, "", "", body, now, Unchecked, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.v.Verify(c.ts, c.sig, c.body, c.now)
			if got.Outcome != c.want || !strings.Contains(got.Reason, c.inReason) {
				t.Errorf("got %s (%q), want %s containing %q", got.Outcome, got.Reason, c.want, c.inReason)
			}
			if (got.Outcome == Verified) != (got.Reason == "") {
				t.Errorf("reason %q with outcome %s", got.Reason, got.Outcome)
			}
		})
	}
}

func TestVerificationWords(t *testing.T) {
	for _, v := range Verifications {
		back, err := ParseVerification(v.String())
		if err != nil || back != v {
			t.Errorf("%s does not round-trip", v)
		}
	}
}
