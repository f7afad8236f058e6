package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// runCLIWithStdin is runCLI with stdin.
func runCLIWithStdin(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(bytes.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	return exitStatus(root.ExecuteContext(context.Background()), &errOut), out.String(), errOut.String()
}

// The vectors of SIGNING.md, with the age check off: their timestamp is
// fixed.
func TestVerifySigningVectors(t *testing.T) {
	t.Setenv(envSecret, "")
	fixture := filepath.Join(fixtures, "parse_run.processed.json")
	fixtureBody, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	compact := `{"eventId":"event_Rt4Wn8Lq1Kz6Vm3Xd9Pc","eventType":"parse_run.processed","payload":{"object":"parse_run_status","id":"pr_Xm2Qk7Wz4Lt9Nv1Rc6Hd","status":"PROCESSED","failureReason":null,"failureMessage":null,"metadata":{"tenant":"contoso","docClass":"lease"}}}`
	cases := []struct {
		name, secret, ts, sig string
		body                  []byte
	}{
		{"example 1", "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU", "1783946100", "3c2dba70ae2c3b80cace4677ce55f66c05675edcdcf0070734e5aa775dc3f6b4", fixtureBody},
		{"example 2", "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU", "1783946100", "4a5710337f64c59d84a3f09d1d7d7e67d89d8728360358c73253aecf97e4e88e", []byte(compact)},
		{"hello", "wss_test", "1700000000", "5c5d1b7e3639633010a1caabc2ce184f2be0f02383e8f1228a06543de2157bad", []byte(`{"event":"hello"}`)},
		{"evt_123", "wss_test_secret_123", "1783946100", "ec627bb331011512f9ccd58922209999244d9f151be5e6ddea9ae273e6d3df92",
			[]byte(`{"eventId":"evt_123","eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_abc123"}}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"verify", "--secret", c.secret, "--timestamp", c.ts, "--signature", c.sig, "--tolerance", "0"}
			code, stdout, stderr := runCLIWithStdin(t, c.body, args...)
			if code != 0 || stdout != "verified\n" || stderr != "" {
				t.Errorf("from stdin: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			code, stdout, _ = runCLIWithStdin(t, c.body, append(args, "-")...)
			if code != 0 || stdout != "verified\n" {
				t.Errorf("from -: exit %d, stdout %q", code, stdout)
			}
			// One byte more and the signature no longer holds.
			code, stdout, _ = runCLIWithStdin(t, append(bytes.Clone(c.body), '\n'), args...)
			if code != 1 || stdout != "invalid\n" {
				t.Errorf("changed body: exit %d, stdout %q", code, stdout)
			}
		})
	}
	code, stdout, _ := runCLI(t, "verify", "--secret", cases[0].secret, "--timestamp", cases[0].ts, "--signature", cases[0].sig, "--tolerance", "0", fixture)
	if code != 0 || stdout != "verified\n" {
		t.Errorf("from FILE: exit %d, stdout %q", code, stdout)
	}
	// Extend's CLI names: --max-age for --tolerance, --body-file for FILE.
	code, stdout, stderr := runCLI(t, "verify", "--secret", cases[0].secret, "--timestamp", cases[0].ts, "--signature", cases[0].sig, "--max-age", "0", "--body-file", fixture)
	if code != 0 || stdout != "verified\n" {
		t.Errorf("--max-age 0 --body-file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestVerifyOutcomes(t *testing.T) {
	const secret = "wss_test_secret_123"
	body := []byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{}}`)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	cases := []struct {
		name    string
		env     string
		args    []string
		outcome extend.Verification
		reason  string
	}{
		{"verified", secret, []string{"--timestamp", now, "--signature", extend.Sign(secret, now, body)}, extend.Verified, ""},
		{"invalid", secret, []string{"--timestamp", now, "--signature", extend.Sign("wss_other", now, body)}, extend.Invalid, "Invalid signature: the secret is not the endpoint's"},
		{"stale", secret, []string{"--timestamp", old, "--signature", extend.Sign(secret, old, body)}, extend.Stale, "s > 300s) (an old capture? --tolerance 0 turns the age check off"},
		{"stale tolerance", secret, []string{"--timestamp", old, "--signature", extend.Sign(secret, old, body), "--tolerance", "30m"}, extend.Stale, "s > 1800s)"},
		{"old but no age check", secret, []string{"--timestamp", old, "--signature", extend.Sign(secret, old, body), "--tolerance", "0"}, extend.Verified, ""},
		{"malformed timestamp", secret, []string{"--timestamp", "yesterday", "--signature", extend.Sign(secret, now, body)}, extend.Malformed, "Invalid timestamp format"},
		{"malformed signature", secret, []string{"--timestamp", now, "--signature", "abc"}, extend.Malformed, "Invalid signature format"},
		{"missing", secret, nil, extend.Missing, "Missing x-extend-request-timestamp and x-extend-request-signature headers"},
		{"unchecked", "", []string{"--timestamp", now, "--signature", extend.Sign(secret, now, body)}, extend.Unchecked, "no signing secret configured: pass --secret or set EXTEND_WEBHOOK_SECRET"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(envSecret, c.env)
			code, stdout, stderr := runCLIWithStdin(t, body, append([]string{"verify"}, c.args...)...)
			wantCode := 1
			if c.outcome == extend.Verified {
				wantCode = 0
			}
			if code != wantCode || stdout != c.outcome.String()+"\n" {
				t.Errorf("exit %d, stdout %q; want %d and %s", code, stdout, wantCode, c.outcome)
			}
			if c.reason == "" && stderr != "" || !strings.Contains(stderr, c.reason) || strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr %q, want one line with %q", stderr, c.reason)
			}
			if c.env != "" && strings.Contains(stdout+stderr, c.env) {
				t.Error("the output shows the secret")
			}
		})
	}
}

func TestVerifyUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"verify", "a.json", "b.json"}, {"verify", "does-not-exist.json"}, {"verify", "--timestamp"}, {"verify", "--body-file", "a.json", "b.json"}, {"verify", "--max-age", "soon"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
