package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// A --capacity the store could never fill is a usage error, where it once
// exhausted memory allocating the ring before anything started.
func TestUsageErrorForACapacityThatCannotBeHonoured(t *testing.T) {
	for _, n := range []string{"1000001", "999999999999", "99999999999999999999999"} {
		code, stdout, stderr := runCLI(t, "tail", "--capacity", n)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `"--capacity" flag: must be at most 1000000`) {
			t.Errorf("--capacity %s: exit %d, stderr %q", n, code, stderr)
		}
	}
	var c count
	if err := c.Set("1000000"); err != nil || c != maxCapacity {
		t.Errorf("the ceiling itself: %d, %v", c, err)
	}
}

// --max-memory sets the Go runtime's soft memory limit, unless GOMEMLIMIT
// already does.
func TestFlagMaxMemorySetsTheSoftMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	opts := defaultOptions()
	opts.maxMemory = 256 << 20
	newStore(opts)
	if got, want := debug.SetMemoryLimit(-1), int64(256+64+64)<<20; got != want {
		t.Errorf("soft limit %d, want %d", got, want)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	newStore(opts)
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("with GOMEMLIMIT set, soft limit %d, want it untouched", got)
	}
}

// --low-confidence is a confidence: above 0, at most 1.
func TestUsageErrorForALowConfidenceOutsideZeroToOne(t *testing.T) {
	for _, args := range [][]string{{"--low-confidence", "0"}, {"--low-confidence", "1.5"}, {"open", "x.jsonl", "--low-confidence", "-1"}} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, "--low-confidence") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
