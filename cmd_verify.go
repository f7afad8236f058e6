package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/extend-inspect/extend-inspect/extend"
)

func newVerifyCmd(opts *options) *cobra.Command {
	var timestamp, signature, bodyFile string
	cmd := &cobra.Command{
		Use:   "verify --secret S --timestamp T --signature X [FILE|-]",
		Short: "Check the signature of a captured delivery",
		Long: `verify checks a delivery you captured elsewhere, offline: the body (FILE or
--body-file FILE, or stdin when FILE is - or missing, read byte for byte)
against the values of its x-extend-request-timestamp and
x-extend-request-signature headers.

It prints the outcome the receiver would give (verified, invalid, stale,
malformed, missing or unchecked) on stdout and the reason on stderr, and
exits 0 only for verified. --tolerance 0 (or --max-age 0, as Extend's CLI
says it) turns the age check off, for old captures. The secret comes from
--secret or $` + envSecret + `.`,
		Example: `  extend-inspect verify --timestamp 1783946100 --signature 3c2d…f6b4 \
    --max-age 0 --body-file body.json
  pbpaste | extend-inspect verify --secret "$SECRET" --timestamp "$TS" \
    --signature "$SIG"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError(fmt.Errorf("verify checks one body: got %d files (see --help)", len(args)))
			}
			if len(args) == 1 && bodyFile != "" {
				return usageError(fmt.Errorf("verify checks one body: got --body-file and %q", args[0]))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if bodyFile != "" {
				args = []string{bodyFile}
			}
			body, err := readCapture(args, cmd.InOrStdin())
			if err != nil {
				return err
			}
			v := extend.Verifier{Secret: opts.secret.value(), MaxAge: time.Duration(opts.tolerance), MaxFuture: extend.DefaultMaxFuture}
			check := v.Verify(strings.TrimSpace(timestamp), strings.TrimSpace(signature), body, time.Now())
			fmt.Fprintln(cmd.OutOrStdout(), check.Outcome)
			if check.Outcome == extend.Verified {
				return nil
			}
			return &exitError{code: 1, err: errors.New(verifyAdvice(check))}
		},
	}
	fs := cmd.Flags()
	opts.addSecret(fs)
	opts.addTolerance(fs)
	fs.StringVar(&timestamp, "timestamp", "", "the x-extend-request-timestamp header's `VALUE`")
	fs.StringVar(&signature, "signature", "", "the x-extend-request-signature header's `VALUE`")
	fs.StringVar(&bodyFile, "body-file", "", "the body to check, from `FILE` (- for stdin)")
	// The names Extend's CLI gives these.
	aliasFlags(cmd, true, map[string]string{"max-age": "tolerance"})
	return cmd
}

// readCapture reads the body to check: the named file, or stdin for "-" or
// no name. A terminal on stdin would wait for typing, so it is refused.
func readCapture(args []string, stdin io.Reader) ([]byte, error) {
	if len(args) == 1 && args[0] != "-" {
		b, err := os.ReadFile(args[0])
		if err != nil {
			return nil, usageError(err)
		}
		return b, nil
	}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return nil, usageError(errors.New("give the body as FILE, or pipe it on stdin"))
		}
	}
	b, err := io.ReadAll(stdin)
	if err != nil {
		return nil, fmt.Errorf("read the body from stdin: %w", err)
	}
	return b, nil
}

// verifyAdvice is the reason, with what to do about it where that is not
// obvious.
func verifyAdvice(c extend.Check) string {
	switch c.Outcome {
	case extend.Unchecked:
		return c.Reason + ": pass --secret or set " + envSecret
	case extend.Stale:
		if strings.HasPrefix(c.Reason, "clock skew") {
			return c.Reason // it says what to do already
		}
		return c.Reason + " (an old capture? --tolerance 0 turns the age check off)"
	case extend.Invalid:
		return c.Reason + ": the secret is not the endpoint's, or the body is not the exact bytes received"
	}
	return c.Reason
}
