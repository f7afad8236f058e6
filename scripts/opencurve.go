//go:build ignore

// Opencurve times `open` on recorded sessions of growing size: for each
// -n it writes a JSONL session of that many distinct deliveries (samples of
// every current event type, about 2.5 KB each, with fresh ids and values)
// into a temporary directory, runs the binary's `open FILE` in a tmux
// window of 120×40, and prints the time to the first screen (the list
// shows rows), the time until the session is fully loaded (the header's
// `loading …` progress is gone), and the process's resident set after the
// load (VmRSS, and its peak VmHWM, from /proc; RssAnon is the part that is
// the program's own memory, RssFile the pages of the mapped session file,
// which the kernel may drop and read again at will). Each session file is
// deleted once measured. Linux and tmux only; it runs its own tmux server.
//
//	go build -o /tmp/extend-inspect . && go run scripts/opencurve.go -bin /tmp/extend-inspect -n 1k,10k,100k
//
// A million events make a file of about 3.7 GB; -dir puts it on a disk with
// room for it.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/scripts/proc"
	"github.com/extend-inspect/extend-inspect/store"
)

func main() {
	bin := flag.String("bin", "extend-inspect", "the binary to measure")
	sizes := flag.String("n", "1k,10k,100k", "comma-separated session sizes (1k, 10k, 100k, 1M, or plain numbers)")
	dir := flag.String("dir", "", "where to write the session files (default: a new temporary directory)")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up on one size after this long")
	extra := flag.String("flags", "", "more flags for open, e.g. \"--max-memory 2GiB\"")
	flag.Parse()
	if *dir == "" {
		d, err := os.MkdirTemp("", "opencurve-")
		check(err)
		defer os.RemoveAll(d)
		*dir = d
	}
	fmt.Printf("%-9s %9s %12s %12s %10s %10s %10s %10s\n", "events", "file", "first", "loaded", "VmRSS", "VmHWM", "RssAnon", "RssFile")
	for _, word := range strings.Split(*sizes, ",") {
		n, err := parseCount(strings.TrimSpace(word))
		check(err)
		path := filepath.Join(*dir, fmt.Sprintf("session-%d.jsonl", n))
		size := writeSession(path, n)
		r := measure(*bin, path, strings.Fields(*extra), *timeout)
		os.Remove(path)
		fmt.Printf("%-9d %9s %12s %12s %10s %10s %10s %10s\n", n, humanize.Bytes(uint64(size)),
			r.first.Round(time.Millisecond), r.loaded.Round(time.Millisecond),
			humanize.IBytes(uint64(r.rss)), humanize.IBytes(uint64(r.hwm)), humanize.IBytes(uint64(r.anon)), humanize.IBytes(uint64(r.file)))
	}
	fmt.Printf("load average: %s\n", proc.LoadAverage())
}

// parseCount reads 1k, 100k, 1M or a plain number.
func parseCount(word string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(word, "k"):
		mult, word = 1_000, strings.TrimSuffix(word, "k")
	case strings.HasSuffix(word, "M"):
		mult, word = 1_000_000, strings.TrimSuffix(word, "M")
	}
	n, err := strconv.Atoi(word)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("-n: %q is not a count of events", word)
	}
	return n * mult, nil
}

// samplePool is how many sample bodies are built; event i takes body
// i % samplePool with an eventId of its own. Building a sample costs about
// 0.2 ms, too slow for a million.
const samplePool = 20_000

// writeSession writes n distinct deliveries as `--record` would, and
// returns the file's size.
func writeSession(path string, n int) int64 {
	f, err := os.Create(path)
	check(err)
	w := bufio.NewWriterSize(f, 1<<20)
	types := extend.TypesIn(extend.V20260209)
	rng := rand.New(rand.NewPCG(uint64(n), 14))
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	pool := make([][]byte, min(n, samplePool))
	for i := range pool {
		body, err := sample.Build(types[i%len(types)].Name, sample.Options{Now: at, Rand: rng})
		check(err)
		pool[i] = body
	}
	for i := range n {
		at = at.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
		body := pool[i%len(pool)]
		if i >= len(pool) {
			id := extend.ParseEnvelope(body).EventID
			body = bytes.Replace(body, []byte(id), fmt.Appendf(nil, "%s%0*d", id[:len(id)-8], 8, i), 1)
		}
		ts := strconv.FormatInt(at.Unix(), 10)
		ev := &store.Event{
			Seq: uint64(i + 1), Attempt: 1, ReceivedAt: at, Method: "POST", Path: "/webhook",
			Query: "api_version=2026-02-09", RemoteAddr: "127.0.0.1:50412", Status: 200,
			Verification: extend.Check{Outcome: extend.Verified},
		}
		ev.SetHeaders([]store.Header{
			{Name: "Content-Type", Value: "application/json"},
			{Name: "User-Agent", Value: "Extend-Webhooks/1.0"},
			{Name: extend.HeaderTimestamp, Value: ts},
			{Name: extend.HeaderSignature, Value: extend.Sign("wss_opencurve", ts, body)},
		})
		ev.SetBody(body)
		ev.Classify()
		line, err := ev.MarshalLine()
		check(err)
		_, err = w.Write(line)
		check(err)
	}
	check(w.Flush())
	info, err := f.Stat()
	check(err)
	check(f.Close())
	return info.Size()
}

type result struct {
	first, loaded time.Duration
	rss, hwm      int64 // bytes
	anon, file    int64 // bytes of rss
}

var (
	// row is a line of the list: the time received, the signature mark, the
	// event type.
	row = regexp.MustCompile(`\d\d:\d\d:\d\d\s.*?[a-z_]+\.[a-z_]+`)
	// loading is the header's progress while the session loads.
	loading = regexp.MustCompile(`loading \d+%`)
)

// measure runs `open path` in a tmux window of its own server and watches
// the screen until the session is loaded.
func measure(bin, path string, extra []string, timeout time.Duration) result {
	socket := fmt.Sprintf("opencurve-%d", os.Getpid())
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		if err != nil {
			log.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	defer exec.Command("tmux", "-L", socket, "kill-server").Run()
	command := "exec " + shellQuote(bin) + " open " + shellQuote(path)
	for _, f := range extra {
		command += " " + shellQuote(f)
	}
	start := time.Now()
	tmux("-f", "/dev/null", "new-session", "-d", "-s", "open", "-x", "120", "-y", "40", "sh", "-c", command)
	pid, err := strconv.Atoi(strings.TrimSpace(tmux("display", "-p", "-t", "open", "#{pane_pid}")))
	check(err)
	var r result
	for deadline := start.Add(timeout); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		screen := tmux("capture-pane", "-p", "-t", "open")
		now := time.Since(start)
		if r.first == 0 && row.MatchString(screen) {
			r.first = now
		}
		if r.first != 0 && !loading.MatchString(screen) {
			r.loaded = now
			r.rss, r.hwm = proc.MustStatus(pid, "VmRSS"), proc.MustStatus(pid, "VmHWM")
			r.anon, r.file = proc.MustStatus(pid, "RssAnon"), proc.MustStatus(pid, "RssFile")
			return r
		}
	}
	screen := tmux("capture-pane", "-p", "-t", "open")
	exec.Command("tmux", "-L", socket, "kill-server").Run() // log.Fatal runs no deferred calls
	os.Remove(path)
	log.Fatalf("%s: not loaded after %v; the screen:\n%s", path, timeout, screen)
	return r
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
