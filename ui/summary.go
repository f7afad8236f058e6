package ui

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/ui/sanitize"
)

// headersView draws the Headers view, as the lines of a line document: the
// request line, where it came from, and every header as received, a long
// value wrapped under where it starts; or why the headers cannot be shown
// (those of a session whose file changed after it was loaded).
func headersView(ev *store.Event, s *lineSink, kit *renderKit) chunk {
	k := &kit.inks
	s.writeInk(ev.Method+" ", &k.Key)
	s.markValue()
	s.writeInk(ev.URI(), &k.Text)
	s.endLine()
	s.writeInk(joinParts(provenance(ev), arrivalVerb(ev)+" "+ev.ReceivedAt.In(kit.loc).Format("2006-01-02 15:04:05.000"),
		answerText(ev), sizeText(ev.Size())), &k.Dim)
	s.endLine()
	s.endLine()
	headers, err := ev.Headers()
	switch {
	case err != nil:
		s.writeInk("The headers cannot be shown: "+err.Error(), &k.Warning)
		s.endLine()
	case len(headers) == 0:
		s.writeInk("(no headers)", &k.Dim)
		s.endLine()
	}
	for _, h := range headers {
		s.writeInk(h.Name, &k.Label)
		s.writeInk(": ", &k.Dim)
		s.markValue()
		s.writeInk(h.Value, &k.Text)
		s.endLine()
	}
	return chunk{lines: s.take()}
}

// provenance says how an event came to be stored: "from ADDR" for a
// delivery, "replayed to URL" for a replay this screen sent.
func provenance(ev *store.Event) string {
	switch f := ev.Forward(); {
	case ev.ReplayOf() != 0 && f != nil && f.URL != "":
		return "replayed to " + f.URL
	case ev.ReplayOf() != 0:
		return fmt.Sprintf("a replay of #%d", ev.ReplayOf())
	case ev.RemoteAddr != "":
		return "from " + ev.RemoteAddr
	}
	return ""
}

// arrivalVerb is what the event's time is the time of.
func arrivalVerb(ev *store.Event) string {
	if ev.ReplayOf() != 0 {
		return "sent"
	}
	return "received"
}

// answerText is the receiver's answer, "answered 200"; a replay was never
// answered by the receiver (the app's answer is in its Response view).
func answerText(ev *store.Event) string {
	if ev.ReplayOf() != 0 || ev.Status == 0 {
		return ""
	}
	return fmt.Sprintf("answered %d", ev.Status)
}

// joinParts joins the parts that are not empty with " · ".
func joinParts(parts ...string) string {
	parts = slices.DeleteFunc(parts, func(p string) bool { return strings.TrimSpace(p) == "" })
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, " · ")
}

// summaryPayload holds the payload fields the Summary view shows beyond the
// envelope's. The envelope scanner reads only what every row needs; this
// decode runs in the Summary's command, off the update loop, once per event.
type summaryPayload struct {
	Payload struct {
		Name            string    `json:"name"`
		DashboardURL    string    `json:"dashboardUrl"`
		URL             string    `json:"url"` // the dashboard link before 2026-02-09
		Type            string    `json:"type"`
		BatchID         string    `json:"batchId"`
		RunCount        *int      `json:"runCount"`
		Files           []fileRef `json:"files"`
		File            *fileRef  `json:"file"`
		Workflow        *named    `json:"workflow"`
		WorkflowVersion *named    `json:"workflowVersion"`
		Step            *named    `json:"step"`
		ProcessorName   string    `json:"processorName"`
		Extractor       *named    `json:"extractor"`
		Classifier      *named    `json:"classifier"`
		Splitter        *named    `json:"splitter"`
		ReviewedByUser  string    `json:"reviewedByUser"`
		RejectionNote   string    `json:"rejectionNote"`
	} `json:"payload"`
}

type fileRef struct{ ID, Name, Type string }

type named struct{ ID, Name, Version, Type string }

func (n *named) describe() string {
	if n == nil {
		return ""
	}
	var parts []string
	if n.Name != "" {
		parts = append(parts, n.Name)
	}
	if n.ID != "" {
		parts = append(parts, "("+n.ID+")")
	}
	if n.Version != "" {
		parts = append(parts, "version "+n.Version)
	}
	return strings.Join(parts, " ")
}

// summaryRows draws the Summary view: what matters about the event for an
// Extend integration, one labelled line each.
func summaryRows(ev *store.Event, rw *rowWriter, kit *renderKit) chunk {
	s := summarizer{rw: rw, k: kit.inks}
	shown := payloadOf(ev)
	env := shown.env
	var body summaryPayload
	raw, err := shown.body, shown.err
	if env.Err() == nil && err == nil {
		// A field of an unexpected type leaves that field empty; the rest
		// still decode, which is all the view needs.
		_ = json.Unmarshal(raw, &body)
	}
	p := body.Payload
	s.title(ev)
	if shown.fetched != nil {
		s.line("Payload", fetchedText(shown.fetched.At, kit.loc))
	}
	s.line("Event id", env.EventID)
	s.line("Category", ev.Category.Title()+" ("+ev.Category.String()+")")
	s.line("Object", strings.TrimSpace(env.Object+"  "+env.ID))
	s.line("Status", env.Status)
	if env.FailureReason != "" {
		s.warn("Failure", env.FailureReason)
		s.line("", env.FailureMessage())
	} else {
		s.line("Failure", env.FailureMessage())
	}
	s.line("Name", p.Name)
	s.line("Type", p.Type)
	s.line("Workflow", p.Workflow.describe())
	if v := p.WorkflowVersion; v != nil {
		s.line("Version", strings.TrimSpace(v.Version+" "+quoted(v.Name)))
	}
	s.line("Processor", p.ProcessorName)
	for _, r := range []*named{p.Extractor, p.Classifier, p.Splitter} {
		s.line("Processor", r.describe())
	}
	if env.WorkflowRunID != "" || env.StepType != "" {
		s.line("Step run of", strings.TrimSpace(env.WorkflowRunID+"  step "+env.StepType+" "+quoted(stepName(p.Step))))
	}
	s.line("Batch", p.BatchID)
	if p.RunCount != nil {
		s.line("Runs", fmt.Sprint(*p.RunCount))
	}
	s.files(p.Files, p.File)
	s.line("Reviewed by", p.ReviewedByUser)
	s.line("Rejection", p.RejectionNote)
	s.credits(raw)
	if err != nil {
		s.warn("Body", "cannot be read: "+err.Error())
	}
	s.link("Dashboard", firstNonEmpty(p.DashboardURL, p.URL))
	s.signedLink(ev, kit)
	s.blank()
	s.signature(ev.Verification)
	s.versions(ev)
	s.line("Delivery", joinParts(ev.Method+" "+ev.URI()+" "+provenance(ev), ev.ReceivedAt.In(kit.loc).Format("2006-01-02 15:04:05"),
		sizeText(ev.Size()), answerText(ev)))
	s.attempt(ev, kit.about)
	if ev.ReplayOf() != 0 {
		s.line("Replay of", fmt.Sprintf("↻ #%d", ev.ReplayOf()))
	}
	s.forwarded(ev, kit)
	if ev.Rejected() != "" {
		s.warn("Refused", fmt.Sprintf("%s (answered %d)", ev.Rejected(), ev.Status))
	} else if env.Err() != nil {
		s.warn("Parse error", env.Err().Error())
	}
	return rw.take(true)
}

// credits shows what the run cost (usage.credits) and, below, each child
// run's share.
func (s summarizer) credits(body []byte) {
	_, payload := output.Payload(body)
	c, ok := output.CreditsOf(payload)
	if !ok {
		return
	}
	text := c.Credits.String()
	if c.Total.Known {
		text = joinParts(text, "total "+c.Total.String())
	}
	s.line("Credits", text)
	for _, b := range c.Breakdown {
		s.line("", fmt.Sprintf("%s %s  %.2f", b.Object, b.ID, b.Credits))
	}
}

// signedLink shows a payload delivered as a download link: the link, when
// it expires and how long is left, and the key that fetches it.
func (s summarizer) signedLink(ev *store.Event, kit *renderKit) {
	if !ev.Envelope.IsSignedURL() {
		return
	}
	s.line("Signed URL", "the payload was delivered as a download link, valid for one hour:")
	s.link("", ev.Envelope.SignedURL())
	s.line("Link", linkExpiry(ev).Describe(kit.now, kit.loc))
	if key := kit.keys.Keys(keymap.ScopeMain, keymap.FetchLink); key != "" && ev.Fetched() == nil {
		s.line("", "press "+key+" to fetch it (a plain GET, nothing else is sent)")
	}
}

// summarizer writes the Summary's labelled lines.
type summarizer struct {
	rw *rowWriter
	k  inks
}

const labelWidth = 13

func (s summarizer) title(ev *store.Event) {
	t := ev.Envelope.EventType
	s.rw.write(displayType(ev), outcomeInk(s.k, extend.OutcomeOf(t)))
	s.rw.endLine()
	if et, ok := extend.Lookup(t); ok {
		s.rw.write(et.Meaning+".", s.k.Text)
	} else if t != "" {
		s.rw.write("Not in the catalogue of any documented API version: a newer type, or a typo in a sample.", s.k.Attention)
	}
	s.rw.endLine()
	s.rw.endLine()
}

func (s summarizer) label(name string) {
	s.rw.write(fit(name, labelWidth), s.k.Label)
}

func (s summarizer) line(name, value string) { s.labelled(name, value, s.k.Text) }
func (s summarizer) warn(name, value string) { s.labelled(name, value, s.k.Warning) }
func (s summarizer) link(name, value string) { s.labelled(name, value, s.k.Link) }

// labelled writes a value after its label, wrapped under itself as the
// Payload view wraps.
func (s summarizer) labelled(name, value string, k ink) {
	if value == "" {
		return
	}
	for i, line := range tokenWrap(sanitize.Text(value), s.rw.w-labelWidth) {
		if i > 0 {
			name = ""
		}
		s.label(name)
		s.rw.write(line, k)
		s.rw.endLine()
	}
}

func (s summarizer) blank() { s.rw.endLine() }

func (s summarizer) files(files []fileRef, one *fileRef) {
	if one != nil {
		files = append([]fileRef{*one}, files...)
	}
	for i, f := range files {
		name := "Files"
		if i > 0 {
			name = ""
		}
		desc := f.Name
		if extra := strings.Trim(f.Type+", "+f.ID, ", "); extra != "" {
			desc += " (" + extra + ")"
		}
		s.line(name, desc)
	}
}

func (s summarizer) signature(c extend.Check) {
	text := badge(c.Outcome) + " " + c.Outcome.String()
	switch c.Outcome {
	case extend.Verified:
	case extend.Unchecked:
		text += ": no signing secret configured; start with --secret or EXTEND_WEBHOOK_SECRET to verify deliveries"
	default:
		text += ": " + c.Reason
	}
	s.labelled("Signature", text, badgeInk(s.k, c.Outcome))
}

func (s summarizer) versions(ev *store.Event) {
	vs := ev.Versions()
	if len(vs) == 0 {
		s.line("API version", "unknown")
		return
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = string(v)
	}
	how := "guessed from the payload's shape"
	switch ev.VersionSource() {
	case "query":
		how = "from the endpoint's ?api_version="
	case "header":
		how = "from the " + extend.APIVersionHeader + " header"
	}
	s.line("API version", strings.Join(names, " or ")+" ("+how+")")
}

func stepName(n *named) string {
	if n == nil {
		return ""
	}
	return n.Name
}

func quoted(s string) string {
	if s == "" {
		return ""
	}
	return `"` + s + `"`
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// sizeText formats a byte count for people.
func sizeText(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
}
