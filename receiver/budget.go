package receiver

import (
	"context"
	"time"

	"golang.org/x/sync/semaphore"
)

// smallBody is how much of every body draws on the small share of the
// in-flight budget: Extend's deliveries are a few KB, so every one of them
// is read from the small share alone.
const smallBody = 64 << 10

// budget bounds the body bytes held by requests being read, across all
// connections. It has two shares, so that small deliveries are never queued
// behind large ones: the first smallBody bytes of each body's buffer come
// from the small share, the bytes beyond from the large share. A body holds
// only the buffer it has filled so far (see bodyReader), so senders that
// stall hold what they sent, not what they declared.
type budget struct {
	small, large *semaphore.Weighted
}

func newBudget(m Memory) *budget {
	return &budget{small: semaphore.NewWeighted(m.small), large: semaphore.NewWeighted(m.large)}
}

// hold is the part of each share a buffer of n bytes holds.
type hold struct{ small, large int64 }

func holdFor(n int64) hold {
	small := min(n, smallBody)
	return hold{small, n - small}
}

func (h hold) minus(o hold) hold { return hold{h.small - o.small, h.large - o.large} }

// take acquires h, waiting until deadline for room. The common case, room to
// spare, costs no timer. A share h needs none of is not touched: the
// semaphores are first come, first served, and even a request for nothing
// would queue behind a large body waiting for room.
func (b *budget) take(ctx context.Context, h hold, deadline time.Time) bool {
	if b.tryTake(h) {
		return true
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if !acquire(ctx, b.small, h.small) {
		return false
	}
	if !acquire(ctx, b.large, h.large) {
		release(b.small, h.small)
		return false
	}
	return true
}

func (b *budget) tryTake(h hold) bool {
	if h.small > 0 && !b.small.TryAcquire(h.small) {
		return false
	}
	if h.large > 0 && !b.large.TryAcquire(h.large) {
		release(b.small, h.small)
		return false
	}
	return true
}

func (b *budget) give(h hold) {
	release(b.small, h.small)
	release(b.large, h.large)
}

func acquire(ctx context.Context, share *semaphore.Weighted, n int64) bool {
	return n == 0 || share.Acquire(ctx, n) == nil
}

func release(share *semaphore.Weighted, n int64) {
	if n > 0 {
		share.Release(n)
	}
}
