package receiver

// Memory is how the receiver bounds the memory of bodies: the largest body
// it accepts and the in-flight budget for bodies being read. From
// SplitMemory it also says what is left for the deliveries kept.
type Memory struct {
	// Largest is the largest body accepted; a larger one is refused with
	// 413.
	Largest int64
	// Kept is the store's byte bound: what `--max-memory` leaves once the
	// in-flight budget is taken. Zero when the receiver has no memory limit.
	Kept int64

	small, large int64 // the in-flight budget's shares (see budget)
}

// Reading is the in-flight budget: the most body bytes held by requests
// being read at once.
func (m Memory) Reading() int64 { return m.small + m.large }

// inFlight divides an in-flight budget of total bytes between its shares: a
// quarter for the first smallBody bytes of each body, the rest for the bytes
// beyond, raised to hold one body of largest bytes.
func inFlight(total, largest int64) Memory {
	small := total / 4
	return Memory{Largest: largest, small: small, large: max(total-small, largest)}
}

// SplitMemory divides `--max-memory` between the bodies being read (a
// quarter of it, at most DefaultInFlightBytes) and the deliveries kept (the
// rest), so that the two together stay within it. Reading a body holds it in
// the in-flight budget and storing it moves the same bytes to the store, so
// a body must fit in both: the largest one accepted is maxBody, or about
// half of maxMemory when that is less.
func SplitMemory(maxMemory, maxBody int64) Memory {
	total := min(DefaultInFlightBytes, maxMemory/4)
	small := inFlight(total, 0).small
	m := inFlight(total, min(maxBody, (maxMemory-small)/2))
	m.Kept = maxMemory - m.Reading()
	return m
}
