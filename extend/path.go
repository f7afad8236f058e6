package extend

import (
	"encoding/json"
	"strconv"
	"strings"
)

// PathValue returns the value at a dotted path into a JSON body, such as
// payload.metadata.requestId (a number segment indexes an array), as text:
// a string as itself, any other value as its JSON. ok is false when the body
// is not JSON or the path names nothing.
func PathValue(body []byte, path string) (value string, ok bool) {
	var v any
	if path == "" || json.Unmarshal(body, &v) != nil {
		return "", false
	}
	for _, seg := range strings.Split(path, ".") {
		if v, ok = step(v, seg); !ok {
			return "", false
		}
	}
	if s, isString := v.(string); isString {
		return s, true
	}
	b, err := json.Marshal(v)
	return string(b), err == nil
}

// step goes one segment down: a field of an object or an index of an array.
func step(v any, seg string) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		next, ok := t[seg]
		return next, ok
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(t) {
			return nil, false
		}
		return t[i], true
	}
	return nil, false
}
