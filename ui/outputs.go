package ui

import (
	"fmt"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/store"
)

// fieldsProducer draws the Fields view: every field of each run's output
// with its confidence, the doubtful ones marked "!" in the warning ink. It
// reads the whole report at once (the count is in the heading) and writes
// the table a chunk of rows at a time, so a large output's first screen
// does not wait for its last row.
type fieldsProducer struct {
	ev   *store.Event
	rw   *rowWriter
	kit  *renderKit
	rep  *output.Report
	sec  int // the section being written
	row  int // its next row; -1 before its heading
	done int // rows written, for the progress
	all  int
}

func (p *fieldsProducer) produce(first bool) (chunk, bool) {
	if p.rep == nil && !p.start() {
		return p.rw.take(true), true
	}
	budget := chunkLines
	if first {
		budget = firstChunkLines
	}
	for ; p.sec < len(p.rep.Sections) && budget > 0; p.sec, p.row = p.sec+1, -1 {
		s := p.rep.Sections[p.sec]
		if p.row < 0 {
			p.sectionHeading(s)
			p.row = 0
		}
		n := min(budget, len(s.Rows)-p.row)
		fieldTable(s.Rows[p.row:p.row+n], p.done, p.rw, p.kit)
		p.row += n
		p.done += n
		budget -= n
		if p.row < len(s.Rows) {
			return p.rw.take(false), false
		}
	}
	done := p.sec >= len(p.rep.Sections)
	return p.rw.take(done), done
}

// start reads the report and writes its heading; false when the event has
// no output and the sentence saying so is all there is.
func (p *fieldsProducer) start() bool {
	k := p.kit.inks
	shown := payloadOf(p.ev)
	if shown.err != nil {
		unreadableBody(p.rw, shown.err, k.Warning)
		p.rep = &output.Report{}
		return false
	}
	shown.markFetched(p.rw, p.kit)
	rep := readFields(p.ev, p.kit)
	p.rep, p.row = &rep, -1
	if rep.None != "" {
		p.rw.write(rep.None, k.Dim)
		return false
	}
	heading := k.Text
	if rep.Low > 0 {
		heading = k.Warning
	}
	p.rw.write(rep.Heading(), heading)
	p.rw.endLine()
	for _, s := range rep.Sections {
		p.all += len(s.Rows)
	}
	return true
}

func (p *fieldsProducer) sectionHeading(s output.Section) {
	k := p.kit.inks
	p.rw.endLine()
	p.rw.write(s.Run.Title(), k.Heading)
	p.rw.write(" · "+s.Kind.String(), k.Dim)
	p.rw.endLine()
	tableHeading(p.rw, k)
}

func (p *fieldsProducer) progress() float64 {
	if p.all == 0 {
		return 0
	}
	return float64(p.done) / float64(p.all)
}

// The widths of the Fields table's fixed columns.
const (
	scoreColumn = 6
	pagesColumn = 8
	fixedCells  = 2 + 1 + 1 + 3*(scoreColumn+1) + pagesColumn // mark, gaps, scores, pages
)

// columnWidths shares a row w wide between the path and the value.
func columnWidths(w int) (path, value int) {
	path = min(28, max(12, w/3))
	return path, max(8, w-fixedCells-path)
}

// tableHeading names the Fields table's columns.
func tableHeading(rw *rowWriter, k inks) {
	pathColumn, valueColumn := columnWidths(rw.w)
	rw.write(fmt.Sprintf("  %-*s %-*s %*s %*s %*s %-*s", pathColumn, "field", valueColumn, "value",
		scoreColumn, "conf", scoreColumn, "ocr", scoreColumn, "review", pagesColumn, "pages"), k.Label)
	rw.endLine()
}

// readFields reads the Fields of ev: what the Fields view draws, and what
// its cursor's rows are looked up in (fielddetail.go).
func readFields(ev *store.Event, kit *renderKit) output.Report {
	return output.Read(payloadOf(ev).body, kit.lowConfidence)
}

// readReview reads the review of ev for the Review view.
func readReview(ev *store.Event, kit *renderKit) output.Review {
	return output.ReadReview(payloadOf(ev).body, kit.lowConfidence)
}

// fieldTable writes rows of the Fields table, below its heading. first is
// the index of rows[0] among all the rows of its document: each row points
// the cursor at it (counted from 1), so enter and copy-value can find the
// row again. A row's second line belongs to its logical line, so the cursor
// steps over the pair as one.
func fieldTable(rows []output.Row, first int, rw *rowWriter, kit *renderKit) {
	k := kit.inks
	pathColumn, valueColumn := columnWidths(rw.w)
	defer rw.point(0, 0)
	for i, r := range rows {
		rw.point(0, first+i+1)
		mark, ink := "  ", k.Text
		if r.Low {
			mark, ink = "! ", k.Warning
		}
		rw.write(mark, ink)
		rw.write(cell(rowName(r), pathColumn)+" ", ink)
		rw.write(cell(r.Value, valueColumn)+" ", k.Text)
		rw.write(fmt.Sprintf("%*s ", scoreColumn, r.Confidence), ink)
		rw.write(fmt.Sprintf("%*s ", scoreColumn, r.OCR), k.Dim)
		rw.write(fmt.Sprintf("%*s ", scoreColumn, r.ReviewScore), k.Dim)
		rw.write(cell(r.PagesText(), pagesColumn), k.Dim)
		if r.Second != "" {
			rw.flush()
			rw.write("    "+cell(r.Second, max(1, rw.w-4)), k.Dim)
		}
		rw.endLine()
	}
}

// rowName is the row's path, with its type and name when it has them.
func rowName(r output.Row) string {
	parts := []string{r.Path}
	if r.Type != "" {
		parts = append(parts, r.Type)
	}
	if r.Name != "" {
		parts = append(parts, r.Name)
	}
	return strings.Join(parts, " · ")
}

// cell cuts untrusted text to one line of at most w cells; the row writer
// sanitises it.
func cell(s string, w int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len([]rune(s)) > w {
		s = string([]rune(s)[:max(0, w-1)]) + "…"
	}
	return fmt.Sprintf("%-*s", w, s)
}

// reviewRows draws the Review view: the review's state, who and when, and
// what the reviewer changed, old → new, with their notes.
func reviewRows(ev *store.Event, rw *rowWriter, kit *renderKit) chunk {
	k := kit.inks
	shown := payloadOf(ev)
	if shown.err != nil {
		unreadableBody(rw, shown.err, k.Warning)
		return rw.take(true)
	}
	shown.markFetched(rw, kit)
	rv := readReview(ev, kit)
	state := k.Text
	switch rv.State {
	case output.Approved:
		state = k.Success
	case output.Rejected:
		state = k.Failure
	case output.NeedsReview:
		state = k.Attention
	}
	rw.write(rv.State.String(), state)
	if rv.By != "" {
		rw.write(" by "+rv.By, k.Text)
	}
	if rv.At != "" {
		rw.write(" at "+rv.At, k.Dim)
	}
	rw.endLine()
	if rv.RejectionNote != "" {
		rw.write("note: ", k.Label)
		rw.write(rv.RejectionNote, k.Text)
		rw.endLine()
	}
	if rv.State == output.NeedsReview {
		reviewPending(rv, rw, kit)
	}
	for _, rr := range rv.Runs {
		reviewRun(rr, rw, kit)
	}
	return rw.take(true)
}

func reviewPending(rv output.Review, rw *rowWriter, kit *renderKit) {
	k := kit.inks
	rw.endLine()
	rw.write(fmt.Sprintf("%d fields below %.2f for the reviewer:", len(rv.Pending), rv.Threshold), k.Warning)
	rw.endLine()
	tableHeading(rw, k)
	fieldTable(rv.Pending, 0, rw, kit)
}

func reviewRun(rr output.RunReview, rw *rowWriter, kit *renderKit) {
	k := kit.inks
	rw.endLine()
	rw.write(rr.Run.Title(), k.Heading)
	switch {
	case rr.Edited:
		rw.write(" · edited, "+plural(len(rr.Changes), "change"), k.Dim)
	case rr.Reviewed:
		rw.write(" · approved without edits", k.Dim)
	}
	rw.endLine()
	for _, c := range rr.Changes {
		diffLine(c, rw, kit)
		if e, ok := rr.EditFor(c.Path); ok {
			editNote(e, rw, kit)
		}
	}
}

// diffLine draws one difference: "~ path  old → new", "+ path  new",
// "- path  old".
func diffLine(c output.Difference, rw *rowWriter, kit *renderKit) {
	k := kit.inks
	rw.write(c.Op.String()+" ", k.Key)
	rw.write(c.Path+"  ", k.Label)
	switch c.Op {
	case output.Added:
		rw.write(c.New.Text(), k.Success)
	case output.Removed:
		rw.write(c.Old.Text(), k.Failure)
	default:
		rw.write(c.Old.Text(), k.Failure)
		rw.write(" → ", k.Dim)
		rw.write(c.New.Text(), k.Success)
	}
	rw.endLine()
}

func editNote(e output.Edit, rw *rowWriter, kit *renderKit) {
	var parts []string
	if e.Notes != "" {
		parts = append(parts, e.Notes)
	}
	if e.FieldType != "" {
		parts = append(parts, "type "+e.FieldType)
	}
	if e.Page != 0 {
		parts = append(parts, fmt.Sprintf("page %d", e.Page))
	}
	if len(parts) > 0 {
		rw.write("    "+strings.Join(parts, " · "), kit.inks.Dim)
		rw.endLine()
	}
}
