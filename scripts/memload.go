//go:build ignore

// Memload measures how much memory extend-inspect takes under a sustained
// load of deliveries, against its --max-memory. It starts the binary's
// `tail` (or the -cmd given) on a free loopback port (its output is read
// and dropped), sends
// -n deliveries of -size bytes from -c keep-alive connections, samples the
// process's resident set size from /proc as it goes, and prints the peak
// beside the target of 1.5 × --max-memory + 100 MiB. Linux only; loopback
// only; bounded by -n and -timeout.
//
//	go build -o /tmp/extend-inspect . && go run scripts/memload.go -bin /tmp/extend-inspect -max-memory 256MiB -size 16KB -n 60000
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/extend-inspect/extend-inspect/scripts/proc"
)

func main() {
	bin := flag.String("bin", "extend-inspect", "the binary to measure")
	command := flag.String("cmd", "tail", "the command to run, with its own flags")
	maxMemory := flag.String("max-memory", "256MiB", "--max-memory to run it with")
	size := flag.String("size", "16KB", "body size")
	n := flag.Int("n", 20000, "deliveries to send")
	conns := flag.Int("c", 8, "concurrent connections")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	limit, err := humanize.ParseBytes(*maxMemory)
	check(err)
	bodySize, err := humanize.ParseBytes(*size)
	check(err)

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd, url := start(ctx, *bin, strings.Fields(*command), *maxMemory)
	var peak atomic.Int64
	stopSampling := sample(cmd.Process.Pid, &peak)
	began := time.Now()
	sent, failed := send(ctx, url, *n, *conns, int(bodySize))
	elapsed := time.Since(began)
	stopSampling()
	hwm := proc.MustStatus(cmd.Process.Pid, "VmHWM")
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()

	target := int64(limit)*3/2 + 100<<20
	fmt.Printf("%s --max-memory %s, %d bodies of %s (%d failed) in %.1f s: peak RSS %s (VmHWM %s) = %.2f × --max-memory; target %s: %s\n",
		*command, *maxMemory, sent, *size, failed, elapsed.Seconds(), mib(peak.Load()), mib(hwm), float64(hwm)/float64(limit), mib(target), verdict(hwm <= target))
}

// start runs the command on a free loopback port and returns its address
// once it says it is listening.
func start(ctx context.Context, bin string, command []string, maxMemory string) (*exec.Cmd, string) {
	cmd := exec.CommandContext(ctx, bin, append(command, "--listen", "127.0.0.1:0", "--max-memory", maxMemory)...)
	stdout, err := cmd.StdoutPipe()
	check(err)
	stderr, err := cmd.StderrPipe()
	check(err)
	check(cmd.Start())
	go io.Copy(io.Discard, stdout)
	line, err := bufio.NewReader(stderr).ReadString('\n')
	check(err)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		log.Fatalf("unexpected first line %q", line)
	}
	go io.Copy(io.Discard, stderr)
	return cmd, url
}

// send posts n deliveries, each with its own eventId, from conns workers.
func send(ctx context.Context, url string, n, conns, size int) (sent, failed int64) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	var next, ok, bad atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n) && ctx.Err() == nil; i = next.Add(1) {
				if post(ctx, client, url, body(i, size)) {
					ok.Add(1)
				} else {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return ok.Load(), bad.Load()
}

func post(ctx context.Context, client *http.Client, url string, body []byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	check(err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// body is an extract-run delivery padded to size bytes.
func body(id int64, size int) []byte {
	head := fmt.Sprintf(`{"eventId":"evt_%012d","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_%012d","status":"PROCESSED","output":"`, id, id)
	const tail = `"}}`
	pad := max(size-len(head)-len(tail), 0)
	return []byte(head + strings.Repeat("x", pad) + tail)
}

// sample records the peak resident set size every 20 ms until stopped.
func sample(pid int, peak *atomic.Int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			rss, err := proc.Status(pid, "VmRSS")
			if err != nil {
				return // it has exited: the final VmHWM read says so
			}
			if rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

func verdict(ok bool) string {
	if ok {
		return "within"
	}
	return "OVER"
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
