package ui

import "time"

// rateMeter counts deliveries over the last rateWindow for the header's
// events-per-second figure.
type rateMeter struct {
	marks []rateMark
}

type rateMark struct {
	at time.Time
	n  int
}

func (r *rateMeter) add(at time.Time, n int) {
	if n > 0 {
		r.marks = append(r.marks, rateMark{at, n})
	}
	r.expire(at)
}

func (r *rateMeter) expire(now time.Time) {
	i := 0
	for i < len(r.marks) && now.Sub(r.marks[i].at) >= rateWindow {
		i++
	}
	r.marks = r.marks[i:]
}

// perSecond is the average over the window ending at now.
func (r *rateMeter) perSecond(now time.Time) float64 {
	total := 0
	for _, m := range r.marks {
		if now.Sub(m.at) < rateWindow {
			total += m.n
		}
	}
	return float64(total) / rateWindow.Seconds()
}
