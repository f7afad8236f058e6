package sample

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SetField overrides one field of a JSON body and returns the new body,
// laid out like Build's (key order kept). path is dot-separated, with
// array elements by index: "payload.status", "payload.files.0.name". value
// is used as JSON if it parses as JSON (42, true, null, {"a":1}, "quoted"),
// otherwise as a plain string. The last key may be new; every other step of
// the path must exist.
func SetField(body []byte, path, value string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("set: empty path (want e.g. payload.status)")
	}
	root, err := decodeOrdered(body)
	if err != nil {
		return nil, fmt.Errorf("set %s: body is not JSON: %w", path, err)
	}
	v, err := decodeOrdered([]byte(value))
	if err != nil {
		v = value
	}
	root, err = setPath(root, strings.Split(path, "."), v)
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", path, err)
	}
	return encode(root)
}

func setPath(node any, keys []string, v any) (any, error) {
	if len(keys) == 0 {
		return v, nil
	}
	key := keys[0]
	switch n := node.(type) {
	case obj:
		for i := range n {
			if n[i].k == key {
				child, err := setPath(n[i].v, keys[1:], v)
				n[i].v = child
				return n, prefix(key, err)
			}
		}
		if len(keys) > 1 {
			return nil, fmt.Errorf("no field %q", key)
		}
		return append(n, kv{key, v}), nil
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n) {
			return nil, fmt.Errorf("%q is not an index of an array of %d", key, len(n))
		}
		child, err := setPath(n[i], keys[1:], v)
		n[i] = child
		return n, prefix(key, err)
	default:
		return nil, fmt.Errorf("cannot descend into %s at %q", kindOf(node), key)
	}
}

func prefix(key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", key, err)
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// decodeOrdered reads one JSON value into obj, []any, string, json.Number,
// bool or nil, keeping object keys in order and numbers as written.
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := obj{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o = append(o, kv{k.(string), v})
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return tok, nil
}
