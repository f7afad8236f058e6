package ui

import "time"

// Every tuning constant of the screen, in one place.
const (
	// coalesceWindow is how long the feed waits after the store signals a
	// change before it reads everything new: a burst of deliveries becomes
	// one update per window instead of one per delivery (at 50 ms, at most
	// 20 updates a second however fast deliveries come).
	coalesceWindow = 50 * time.Millisecond
	// followPaneInterval is the shortest time between two moves of the
	// payload pane to the newest delivery while following a stream: four
	// a second is more than anyone reads, and each move formats and
	// highlights a payload (some 15 ms of a processor for 16 KB).
	followPaneInterval = 250 * time.Millisecond
	// yieldBytes is how much body the feed indexes between yields to other
	// goroutines: at about 1 GB/s, 64 KB is some 60 µs.
	yieldBytes = 64 << 10

	// rateWindow is the span the header's events-per-second figure averages.
	rateWindow = 5 * time.Second
	// tickInterval refreshes the rate while nothing arrives.
	tickInterval = time.Second

	// textCacheSize is how many recent text-filter results are kept, so that
	// backspace and retyping do not rescan every event.
	textCacheSize = 32
	// asyncSearchMin is the number of candidate events above which a text
	// search runs in commands instead of in Update: the keystroke's frame
	// stays fast, and the result follows a few milliseconds later. At 4,096
	// a search in Update scans at most about 10 MB of bodies (a query whose
	// grams all occur), a few milliseconds.
	asyncSearchMin = 4096
	// firstSearchSlice is the number of candidates, newest first, that the
	// first command of a search looks at: small, so that the newest matches
	// are on screen within milliseconds of the key whatever the query.
	// Each later slice is four times the one before, up to maxSearchSlice,
	// so a million events take a dozen messages, each a short Update.
	firstSearchSlice = 1024
	maxSearchSlice   = 262_144
	// parallelSearchMin is the number of events per worker above which a
	// slice of a text search is split across processors.
	parallelSearchMin = 8192
	// stopCheckEvery is how many events a search worker looks at between
	// checks that its search is still wanted.
	stopCheckEvery = 512

	// firstChunkLines and firstChunkBytes bound the first piece of a payload
	// that is formatted and highlighted: enough for a screen, small enough to
	// take a few milliseconds whatever the payload's size. The rest follows
	// in chunkLines/chunkBytes pieces in the background.
	firstChunkLines = 200
	firstChunkBytes = 64 << 10
	chunkLines      = 2000
	chunkBytes      = 512 << 10
	// wrapAhead is how many rows of a long line are broken at a time: when
	// it is printed, and beyond the last row on screen as it is scrolled.
	// A few screens, some 40 KB of text at 160 columns: a 5 MB string's
	// first screen does not wait for its 30,000 other rows to be broken.
	wrapAhead = 256

	// docCacheSize and docCacheRows bound the rendered documents kept for
	// events recently shown.
	docCacheSize = 16
	docCacheRows = 400_000

	// sideBySideWidth is the narrowest screen that shows the list and the
	// payload side by side; narrower ones stack them.
	sideBySideWidth = 110
	// listShare is the list's share of the width (side by side) or of the
	// height (stacked), in percent.
	listSharePercent = 48

	// wheelLines is how far one notch of the mouse wheel scrolls the payload.
	wheelLines = 3
)
