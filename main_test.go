package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// runCLI runs the command line in-process and returns its exit status and
// output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// buildBinary returns the path of extend-inspect built for this test run.
// It is built once, on first use, and shared: the tests that run the real
// program would otherwise link it once each.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "extend-inspect-test-")
		if err != nil {
			binErr = err
			return
		}
		binDir, binPath = dir, filepath.Join(dir, "extend-inspect")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

var (
	binOnce         sync.Once
	binDir, binPath string
	binErr          error
)

// TestMain removes the shared binary after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// A mistake on the command line is one line on stderr naming what was
// wrong, and exit status 2, before anything starts.
func TestUsageErrors(t *testing.T) {
	const secret = "wss_9fT2qLmX7vKc4RzN8wPd1HsY6bJe3GaU"
	cases := []struct {
		args []string
		want string // in the message
	}{
		{[]string{"tail", "--capacity", "x"}, `invalid argument "x" for "--capacity" flag`},
		{[]string{"tail", "--capacity", "0"}, `"--capacity" flag: must be at least 1`},
		{[]string{"tail", "--capacity"}, "flag needs an argument: --capacity"},
		{[]string{"tail", "--max-body", "huge"}, `"--max-body" flag`},
		{[]string{"--max-memory", "0", "tail"}, `"--max-memory" flag: must be more than 0`},
		{[]string{"tail", "--tolerance", "soon"}, `"--tolerance" flag`},
		{[]string{"tail", "--tolerance", "-5s"}, `"--tolerance" flag: must not be negative`},
		{[]string{"tail", "--listen", "localhost"}, `"--listen" flag: want HOST:PORT`},
		{[]string{"tail", "--listen", "127.0.0.1:99999"}, `"--listen" flag: port "99999"`},
		{[]string{"tail", "--type", "workflow_run.[", "--secret", secret}, `"--type" flag: bad pattern`},
		{[]string{"tail", "--nope"}, "unknown flag: --nope"},
		{[]string{"tail", "now"}, `takes no arguments, got "now"`},
		{[]string{"tial"}, `unknown command "tial"; did you mean "tail"?`},
		{[]string{"types", "--api-version", "2019-01-01"}, `"--api-version" flag: unknown API version`},
		{[]string{"types", "--forward-to", "x", "--respond", "500"}, "unknown flag: --forward-to"},
		{[]string{"types", "-o", "yaml"}, `"-o, --output" flag: want text or json`},
		{[]string{"types", "--json=maybe"}, `"--json" flag`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if !strings.HasPrefix(stderr, "extend-inspect: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want one line with %q", stderr, c.want)
			}
			if stdout != "" || strings.Contains(stderr, secret) {
				t.Errorf("stdout %q; stderr %q must not show the secret", stdout, stderr)
			}
		})
	}
}

func TestBusyPortIsARuntimeError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCLI(t, "tail", "--listen", ln.Addr().String())
	if code != 1 || !strings.Contains(stderr, "address already in use") || !strings.Contains(stderr, "--listen") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestHelpNeverShowsTheSecret(t *testing.T) {
	const secret = "wss_fromTheEnvironment0123456789"
	t.Setenv(envSecret, secret)
	for _, args := range [][]string{{"--help"}, {"tail", "--help"}, {"tail", "--secret", secret, "--help"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || !strings.Contains(stdout, "--secret") {
			t.Errorf("%v: exit %d, no help on stdout", args, code)
		}
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("%v: help shows the secret", args)
		}
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCLI(t, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "extend-inspect version ") {
		t.Errorf("exit %d, %q", code, stdout)
	}
}

func TestSecretFlagFallsBackToTheEnvironment(t *testing.T) {
	t.Setenv(envSecret, "wss_env")
	var s secretFlag
	if s.value() != "wss_env" {
		t.Errorf("without --secret, value %q", s.value())
	}
	s.Set("")
	if s.value() != "" {
		t.Errorf("--secret '' should turn verification off, value %q", s.value())
	}
}

func TestFlagValues(t *testing.T) {
	sizes := map[string]int64{"512MiB": 512 << 20, "1GB": 1_000_000_000, "1024": 1024, "10 MiB": 10 << 20, "64k": 64_000}
	for in, want := range sizes {
		var b byteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("size %q = %d, %v; want %d", in, b, err, want)
		}
	}
	for n, want := range map[byteSize]string{512 << 20: "512MiB", 1 << 30: "1GiB", 1_000_000_000: "1000000000", 3 << 10: "3KiB"} {
		if got := n.String(); got != want {
			t.Errorf("%d prints as %q, want %q", int64(n), got, want)
		}
	}
	durations := map[string]time.Duration{"300": 300 * time.Second, "300s": 300 * time.Second, "5m": 5 * time.Minute, "0": 0, "1.5s": 1500 * time.Millisecond}
	for in, want := range durations {
		var d tolerance
		if err := d.Set(in); err != nil || time.Duration(d) != want {
			t.Errorf("tolerance %q = %v, %v; want %v", in, time.Duration(d), err, want)
		}
	}
}
