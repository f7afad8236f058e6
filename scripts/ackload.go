//go:build ignore

// Ackload measures how long extend-inspect takes to acknowledge deliveries
// while the screen runs, against `tail` in the same run: the goal is a
// screen that costs the receiver nothing. It starts the binary (built from
// this checkout, or -bin) as the screen in a tmux session of 120×40 with
// follow on, and as `tail` with its output dropped, each on a free loopback
// port with --secret, and drives each with an open-loop sender: deliveries
// go out on schedule (-rate a second, for -duration) whether or not earlier
// ones have been answered, from up to -conns keep-alive connections. Each
// request's time from being sent to its response is its ack latency. It
// prints, for each, p50, p99, max, errors, late sends (the sender itself
// fell behind its schedule, so the figures understate), the binary's peak
// RSS (VmHWM), then the ratio of the screen's p99 to tail's.
//
// -burst instead sends -burst-rate deliveries a second of -burst-size for
// -burst-duration into the screen only, quits it, and prints how many
// events the screen never showed, from the summary line the screen prints
// on stderr when it closes.
//
// Linux only (RSS from /proc); loopback only; bounded by the durations.
//
//	go run scripts/ackload.go                      # screen and tail, 2,000/s × 16 KB × 30 s
//	go run scripts/ackload.go -burst               # screen, 10,000/s × 2.5 KB × 10 s
//	go run scripts/ackload.go -bin /tmp/ei -only screen -rate 1000 -duration 10s
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/scripts/proc"
)

const secret = "wss_ackload_7Qm2Xv9LpR4tKc8N"

func main() {
	bin := flag.String("bin", "", "the binary to measure (default: build this checkout)")
	rate := flag.Int("rate", 2000, "deliveries a second")
	size := flag.String("size", "16KB", "body size")
	duration := flag.Duration("duration", 30*time.Second, "how long to send")
	conns := flag.Int("conns", 256, "most connections open at once")
	only := flag.String("only", "", "measure only this: screen or tail (default both)")
	burst := flag.Bool("burst", false, "the burst into the screen instead: -burst-rate × -burst-size × -burst-duration")
	burstRate := flag.Int("burst-rate", 10000, "deliveries a second, with -burst")
	burstSize := flag.String("burst-size", "2.5KB", "body size, with -burst")
	burstDuration := flag.Duration("burst-duration", 10*time.Second, "how long to send, with -burst")
	extra := flag.String("flags", "", "more flags for the binary, e.g. \"--capacity 50000\"")
	env := flag.String("env", "", "environment for the binary only, e.g. \"GOMAXPROCS=4 GOGC=200\"")
	flag.Parse()

	if *bin == "" {
		*bin = build()
	}
	binFlags := strings.Fields(*extra)
	binEnv = strings.Fields(*env)
	if *burst {
		l := load{rate: *burstRate, size: parseSize(*burstSize), duration: *burstDuration, conns: *conns}
		runBurst(*bin, binFlags, l)
		return
	}
	l := load{rate: *rate, size: parseSize(*size), duration: *duration, conns: *conns}
	fmt.Printf("%d deliveries/s of %s for %s, open loop, up to %d connections; load average %s\n",
		l.rate, *size, l.duration, l.conns, proc.LoadAverage())
	var results []result
	for _, target := range []string{"screen", "tail"} {
		if *only != "" && *only != target {
			continue
		}
		r := measure(*bin, target, binFlags, l)
		fmt.Println(r)
		results = append(results, r)
	}
	if len(results) == 2 && results[1].p99 > 0 {
		fmt.Printf("screen p99 / tail p99 = %.2f; load average %s\n", float64(results[0].p99)/float64(results[1].p99), proc.LoadAverage())
	}
}

// binEnv is the -env given: the binary's environment on top of this one's.
var binEnv []string

// load is what the sender sends.
type load struct {
	rate     int
	size     int
	duration time.Duration
	conns    int
}

// measure starts target, sends the load and reports.
func measure(bin, target string, flags []string, l load) result {
	var p *process
	if target == "screen" {
		p = startScreen(bin, flags)
	} else {
		p = startTail(bin, flags)
	}
	defer p.stop()
	return p.load(target, l)
}

// runBurst sends the burst into the screen, quits it and reads what it
// says it missed.
func runBurst(bin string, flags []string, l load) {
	fmt.Printf("burst: %d deliveries/s of %s for %s into the screen; load average %s\n",
		l.rate, humanize.Bytes(uint64(l.size)), l.duration, proc.LoadAverage())
	p := startScreen(bin, flags)
	fmt.Println(p.load("screen", l))
	time.Sleep(time.Second) // the screen takes what is left
	summary := p.stop()
	fmt.Printf("screen at exit: %s; load average %s\n", summary, proc.LoadAverage())
}

// load sends l to p and reports, with what it cost p and the sender.
func (p *process) load(name string, l load) result {
	cpu, own := proc.CPUTime(p.pid), proc.CPUTime(os.Getpid())
	r := send(p.url, l)
	r.name = name
	r.rss = proc.MustStatus(p.pid, "VmHWM")
	r.cpu = proc.CPUTime(p.pid) - cpu
	r.senderCPU = proc.CPUTime(os.Getpid()) - own
	return r
}

// process is the binary under load.
type process struct {
	url  string
	pid  int
	stop func() (summary string)
}

// startScreen runs the screen in a tmux session of its own at 120×40 and
// waits until it shows its empty state. Its stderr goes to a file, read
// after it quits for the summary line.
func startScreen(bin string, flags []string) *process {
	dir, err := os.MkdirTemp("", "ackload")
	check(err)
	addr := freeAddr()
	socket := fmt.Sprintf("ackload-%d", os.Getpid())
	stderr := filepath.Join(dir, "stderr")
	command := fmt.Sprintf("exec env %s %s --listen %s --secret %s %s 2>%s",
		strings.Join(binEnv, " "), bin, addr, secret, strings.Join(flags, " "), stderr)
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		if err != nil {
			log.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	tmux("-f", "/dev/null", "new-session", "-d", "-s", "ackload", "-x", "120", "-y", "40", command)
	pid, err := strconv.Atoi(tmux("display", "-p", "-t", "ackload", "#{pane_pid}"))
	check(err)
	waitFor(func() bool {
		return strings.Contains(tmux("capture-pane", "-p", "-t", "ackload"), "Waiting for webhooks on http://"+addr)
	},
		"the screen's empty state")
	stop := func() string {
		tmux("send-keys", "-t", "ackload", "q")
		waitFor(func() bool { return !alive(pid) }, "the screen to quit")
		exec.Command("tmux", "-L", socket, "kill-server").Run()
		b, _ := os.ReadFile(stderr)
		os.RemoveAll(dir)
		return strings.TrimSpace(string(b))
	}
	return &process{url: "http://" + addr + "/webhook", pid: pid, stop: stop}
}

// startTail runs `tail` with its output dropped and returns once it says
// it is listening.
func startTail(bin string, flags []string) *process {
	cmd := exec.Command(bin, append([]string{"tail", "--listen", "127.0.0.1:0", "--secret", secret}, flags...)...)
	cmd.Env = append(os.Environ(), binEnv...)
	cmd.Stdout = nil // /dev/null
	stderr, err := cmd.StderrPipe()
	check(err)
	check(cmd.Start())
	r := bufio.NewReader(stderr)
	line, err := r.ReadString('\n')
	check(err)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		log.Fatalf("unexpected first line %q", line)
	}
	var rest bytes.Buffer
	copied := make(chan struct{})
	go func() { io.Copy(&rest, r); close(copied) }()
	stop := func() string {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		<-copied
		return strings.TrimSpace(rest.String())
	}
	return &process{url: url + "/webhook", pid: cmd.Process.Pid, stop: stop}
}

// result is what one run measured.
type result struct {
	name           string
	sent, errors   int
	late           int // sent more than a millisecond after their time
	p50, p99, peak time.Duration
	elapsed        time.Duration // from the first send to the last answer
	cpu            time.Duration // the binary's CPU time meanwhile
	senderCPU      time.Duration // this program's, sending
	rss            int64
}

func (r result) String() string {
	return fmt.Sprintf("%-6s %d sent in %.1f s (%.0f/s): ack p50 %s, p99 %s, max %s; %d errors, %d sent late; CPU %.1f s (sender %.1f s); RSS peak %d MiB",
		r.name, r.sent, r.elapsed.Seconds(), float64(r.sent)/r.elapsed.Seconds(), ms(r.p50), ms(r.p99), ms(r.peak),
		r.errors, r.late, r.cpu.Seconds(), r.senderCPU.Seconds(), r.rss>>20)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// send delivers l open loop: delivery n is due at n/rate after the start,
// and the next free worker sends it then, whether or not earlier ones have
// been answered; only when every connection is busy does a send start late
// (counted). Each worker owns one keep-alive connection, opened before the
// clock starts, and writes its requests itself over it: Go's HTTP client
// hands each request between goroutines, and on two processors the
// sender's own scheduling would show up in the figures it reports.
func send(url string, l load) result {
	template := newBody(l.size)
	run := time.Now().UnixNano()
	total := int(l.duration.Seconds() * float64(l.rate))
	latencies := make([]time.Duration, total)
	workers := make([]*worker, l.conns)
	for i := range workers {
		workers[i] = dialWorker(url, template)
		defer func() { workers[i].conn.Close() }()
		workers[i].post(template.with(run, 0)) // warm up the connection
	}
	var next, errors, late atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for _, w := range workers {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < total; n = int(next.Add(1) - 1) {
				at := start.Add(time.Duration(n) * time.Second / time.Duration(l.rate))
				time.Sleep(time.Until(at))
				body := template.into(w.body, run, n+1)
				if time.Since(at) > time.Millisecond {
					late.Add(1)
				}
				lat, ok := w.post(body)
				latencies[n] = lat
				if !ok {
					errors.Add(1)
					latencies[n] = -1 // a failed send: left out of the quantiles
					w.redial()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	latencies = latencies[int(errors.Load()):]
	return result{sent: total, errors: int(errors.Load()), late: int(late.Load()), elapsed: elapsed,
		p50: quantile(latencies, 0.50), p99: quantile(latencies, 0.99), peak: quantile(latencies, 1)}
}

// worker sends deliveries one at a time over its own connection.
type worker struct {
	conn   net.Conn
	reader *bufio.Reader
	path   string
	host   string
	head   []byte // the request's headers, rebuilt per send
	body   []byte // this worker's copy of the body, rewritten per send
}

func dialWorker(rawURL string, template *body) *worker {
	u, err := neturl.Parse(rawURL)
	check(err)
	w := &worker{path: u.Path, host: u.Host, body: bytes.Clone(template.bytes)}
	w.redial()
	return w
}

// redial opens the worker's connection anew, after an error or an answer
// that closed it.
func (w *worker) redial() {
	if w.conn != nil {
		w.conn.Close()
	}
	conn, err := net.Dial("tcp", w.host)
	check(err)
	w.conn, w.reader = conn, bufio.NewReaderSize(conn, 4096)
}

// post sends one signed delivery and returns the time from writing it to
// reading the whole response.
func (w *worker) post(body []byte) (time.Duration, bool) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	w.head = fmt.Appendf(w.head[:0], "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\n%s: %s\r\n%s: %s\r\n\r\n",
		w.path, w.host, len(body), extend.HeaderTimestamp, ts, extend.HeaderSignature, extend.Sign(secret, ts, body))
	began := time.Now()
	w.conn.SetDeadline(began.Add(30 * time.Second))
	request := net.Buffers{w.head, body}
	if _, err := request.WriteTo(w.conn); err != nil {
		return time.Since(began), false
	}
	resp, err := http.ReadResponse(w.reader, nil)
	if err != nil {
		return time.Since(began), false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(began)
	if resp.Close {
		w.redial()
	}
	return took, err == nil && resp.StatusCode == http.StatusOK
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// body is an extract-run delivery of a given size whose ids are rewritten
// per delivery: distinct bodies (as the search index sees them) without
// building each from scratch.
type body struct {
	bytes []byte
	slots []int // where the 12-digit id goes
}

const idSlot = "000000000000"

func newBody(size int) *body {
	var b strings.Builder
	fmt.Fprintf(&b, `{"eventId":"evt_%s","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_%s","status":"PROCESSED","output":{"value":{`, idSlot, idSlot)
	const tail = `"end":null}}}}`
	for i := 0; b.Len()+len(tail) < size-120; i++ {
		fmt.Fprintf(&b, `"line_item_%d":{"description":"Invoice line %d for order ord_%s\nnet 30","amount":%d.%02d,"confidence":0.9%d},`,
			i, i, idSlot, 100+i*7, i%100, i%10)
	}
	b.WriteString(tail)
	out := &body{bytes: []byte(b.String())}
	for i := 0; ; {
		j := bytes.Index(out.bytes[i:], []byte(idSlot))
		if j < 0 {
			break
		}
		out.slots = append(out.slots, i+j)
		i += j + len(idSlot)
	}
	return out
}

// with returns a copy whose ids are delivery n of this run.
func (b *body) with(run int64, n int) []byte {
	return b.into(bytes.Clone(b.bytes), run, n)
}

// into rewrites out, a copy of the body, with the ids of delivery n of this run.
func (b *body) into(out []byte, run int64, n int) []byte {
	var buf [12]byte
	id := fmt.Appendf(buf[:0], "%06d%06d", run/1e3%1e6, n%1e6)
	for _, at := range b.slots {
		copy(out[at:], id)
	}
	return out
}

func build() string {
	dir, err := os.MkdirTemp("", "ackload-bin")
	check(err)
	bin := filepath.Join(dir, "extend-inspect")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	check(cmd.Run())
	return bin
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(done func() bool, what string) {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if done() {
			return
		}
	}
	log.Fatalf("gave up waiting for %s", what)
}

func alive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return err == nil
}

func parseSize(s string) int {
	n, err := humanize.ParseBytes(s)
	check(err)
	return int(n)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
