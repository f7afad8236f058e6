package receiver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// healthPath answers GET with the receiver's status; a POST to it is a
// delivery like any other.
const healthPath = "/healthz"

// Health is what GET /healthz answers.
type Health struct {
	Status        string  `json:"status"`
	Address       string  `json:"address"`
	UptimeSeconds float64 `json:"uptimeSeconds"`
	Verifying     bool    `json:"verifying"` // a signing secret is configured
	Received      uint64  `json:"received"`  // deliveries handled, rejected ones included
	Rejected      uint64  `json:"rejected"`
	Reading       int64   `json:"reading"`          // bodies being read now
	Stored        *int    `json:"stored,omitempty"` // in the store now, when the sink tells
	Evicted       *uint64 `json:"evicted,omitempty"`
}

// Health reports the receiver's status.
func (s *Server) Health() Health {
	h := Health{
		Status:        "ok",
		Address:       s.addr,
		UptimeSeconds: time.Since(s.started).Round(time.Millisecond).Seconds(),
		Verifying:     s.cfg.Secret != "",
		Received:      s.received.Load(),
		Rejected:      s.rejected.Load(),
		Reading:       s.reading.Load(),
	}
	if st, ok := s.sink.(statser); ok {
		stats := st.Stats()
		h.Stored, h.Evicted = &stats.Stored, &stats.Evicted
	}
	return h
}

func (s *Server) health(w http.ResponseWriter) {
	body, err := json.Marshal(s.Health())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, append(body, '\n'))
}

// refuseMethod answers 405, saying which methods the path takes.
func (s *Server) refuseMethod(w http.ResponseWriter, r *http.Request) {
	allow := http.MethodPost
	if r.URL.Path == healthPath {
		allow = "GET, HEAD, POST"
	}
	w.Header().Set("Allow", allow)
	msg := fmt.Sprintf("method %s not allowed: send deliveries with POST; GET %s reports status", r.Method, healthPath)
	writeJSON(w, http.StatusMethodNotAllowed, errorBody(msg))
}
