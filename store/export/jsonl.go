package export

import (
	"context"
	"io"

	"github.com/extend-inspect/extend-inspect/store"
)

// writeJSONL writes one store.Record per line: exactly the lines `tail`
// prints and `--record` appends.
func writeJSONL(ctx context.Context, out io.Writer, events []*store.Event, opt Options) error {
	for i, ev := range events {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := ev.MarshalLine()
		if err != nil {
			return err
		}
		if _, err := out.Write(line); err != nil {
			return err
		}
		report(opt, i, len(events))
	}
	return nil
}

// report tells opt.Progress that events[i] of total is done.
func report(opt Options, i, total int) {
	if opt.Progress != nil {
		opt.Progress(i+1, total)
	}
}
