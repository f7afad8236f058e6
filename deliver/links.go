package deliver

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
)

// LinkServer is a small download server on loopback that stands in for
// Extend's storage: the demo and send --serve-signed put each payload they
// send as a signed link behind it (Stash), so fetching the link works with
// nothing from Extend. Links carry S3-style X-Amz-Date and X-Amz-Expires
// and stop working after extend.SignedURLLifetime, answering 403 as
// storage does.
type LinkServer struct {
	mu       sync.Mutex
	payloads map[string]stashed
	order    []string // oldest first, for eviction
	base     string   // http://127.0.0.1:PORT
	srv      *http.Server
	Now      func() time.Time // nil means time.Now; tests move the clock
}

type stashed struct {
	body    []byte
	expires time.Time
}

// maxStashed bounds the payloads kept: send --count can stash many, and the
// oldest link is long expired by the time the limit is reached.
const maxStashed = 1000

// NewLinkServer makes a LinkServer; it serves once Listen has run, and
// Stash gives working links from then on.
func NewLinkServer() *LinkServer {
	s := &LinkServer{payloads: map[string]stashed{}}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	return s
}

// ListenLinks starts a LinkServer on addr (see Listen).
func ListenLinks(addr string) (*LinkServer, error) {
	s := NewLinkServer()
	return s, s.Listen(addr)
}

// Listen starts serving on addr, a loopback HOST:PORT (port 0 takes a free
// one): the links are for this machine only.
func (s *LinkServer) Listen(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !isLoopback(host) {
		return fmt.Errorf("the download server listens on loopback only, not %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("download server: %w", err)
	}
	s.mu.Lock()
	s.base = "http://" + ln.Addr().String()
	s.mu.Unlock()
	go s.srv.Serve(ln)
	return nil
}

// URL is the server's base URL; "" before Listen.
func (s *LinkServer) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// Close stops the server.
func (s *LinkServer) Close() error { return s.srv.Close() }

func (s *LinkServer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Stash keeps payload and returns the signed link that serves it; it is
// what sample.Options.LinkTo wants.
func (s *LinkServer) Stash(payload []byte) string {
	b := make([]byte, 12)
	rand.Read(b)
	token := hex.EncodeToString(b)
	signed := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	base := s.base
	if len(s.order) >= maxStashed {
		delete(s.payloads, s.order[0])
		s.order = s.order[1:]
	}
	s.payloads[token] = stashed{body: payload, expires: signed.Add(extend.SignedURLLifetime)}
	s.order = append(s.order, token)
	return fmt.Sprintf("%s/payloads/%s.json?X-Amz-Date=%s&X-Amz-Expires=%d&X-Amz-Signature=%s",
		base, token, signed.Format("20060102T150405Z"), int(extend.SignedURLLifetime/time.Second), token[:16])
}

// ServeHTTP answers GET /payloads/TOKEN.json as storage would: the JSON,
// 403 once expired or when the signature is wrong, 404 when unknown.
func (s *LinkServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	token, ok := strings.CutPrefix(r.URL.Path, "/payloads/")
	token, _ = strings.CutSuffix(token, ".json")
	s.mu.Lock()
	p, known := s.payloads[token]
	s.mu.Unlock()
	switch {
	case !ok || !known:
		http.Error(w, "no such payload", http.StatusNotFound)
	case r.URL.Query().Get("X-Amz-Signature") != token[:min(16, len(token))]:
		http.Error(w, "signature does not match", http.StatusForbidden)
	case !s.now().Before(p.expires):
		http.Error(w, "request has expired", http.StatusForbidden)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(p.body)))
		w.Write(p.body)
	}
}
