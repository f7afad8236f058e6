package output

import (
	"fmt"
	"strconv"
	"strings"
)

// Score is a number an output may or may not give (a confidence, a review
// agent's score).
type Score struct {
	Value float64
	Known bool
}

func scoreOf(r Raw) Score {
	v, ok := r.Number()
	return Score{v, ok}
}

// String is the score with two decimals, or "" when unknown.
func (s Score) String() string {
	if !s.Known {
		return ""
	}
	return strconv.FormatFloat(s.Value, 'f', 2, 64)
}

// Row is one line of the Fields view: a leaf of an extraction, a field of
// the legacy array, a classification or one split.
type Row struct {
	Path        string // invoice_number, line_items[0].description, splits[1]
	Value       string // the value in one line (a string as itself)
	Type        string // the legacy field's type, the split's type; "" for JSON Schema leaves
	Name        string // a split's name
	Confidence  Score  // logprobsConfidence, or the legacy/classification confidence
	OCR         Score  // ocrConfidence
	ReviewScore Score  // reviewAgentScore, 1–5
	Pages       []int  // of its citations; a split's page range
	Second      string // a second line: the classification's reasoning
	Low         bool   // Confidence is below the threshold
	MetaPath    string // the metadata key the row's metadata came from; differs from Path when inherited

	value Raw // the value
	meta  Raw // its metadata entry, or the legacy field object
}

// PagesText lists the pages compactly: "1", "1–3", "2, 5–6".
func (r Row) PagesText() string {
	var parts []string
	for i := 0; i < len(r.Pages); {
		j := i
		for j+1 < len(r.Pages) && r.Pages[j+1] == r.Pages[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", r.Pages[i], r.Pages[j]))
		} else {
			parts = append(parts, strconv.Itoa(r.Pages[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// Citation is where a value was read from.
type Citation struct {
	FileID string
	Page   int // 0 when not given
	Text   string
}

// Insight is a note the model left on a value.
type Insight struct {
	Type, Content string
}

// Detail is what the detail view shows of a row: the value in full, its
// citations and insights.
type Detail struct {
	Value     string // indented JSON for objects and arrays; a string as itself
	Citations []Citation
	Insights  []Insight
}

// Detail decodes the row's full value, citations and insights; it is done
// per row, when the user opens one, not for the whole table.
func (r Row) Detail() Detail {
	d := Detail{Value: r.value.Indented(), Insights: insights(r.meta.Get("insights"))}
	r.meta.Get("citations").Items(func(_ int, c Raw) bool {
		d.Citations = append(d.Citations, Citation{FileID: c.Get("fileId").Str(), Page: pageOf(c.Get("page")), Text: c.Get("referenceText").Str()})
		return true
	})
	r.meta.Get("references").Items(func(_ int, ref Raw) bool {
		d.Citations = append(d.Citations, Citation{Page: pageOf(ref.Get("page"))})
		return true
	})
	return d
}

func insights(list Raw) []Insight {
	var out []Insight
	list.Items(func(_ int, in Raw) bool {
		out = append(out, Insight{Type: in.Get("type").Str(), Content: in.Get("content").Str()})
		return true
	})
	return out
}

// pageOf reads a citation's page: {number, width, height}, or a bare
// integer in older docs.
func pageOf(p Raw) int {
	if p.IsObject() {
		p = p.Get("number")
	}
	n, _ := p.Number()
	return int(n)
}

// Section is the Fields of one run.
type Section struct {
	Run  Run
	Kind Kind
	Rows []Row
	Low  int // rows below the threshold
}

// Report is the Fields view of one event.
type Report struct {
	EventType string
	Sections  []Section
	None      string // what the event is instead, when it has no output
	Threshold float64
	Low       int // rows below the threshold, in every section
}

// Heading counts the doubtful fields: "3 fields below 0.80".
func (r Report) Heading() string {
	noun := "fields"
	if r.Low == 1 {
		noun = "field"
	}
	if r.Low == 0 {
		return fmt.Sprintf("no field below %.2f", r.Threshold)
	}
	return fmt.Sprintf("%d %s below %.2f", r.Low, noun, r.Threshold)
}

// Read reads the Fields of a delivery body. threshold marks the doubtful
// rows; 0 means DefaultLowConfidence.
func Read(body []byte, threshold float64) Report {
	eventType, payload := Payload(body)
	return ReadPayload(eventType, payload, threshold)
}

// ReadPayload reads the Fields of a payload: the delivery's own, or the one
// fetched from its signed link (which is the payload, not an envelope).
func ReadPayload(eventType string, payload Raw, threshold float64) Report {
	payload, p := objectOf(payload)
	runs := runsIn(payload, p)
	rep := Report{EventType: eventType, Threshold: thresholdOr(threshold)}
	threshold = rep.Threshold
	if rep.None = noOutput(eventType, p, runs); rep.None != "" {
		return rep
	}
	for _, run := range runs {
		s := FieldsOf(run, threshold)
		if s.Kind != KindNone {
			rep.Sections = append(rep.Sections, s)
			rep.Low += s.Low
		}
	}
	return rep
}

// thresholdOr is the threshold asked for, or the default for 0.
func thresholdOr(threshold float64) float64 {
	if threshold <= 0 {
		return DefaultLowConfidence
	}
	return threshold
}

// objectOf trims a payload and reads its members once, for every reader.
func objectOf(payload Raw) (Raw, Object) {
	payload = trimRaw(payload)
	return payload, payload.Object()
}

// FieldsOf reads the rows of one run's output.
func FieldsOf(run Run, threshold float64) Section {
	return fieldsOfOutput(run, run.Output(), threshold)
}

func fieldsOfOutput(run Run, out Raw, threshold float64) Section {
	o := out.Object()
	s := Section{Run: run, Kind: kindOf(o)}
	switch s.Kind {
	case KindExtraction:
		s.Rows = extractionRows(o)
	case KindLegacyFields:
		s.Rows = legacyRows(o)
	case KindClassification:
		s.Rows = []Row{classificationRow(o, out)}
	case KindSplit:
		s.Rows = splitRows(o)
	}
	for i := range s.Rows {
		r := &s.Rows[i]
		if r.Low = r.Confidence.Known && r.Confidence.Value < threshold; r.Low {
			s.Low++
		}
	}
	return s
}

// extractionRows walks value's leaves in order. The metadata is indexed
// once, so each leaf's lookup (and its fall-back to an ancestor's entry) is
// a map probe.
func extractionRows(out Object) []Row {
	entries := out.Get("metadata").Object()
	meta := make(map[string]Raw, len(entries))
	for _, e := range entries {
		meta[e.Key] = e.Value
	}
	// Extend gives most leaves an entry, so the entry count is a good first
	// size: rows are large, and growing the slice by doubling would copy
	// megabytes for a long invoice.
	rows := make([]Row, 0, len(entries)+16)
	walkLeaves(out.Get("value"), "", 0, func(path string, v Raw) {
		r := Row{Path: path, Value: v.Text(), value: v}
		r.MetaPath, r.meta = lookupMeta(meta, path)
		// One pass over the entry, without collecting it: this runs for
		// every leaf.
		r.meta.Members(func(k string, v Raw) bool {
			switch k {
			case "logprobsConfidence":
				r.Confidence = scoreOf(v)
			case "ocrConfidence":
				r.OCR = scoreOf(v)
			case "reviewAgentScore":
				r.ReviewScore = scoreOf(v)
			case "citations":
				r.Pages = citationPages(v, "page")
			}
			return true
		})
		rows = append(rows, r)
	})
	return rows
}

// maxDepth bounds how deep the walks (the leaves, the diff) descend. Each
// level skims the level below it once, so the work grows with depth times
// size: a body nested thousands deep, which is still valid JSON, would
// cost seconds. Extend's outputs nest a handful of levels; a value deeper
// than this is shown whole, as one leaf (one difference).
const maxDepth = 64

// walkLeaves calls leaf with the path and value of every scalar, empty
// object and empty array under v.
func walkLeaves(v Raw, path string, depth int, leaf func(path string, v Raw)) {
	empty := true
	switch {
	case depth >= maxDepth:
	case v.IsObject():
		v.Members(func(k string, child Raw) bool {
			empty = false
			walkLeaves(child, joinKey(path, k), depth+1, leaf)
			return true
		})
	case v.IsArray():
		v.Items(func(i int, child Raw) bool {
			empty = false
			walkLeaves(child, path+"["+strconv.Itoa(i)+"]", depth+1, leaf)
			return true
		})
	}
	if empty && len(v) > 0 {
		leaf(path, v)
	}
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// lookupMeta finds a path's metadata, else its nearest ancestor's: Extend
// may give an array item (line_items[0]) or a currency (total) one entry
// for all its leaves.
func lookupMeta(meta map[string]Raw, path string) (string, Raw) {
	for p := path; p != ""; p = parentPath(p) {
		if m, ok := meta[p]; ok {
			return p, m
		}
	}
	return "", nil
}

// parentPath drops the last key or index: a.b[2].c → a.b[2] → a.b → a.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// citationPages lists the distinct pages of a list of citations or
// references, in order of first appearance.
func citationPages(list Raw, key string) []int {
	var pages []int
	list.Items(func(_ int, c Raw) bool {
		p := pageOf(c.Get(key))
		if p > 0 && !containsInt(pages, p) {
			pages = append(pages, p)
		}
		return true
	})
	return pages
}

func containsInt(s []int, n int) bool {
	for _, v := range s {
		if v == n {
			return true
		}
	}
	return false
}

func legacyRows(out Object) []Row {
	var rows []Row
	for _, m := range out {
		f := m.Value.Object()
		v := f.Get("value")
		rows = append(rows, Row{
			Path: m.Key, Value: v.Text(), Type: f.Get("type").Str(), Confidence: scoreOf(f.Get("confidence")),
			Pages: citationPages(f.Get("references"), "page"), MetaPath: m.Key, value: v, meta: m.Value,
		})
	}
	return rows
}

func classificationRow(out Object, raw Raw) Row {
	var reasoning string
	for _, in := range insights(out.Get("insights")) {
		if in.Type == "reasoning" {
			reasoning = in.Content
			break
		}
	}
	t := out.Get("type")
	return Row{Path: "type", Value: t.Text(), Type: "classification", Confidence: scoreOf(out.Get("confidence")),
		Second: reasoning, value: t, meta: raw}
}

// maxSplitPages bounds the page list of one split, whatever its range says.
const maxSplitPages = 10000

func splitRows(out Object) []Row {
	var rows []Row
	out.Get("splits").Items(func(i int, raw Raw) bool {
		sp := raw.Object()
		start, _ := sp.Get("startPage").Number()
		end, _ := sp.Get("endPage").Number()
		var pages []int
		for p := int(start); p >= 1 && p <= int(end) && len(pages) < maxSplitPages; p++ {
			pages = append(pages, p)
		}
		rows = append(rows, Row{
			Path: fmt.Sprintf("splits[%d]", i), Value: sp.Get("identifier").Text(), Type: sp.Get("type").Str(),
			Name: sp.Get("name").Str(), Pages: pages, Second: sp.Get("observation").Str(), value: raw, meta: raw,
		})
		return true
	})
	return rows
}
