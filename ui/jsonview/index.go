package jsonview

import (
	"strconv"
	"strings"
)

// Index is the outline of printed lines, built a chunk at a time as the
// Printer produces them: for each line, the container it is in, the member
// it holds (a key or an array position), and, for a line that opens a
// container, the line that closes it and how many members it has. The JSON
// path of a line and the extent of a fold are read from it without looking
// at the text again.
//
// It keeps about forty bytes a line: a path is built on demand by walking
// parents, not stored per line, since a 5 MB payload has a few hundred
// thousand lines.
type Index struct {
	nodes []node
	open  []int32 // the lines whose containers are open, innermost last
}

type node struct {
	parent int32  // the line that opened the enclosing container; -1 at the top
	close  int32  // an opening line's closing line (-1 until printed); a closing line's opening line
	count  int32  // for an opening line, its members
	label  string // the key ("name") or position ("3") in the parent
	kind   byte   // '{' or '[' for an opening line, '}' for a closing one, 0 otherwise
}

// Len is the number of lines indexed.
func (x *Index) Len() int { return len(x.nodes) }

// Add indexes the next lines, in order.
func (x *Index) Add(lines []Line) {
	for _, l := range lines {
		x.add(l.Text)
	}
}

// AddText indexes the next line, given as its text (as displayed: a
// line's escapes do not change its structure).
func (x *Index) AddText(text string) { x.add(text) }

func (x *Index) add(text string) {
	i := int32(len(x.nodes))
	body := strings.TrimLeft(text, " ")
	n := node{parent: -1, close: -1}
	if len(x.open) > 0 {
		n.parent = x.open[len(x.open)-1]
	}
	if body != "" && (body[0] == '}' || body[0] == ']') {
		n.kind = '}'
		if len(x.open) > 0 {
			x.nodes[n.parent].close = i
			n.close = n.parent
			x.open = x.open[:len(x.open)-1]
			if len(x.open) > 0 {
				n.parent = x.open[len(x.open)-1]
			} else {
				n.parent = -1
			}
		}
		x.nodes = append(x.nodes, n)
		return
	}
	if n.parent >= 0 {
		p := &x.nodes[n.parent]
		if p.kind == '{' {
			n.label = memberKey(body)
		} else {
			n.label = strconv.Itoa(int(p.count))
		}
		p.count++
	}
	if trimmed := strings.TrimRight(body, " "); trimmed != "" {
		if last := trimmed[len(trimmed)-1]; last == '{' || last == '[' {
			n.kind = last
			x.open = append(x.open, i)
		}
	}
	x.nodes = append(x.nodes, n)
}

// memberKey is the key of an object member's line, as written between its
// quotes (escapes kept). It shares the line's text, which the pane keeps.
func memberKey(body string) string {
	if !strings.HasPrefix(body, `"`) {
		return ""
	}
	end := stringEndIn(body)
	return body[1 : end-1]
}

// stringEndIn returns the index just past the JSON string s starts with.
func stringEndIn(s string) int {
	for j := 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

// Opens reports whether line i opens a container printed over several
// lines.
func (x *Index) Opens(i int) bool {
	return i >= 0 && i < len(x.nodes) && (x.nodes[i].kind == '{' || x.nodes[i].kind == '[')
}

// Close returns the line that closes the container line i opens, once it
// has been printed.
func (x *Index) Close(i int) (int, bool) {
	if !x.Opens(i) || x.nodes[i].close < 0 {
		return 0, false
	}
	return int(x.nodes[i].close), true
}

// Opening returns the line that opens the container line i closes.
func (x *Index) Opening(i int) (int, bool) {
	if i < 0 || i >= len(x.nodes) || x.nodes[i].kind != '}' || x.nodes[i].close < 0 {
		return 0, false
	}
	return int(x.nodes[i].close), true
}

// Enclosing returns the line that opened the container line i is in, or -1
// at the top. A closing line belongs to the container around the one it
// closes, like its opening line.
func (x *Index) Enclosing(i int) int {
	if i < 0 || i >= len(x.nodes) {
		return -1
	}
	return int(x.nodes[i].parent)
}

// Depth is how many containers line i is inside.
func (x *Index) Depth(i int) int {
	d := 0
	for p := x.Enclosing(i); p >= 0; p = int(x.nodes[p].parent) {
		d++
	}
	return d
}

// Summary is how a folded container reads: "{…} 12 keys", "[…] 240 items".
func (x *Index) Summary(i int) string {
	if !x.Opens(i) {
		return ""
	}
	n := x.nodes[i]
	if n.kind == '{' {
		return "{…} " + plural(int(n.count), "key")
	}
	return "[…] " + plural(int(n.count), "item")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Path is the JSON path of the value on line i, as jq and JavaScript write
// it: "payload.output.line_items[3].amount", with a key that is no
// identifier in brackets (`["two words"]`). The top-level value is ".".
// A closing line has the path of the container it closes.
func (x *Index) Path(i int) string {
	if i < 0 || i >= len(x.nodes) {
		return ""
	}
	if x.nodes[i].kind == '}' && x.nodes[i].close >= 0 {
		i = int(x.nodes[i].close)
	}
	var labels []int
	for j := i; j >= 0 && x.nodes[j].parent >= 0; j = int(x.nodes[j].parent) {
		labels = append(labels, j)
	}
	if len(labels) == 0 {
		return "."
	}
	var b strings.Builder
	for k := len(labels) - 1; k >= 0; k-- {
		n := x.nodes[labels[k]]
		switch {
		case x.nodes[n.parent].kind == '[':
			b.WriteString("[" + n.label + "]")
		case isIdentifier(n.label):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(n.label)
		default:
			b.WriteString(`["` + n.label + `"]`)
		}
	}
	return b.String()
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}
