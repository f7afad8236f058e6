package export

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export/har"
)

// harComment explains, in the file, what HAR cannot say by itself.
const harComment = "Webhook deliveries received by extend-inspect. Each response is the receiver's answer " +
	"(status only: its headers and body are not kept); timings are not measured and are 0. " +
	"_extendInspect holds what HAR has no field for."

// writeHAR writes a HAR 1.2 log, one entry at a time, so that a large
// export never holds the whole document in memory.
func writeHAR(ctx context.Context, out io.Writer, events []*store.Event, opt Options) error {
	version := opt.Version
	if version == "" {
		version = "dev"
	}
	head := fmt.Sprintf("{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\n      \"name\": %q,\n"+
		"      \"version\": %s\n    },\n    \"comment\": %q,\n    \"pages\": [],\n    \"entries\": [",
		har.CreatorName, jsonString(version), harComment)
	if _, err := io.WriteString(out, head); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("      ", "  ")
	for i, ev := range events {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf.Reset()
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n      ")
		entry, err := entryOf(ev, opt.Listen)
		if err != nil {
			return err
		}
		if err := enc.Encode(entry); err != nil {
			return fmt.Errorf("encode event %d: %w", ev.Seq, err)
		}
		buf.Truncate(buf.Len() - 1) // the encoder's newline: the comma goes first
		if _, err := out.Write(buf.Bytes()); err != nil {
			return err
		}
		report(opt, i, len(events))
	}
	_, err := io.WriteString(out, "\n    ]\n  }\n}\n")
	return err
}

// jsonString quotes s as JSON (strconv's %q is Go syntax, not JSON).
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func entryOf(ev *store.Event, listen string) (har.Entry, error) {
	headers, err := ev.Headers()
	if err != nil {
		return har.Entry{}, fmt.Errorf("event %d: %w", ev.Seq, err)
	}
	url := requestURL(ev, headers, listen)
	req, err := requestOf(ev, headers, url)
	if err != nil {
		return har.Entry{}, err
	}
	return har.Entry{
		StartedDateTime: ev.ReceivedAt.Format(time.RFC3339Nano),
		Request:         req,
		Response: har.Response{
			Status: int(ev.Status), StatusText: http.StatusText(int(ev.Status)), HTTPVersion: "HTTP/1.1",
			Cookies: []har.NameValue{}, Headers: []har.NameValue{},
			Content:     har.Content{Size: 0, MimeType: "x-unknown"},
			HeadersSize: -1, BodySize: -1,
		},
		Extras: extrasOf(ev, url),
	}, nil
}

func requestOf(ev *store.Event, headers []store.Header, url string) (har.Request, error) {
	req := har.Request{
		Method:      ev.Method,
		URL:         url,
		HTTPVersion: "HTTP/1.1",
		Cookies:     []har.NameValue{},
		Headers:     headerList(headers),
		QueryString: queryList(ev.Query),
		HeadersSize: -1,
		BodySize:    ev.Size(),
	}
	body, err := ev.Body()
	if err != nil {
		return req, fmt.Errorf("event %d: %w", ev.Seq, err)
	}
	if body != nil {
		req.BodySize = int64(len(body))
		req.PostData = postDataOf(headers, body)
	}
	return req, nil
}

func postDataOf(headers []store.Header, body []byte) *har.PostData {
	pd := &har.PostData{MimeType: store.HeaderValue(headers, "Content-Type")}
	if pd.MimeType == "" {
		pd.MimeType = "application/octet-stream" // what RFC 9110 lets a recipient assume
	}
	if utf8.Valid(body) {
		pd.Text = string(body)
	} else {
		pd.Text, pd.Encoding = base64.StdEncoding.EncodeToString(body), "base64"
	}
	return pd
}

// extrasOf keeps what HAR has no field for; rawURL is the entry's URL.
func extrasOf(ev *store.Event, rawURL string) *har.Extras {
	x := &har.Extras{
		Seq:                ev.Seq,
		Verification:       ev.Verification.Outcome.String(),
		VerificationReason: ev.Verification.Reason,
		Category:           ev.Category.String(),
		DuplicateOf:        ev.DuplicateOf(),
		Attempt:            int(ev.Attempt),
		ReplayOf:           ev.ReplayOf(),
		Rejected:           ev.Rejected(),
		Size:               ev.Size(),
		RemoteAddr:         ev.RemoteAddr,
		Forward:            ev.Forward().Record(),
	}
	x.FetchedPayload, x.FetchedAt = ev.Fetched().Record()
	if ev.Rejected() != "" { // no body to find them in again
		x.EventID, x.EventType = ev.Envelope.EventID, ev.EventType()
	}
	if u, err := url.Parse(rawURL); err != nil || u.Path != ev.Path || u.RawQuery != ev.Query {
		x.Path, x.Query = &ev.Path, &ev.Query
	}
	return x
}

// requestURL is the absolute URL the delivery was sent to: its Host header
// (among headers, ev's) when that is a plain host[:port], else the listen
// address.
func requestURL(ev *store.Event, headers []store.Header, listen string) string {
	host := store.HeaderValue(headers, "Host")
	if !validHost(host) {
		host = loopbackAddr(listen)
	}
	if !validHost(host) {
		host = "localhost"
	}
	return "http://" + host + requestURI(ev)
}

// requestURI is ev's path and query, escaped as they go in a URL.
func requestURI(ev *store.Event) string {
	u := url.URL{Scheme: "http", Host: "h", Path: ev.Path, RawQuery: ev.Query}
	return strings.TrimPrefix(u.String(), "http://h")
}

// validHost accepts the characters of a host name, an IP address (IPv6 in
// brackets) and a port, and nothing that could change the URL's meaning
// ('/', '@', '?', '#').
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, c := range []byte(h) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-_:[]", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// loopbackAddr turns a listen address into one to send to: an unspecified
// host (":8080", "0.0.0.0:8080", "[::]:8080") means this machine.
func loopbackAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// queryList splits a raw query into its parameters, in order, repeated
// names included; a part that does not unescape is kept as sent.
func queryList(raw string) []har.NameValue {
	list := []har.NameValue{}
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		list = append(list, har.NameValue{Name: unescapeQuery(name), Value: unescapeQuery(value)})
	}
	return list
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
