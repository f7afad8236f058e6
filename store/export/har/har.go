// Package har is the HAR 1.2 schema as extend-inspect writes and reads it:
// the export writes these objects and session reads them back. Field order
// follows the spec, so a file reads like any other HAR.
package har

import (
	"encoding/json"
	"time"

	"github.com/extend-inspect/extend-inspect/store"
)

// CreatorName is log.creator.name; a HAR carrying it is trusted to hold
// this tool's Extras, as the spec asks of custom fields.
const CreatorName = "extend-inspect"

// File is a HAR document, with what a reader needs of its log.
type File struct {
	Log struct {
		Creator Creator `json:"creator"`
		Entries []Entry `json:"entries"`
	} `json:"log"`
}

// Creator names the tool that wrote a HAR.
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// The objects of one entry.
type (
	// Entry is one request: a delivery.
	Entry struct {
		StartedDateTime string   `json:"startedDateTime"`
		Time            float64  `json:"time"`
		Request         Request  `json:"request"`
		Response        Response `json:"response"`
		Cache           struct{} `json:"cache"`
		Timings         Timings  `json:"timings"`
		Extras          *Extras  `json:"_extendInspect,omitempty"`
	}
	// Request is the delivery as it was sent.
	Request struct {
		Method      string      `json:"method"`
		URL         string      `json:"url"`
		HTTPVersion string      `json:"httpVersion"`
		Cookies     []NameValue `json:"cookies"`
		Headers     []NameValue `json:"headers"`
		QueryString []NameValue `json:"queryString"`
		PostData    *PostData   `json:"postData,omitempty"`
		HeadersSize int64       `json:"headersSize"`
		BodySize    int64       `json:"bodySize"`
	}
	// PostData carries the exact body. HAR 1.2 defines "encoding" only on
	// response content, but bodies that are not UTF-8 cannot go into a JSON
	// string unchanged, so a non-UTF-8 body is written base64 with
	// "encoding": "base64" here too: the field the spec's author proposed
	// for postData, and what several HAR writers already emit. Readers that
	// do not know it show the base64 text; nothing is lost.
	PostData struct {
		MimeType string      `json:"mimeType"`
		Text     string      `json:"text"`
		Encoding string      `json:"encoding,omitempty"`
		Params   []NameValue `json:"params,omitempty"` // read only: other tools' form posts
	}
	// Response is the receiver's answer.
	Response struct {
		Status      int         `json:"status"`
		StatusText  string      `json:"statusText"`
		HTTPVersion string      `json:"httpVersion"`
		Cookies     []NameValue `json:"cookies"`
		Headers     []NameValue `json:"headers"`
		Content     Content     `json:"content"`
		RedirectURL string      `json:"redirectURL"`
		HeadersSize int64       `json:"headersSize"`
		BodySize    int64       `json:"bodySize"`
	}
	// Content describes a response body.
	Content struct {
		Size     int64  `json:"size"`
		MimeType string `json:"mimeType"`
	}
	// Timings are the phases of a request; extend-inspect measures none.
	Timings struct {
		Send    float64 `json:"send"`
		Wait    float64 `json:"wait"`
		Receive float64 `json:"receive"`
	}
	// Extras is what an Event holds and HAR has no field for, so that a
	// HAR written here reopens without loss.
	Extras struct {
		Seq                uint64               `json:"seq"`
		Verification       string               `json:"verification"`
		VerificationReason string               `json:"verificationReason,omitempty"`
		Category           string               `json:"category"`
		EventID            string               `json:"eventId,omitempty"`
		EventType          string               `json:"eventType,omitempty"`
		DuplicateOf        uint64               `json:"duplicateOf,omitempty"`
		Attempt            int                  `json:"attempt"`
		ReplayOf           uint64               `json:"replayOf,omitempty"`
		Rejected           string               `json:"rejected,omitempty"`
		Size               int64                `json:"size"`
		RemoteAddr         string               `json:"remoteAddr,omitempty"`
		Forward            *store.ForwardRecord `json:"forward,omitempty"`
		// FetchedPayload is what the delivery's signed link gave, as
		// embedded JSON, and FetchedAt when.
		FetchedPayload json.RawMessage `json:"fetchedPayload,omitempty"`
		FetchedAt      *time.Time      `json:"fetchedAt,omitempty"`
		// Path and Query are set only when the URL cannot carry them exactly
		// (a raw '#' in the query, a path without its leading '/').
		Path  *string `json:"path,omitempty"`
		Query *string `json:"query,omitempty"`
	}
)

// NameValue is a header, query parameter or form field, as HAR lists them.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
