package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/extend-inspect/extend-inspect/session"
	"github.com/extend-inspect/extend-inspect/store"
)

// addRecordFlag registers --record on a command that receives deliveries.
func addRecordFlag(fs *pflag.FlagSet, path *string) {
	fs.StringVar(path, "record", "", "append every delivery, as it is stored, to the JSONL session `FILE` (reopen it with extend-inspect open)")
}

// recording is a --record in progress; nil when the flag was not given.
// Its Unrecorded counts what it could not write, for the screen's footer.
type recording struct{ *session.Recording }

// startRecording starts recording st to path, warning on warn; an empty
// path records nothing and returns a nil *recording, whose stop is a no-op.
func startRecording(st *store.Store, path string, warn io.Writer) (*recording, error) {
	if path == "" {
		return nil, nil
	}
	rec, err := session.StartRecording(st, path, warn)
	if err != nil {
		return nil, fmt.Errorf("--record: %w", err)
	}
	return &recording{rec}, nil
}

// stop writes what is left and closes the file.
func (r *recording) stop() error {
	if r == nil {
		return nil
	}
	if err := r.Stop(); err != nil {
		return fmt.Errorf("--record: %w", err)
	}
	return nil
}
