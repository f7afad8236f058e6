package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// The curl format's names.
const (
	scriptName = "replay.sh"
	bodiesDir  = "bodies"
	sidecarExt = ".body"
)

// replayItem is one event of the script and the file holding its body; name
// is empty for a delivery that was rejected, which has no body to send.
type replayItem struct {
	ev   *store.Event
	name string
}

// curl writes each body to bodies/ exactly as received, then replay.sh,
// which sends them with curl. The bodies are files rather than text in the
// script because a signature covers exact bytes: `--data-binary @file`
// sends them untouched, NUL bytes and final newlines included, where a
// heredoc or a shell string would not. The script and its bodies are all or
// nothing: on failure the bodies already written are removed.
func (w *writer) curl() error {
	if err := w.root.MkdirAll(bodiesDir, 0o755); err != nil {
		w.res.skip(w.events, err)
		return fmt.Errorf("create %s: %w", bodiesDir, err)
	}
	plan := make([]replayItem, 0, len(w.events))
	err := w.eachEvent(w.stageBody, func(ev *store.Event, f *eventFiles) error {
		item := replayItem{ev: ev}
		if f.body != nil {
			stem := bodiesDir + "/" + eventStem(ev, sidecarExt)
			name, err := f.body.publishFree(func(n int) string { return stem + copySuffix(n) + sidecarExt })
			if err != nil {
				return err
			}
			item.name = name
		}
		plan = append(plan, item)
		return nil
	})
	if err == nil {
		err = w.publishScript(plan)
	}
	if err != nil {
		for _, item := range plan {
			if item.name != "" {
				w.root.Remove(item.name)
			}
		}
		w.res.Skipped = nil
		w.res.skip(w.events, err)
	}
	return err
}

func (w *writer) stageBody(ev *store.Event) eventFiles {
	var f eventFiles
	if ev.Rejected() != "" {
		return f
	}
	if f.err = w.ctx.Err(); f.err != nil {
		return f
	}
	f.body, f.err = stage(w.root, 0o644, writeBody(ev))
	return f
}

func (w *writer) publishScript(plan []replayItem) error {
	st, err := stage(w.root, 0o755, func(f io.Writer) error {
		bw := bufio.NewWriter(f)
		if err := writeScript(w.ctx, bw, plan, w.opt); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	name, err := st.publishFree(func(n int) string { return numbered(scriptName, n) })
	if err != nil {
		return err
	}
	for _, item := range plan {
		if item.name == "" {
			w.res.Skipped = append(w.res.Skipped, Skipped{item.ev.Seq, "rejected by the receiver: no body to replay"})
			continue
		}
		w.wrote(item.name)
		w.res.Events++
	}
	w.wrote(name)
	return nil
}

// writeScript writes replay.sh. Nothing in it comes from a delivery
// unquoted: the bodies are files, header values are single-quoted (and
// dropped when they hold control characters), URLs are percent-encoded and
// quoted, and comments show only cleaned names. The secret is read from the
// environment when the script runs and never written.
func writeScript(ctx context.Context, out io.Writer, plan []replayItem, opt Options) error {
	version := opt.Version
	if version == "" {
		version = "dev"
	}
	preamble := scriptResign
	if opt.Verbatim {
		preamble = scriptVerbatim
	}
	header := fmt.Sprintf(scriptHead, len(plan), plural(len(plan), "delivery", "deliveries"), cleanPart(version))
	if _, err := io.WriteString(out, header+preamble+scriptCommon); err != nil {
		return err
	}
	for _, item := range plan {
		if err := ctx.Err(); err != nil {
			return err
		}
		command, err := sendCommand(item, opt)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(out, command); err != nil {
			return err
		}
	}
	_, err := io.WriteString(out, scriptTail)
	return err
}

// sendCommand is one event's lines of the script; the error is its
// headers' (see store.Event.Headers).
func sendCommand(item replayItem, opt Options) (string, error) {
	ev := item.ev
	var b strings.Builder
	fmt.Fprintf(&b, "\n# %06d %s %s: received %s, %s\n", ev.Seq, cleanPart(ev.EventType()), cleanPart(ev.Envelope.EventID),
		ev.ReceivedAt.UTC().Format(time.RFC3339), ev.Verification.Outcome)
	if item.name == "" {
		b.WriteString("# not sent: the receiver rejected it (" + cleanPart(ev.Rejected()) + ") and kept no body\n")
		return b.String(), nil
	}
	args, err := curlHeaders(ev, opt.Verbatim)
	if err != nil {
		return "", err
	}
	label := fmt.Sprintf("%06d %s", ev.Seq, cleanPart(ev.EventType()))
	fmt.Fprintf(&b, "send %s %s %s", shellQuote(label), shellQuote(targetURL(ev, opt)), shellQuote(item.name))
	if ev.Method != "POST" && isToken(ev.Method) {
		b.WriteString(" \\\n\t-X " + shellQuote(ev.Method))
	}
	for _, arg := range args {
		b.WriteString(" \\\n\t-H " + shellQuote(arg))
	}
	b.WriteByte('\n')
	return b.String(), nil
}

// targetURL is where the script sends ev unless $TARGET is set.
func targetURL(ev *store.Event, opt Options) string {
	if opt.TargetURL != "" {
		return escapeURL(opt.TargetURL)
	}
	// A raw '#' in a query would be taken for a fragment, which curl drops.
	return escapeURL("http://" + loopbackAddr(opt.Listen) + strings.ReplaceAll(requestURI(ev), "#", "%23"))
}

// escapeURL percent-encodes the bytes curl and the shell must not see raw:
// controls, spaces and everything outside ASCII.
func escapeURL(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// hopHeaders are the request headers curl must set itself, or that belong
// to the original connection rather than the delivery.
var hopHeaders = map[string]bool{
	"host": true, "content-length": true, "transfer-encoding": true, "connection": true,
	"keep-alive": true, "proxy-connection": true, "te": true, "trailer": true, "upgrade": true, "expect": true,
}

// curlHeaders are the -H arguments that send ev's headers: all of them but
// the connection's own, and, unless verbatim, the signature pair, which
// the script computes afresh. A header whose name is not an HTTP token or
// whose value holds control characters cannot be sent faithfully and is
// left out. The error is the headers' (see store.Event.Headers).
func curlHeaders(ev *store.Event, verbatim bool) ([]string, error) {
	headers, err := ev.Headers()
	if err != nil {
		return nil, fmt.Errorf("event %d: %w", ev.Seq, err)
	}
	var args []string
	hasType := false
	for _, h := range headers {
		name := strings.ToLower(h.Name)
		signing := name == extend.HeaderTimestamp || name == extend.HeaderSignature
		if hopHeaders[name] || signing && !verbatim || !isToken(h.Name) || hasControl(h.Value) {
			continue
		}
		hasType = hasType || name == "content-type"
		if h.Value == "" {
			args = append(args, h.Name+";") // curl's way to send an empty header
		} else {
			args = append(args, h.Name+": "+h.Value)
		}
	}
	if !hasType {
		args = append(args, "Content-Type:") // stop curl adding a form content type
	}
	return args, nil
}

// isToken reports whether s is an HTTP token (RFC 9110 tchar).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for _, c := range []byte(s) {
		if c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

// shellQuote single-quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

const scriptHead = `#!/bin/sh
# Replays %d webhook %s exported by extend-inspect %s.
#
`

const scriptResign = `# Each body is re-signed with $EXTEND_WEBHOOK_SECRET and the current time, so
# a receiver that verifies Extend's signatures accepts it. Each delivery goes
# to the address it was received at, or to $TARGET when set:
#
#   EXTEND_WEBHOOK_SECRET=wss_... TARGET=http://localhost:3000/webhooks sh replay.sh
#
# Needs curl and openssl. The bodies in bodies/ are sent byte for byte. While
# openssl runs, the secret is on its command line (local users can see it).
set -eu
me=replay.sh
if [ -z "${EXTEND_WEBHOOK_SECRET:-}" ]; then
	echo "$me: EXTEND_WEBHOOK_SECRET is not set: export your endpoint's signing secret (wss_...) to re-sign the deliveries" >&2
	exit 2
fi
for tool in curl openssl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "$me: $tool is needed but not installed" >&2; exit 2; }
done

# sign FILE TIMESTAMP prints Extend's signature: lowercase hex HMAC-SHA256,
# keyed with the secret, over "v0:TIMESTAMP:" and the exact bytes of FILE.
sign() {
	{ printf 'v0:%s:' "$2"; cat "$1"; } | openssl dgst -sha256 -hmac "$EXTEND_WEBHOOK_SECRET" | sed 's/^.*= *//'
}

# send LABEL URL FILE [CURL ARGS...] posts FILE, signed now.
send() {
	label=$1 url=${TARGET:-$2} file=$here/$3
	shift 3
	ts=$(date +%s)
	sig=$(sign "$file" "$ts")
	if [ ${#sig} -ne 64 ]; then
		echo "$me: openssl gave no signature for $label" >&2
		exit 1
	fi
	post "$@" -H "x-extend-request-timestamp: $ts" -H "x-extend-request-signature: $sig"
}
`

const scriptVerbatim = `# Each delivery is sent with its original x-extend-request-timestamp and
# x-extend-request-signature headers, so a receiver that checks the
# timestamp's age will find it stale. Each delivery goes to the address it
# was received at, or to $TARGET when set:
#
#   TARGET=http://localhost:3000/webhooks sh replay.sh
#
# Needs curl. The bodies in bodies/ are sent byte for byte.
set -eu
me=replay.sh
command -v curl >/dev/null 2>&1 || { echo "$me: curl is needed but not installed" >&2; exit 2; }

# send LABEL URL FILE [CURL ARGS...] posts FILE with the headers given.
send() {
	label=$1 url=${TARGET:-$2} file=$here/$3
	shift 3
	post "$@"
}
`

const scriptCommon = `
# post [CURL ARGS...] sends $file to $url and reports the answer.
post() {
	code=$(curl -sS --globoff -o /dev/null -w '%{http_code}' -H 'Expect:' "$@" --data-binary "@$file" "$url") || {
		echo "$me: could not send $label to $url: is it listening? (set TARGET to send elsewhere)" >&2
		exit 1
	}
	sent=$((sent + 1))
	echo "$label -> HTTP $code"
	case $code in 2??) ;; *) failed=$((failed + 1)) ;; esac
}

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
sent=0
failed=0
`

const scriptTail = `
if [ "$failed" -gt 0 ]; then
	echo "$me: $failed of $sent deliveries were not answered with 2xx" >&2
	exit 1
fi
echo "$me: sent $sent deliveries"
`

// CurlCommand is a shell command that sends ev once more to the receiver at
// listen (host:port), re-signed with $EXTEND_WEBHOOK_SECRET and the time it
// runs, like the curl script's lines. The body travels inline, single-quoted,
// so the command stands alone: a body holding control characters other than
// tab and line breaks, which a terminal must not be handed and a shell
// string cannot carry faithfully, is an error, as is a rejected delivery,
// which has no body; the curl export handles both.
func CurlCommand(ev *store.Event, listen string) (string, error) {
	if ev.Rejected() != "" {
		return "", fmt.Errorf("#%d was rejected by the receiver and has no body to send", ev.Seq)
	}
	body, err := ev.Body()
	if err != nil {
		return "", fmt.Errorf("#%d: %w", ev.Seq, err)
	}
	for _, c := range body {
		if c < ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return "", fmt.Errorf("#%d's body holds control bytes a shell command cannot carry: export it as a curl script", ev.Seq)
		}
	}
	args, err := curlHeaders(ev, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("body=" + shellQuote(string(body)) + "\n")
	b.WriteString("ts=$(date +%s)\n")
	b.WriteString(`sig=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$EXTEND_WEBHOOK_SECRET" | sed 's/^.*= *//')` + "\n")
	b.WriteString(`printf '%s' "$body" | curl -sS --globoff -H 'Expect:'`)
	if ev.Method != "POST" && isToken(ev.Method) {
		b.WriteString(" -X " + shellQuote(ev.Method))
	}
	for _, arg := range args {
		b.WriteString(" \\\n  -H " + shellQuote(arg))
	}
	b.WriteString(` \` + "\n" + `  -H "x-extend-request-timestamp: $ts" -H "x-extend-request-signature: $sig"`)
	b.WriteString(" \\\n  --data-binary @- " + shellQuote(targetURL(ev, Options{Listen: listen})) + "\n")
	return b.String(), nil
}
