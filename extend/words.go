package extend

// words are the strings the envelope's fields take over and over: the
// catalogue's event types and objects, the run kinds, and the statuses
// and step types Extend sends. decodeString returns the one copy here
// instead of a fresh one, so a stored event's type, object and status cost
// no memory of their own: with a session's thousands of events that is
// about 45 bytes each (BenchmarkSessionMemoryPerEvent, ui).
var words = func() map[string]string {
	w := map[string]string{}
	add := func(s string) { w[s] = s }
	for _, t := range catalogue {
		add(t.Name)
		add(t.Object)
		add(kindOf(t))
	}
	for _, s := range StepTypes {
		add(s)
	}
	for _, s := range []string{
		"PENDING", "PROCESSING", "PROCESSED", "FAILED", "CANCELLED", "NEEDS_REVIEW", "REJECTED",
		"workflow_step_run", "file",
	} {
		add(s)
	}
	return w
}()

// StepTypes are the steps of a workflow run (a step run's stepType), as
// the 2026-02-09 API has them; before it, only the two validation steps,
// the last two, had step runs of their own.
var StepTypes = []string{"PARSE", "EXTRACT", "CLASSIFY", "SPLIT", "MERGE_EXTRACT", "CONDITIONAL_EXTRACT",
	"RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION"}

// longestWord bounds the strings looked up in words: an id or a message
// is longer, and is not looked for.
var longestWord = func() int {
	n := 0
	for w := range words {
		n = max(n, len(w))
	}
	return n
}()

// word returns the copy in words of raw, a string's bytes without escapes.
func word(raw []byte) (string, bool) {
	if len(raw) > longestWord {
		return "", false
	}
	w, ok := words[string(raw)]
	return w, ok
}
