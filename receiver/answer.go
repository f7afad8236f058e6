package receiver

import "github.com/extend-inspect/extend-inspect/respond"

// Respond is what the receiver answers now.
func (s *Server) Respond() respond.Mode { return *s.respond.Load() }

// SetRespond changes what the receiver answers from the next delivery on.
func (s *Server) SetRespond(m respond.Mode) { s.respond.Store(&m) }

// CycleRespond steps to the next answer of the screen's cycle (see
// respond.Mode.Next) and returns it.
func (s *Server) CycleRespond() respond.Mode {
	for {
		old := s.respond.Load()
		next := old.Next(s.cfg.Respond)
		if s.respond.CompareAndSwap(old, &next) {
			return next
		}
	}
}
