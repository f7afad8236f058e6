package export

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// The shared fixtures, under the names these tests use.
const testSecret = storetest.Secret

var (
	delivery = storetest.Delivery
	envelope = storetest.Envelope
	variety  = storetest.Variety
)

// export writes events and fails the test on error.
func export(t *testing.T, events []*store.Event, opt Options) Result {
	t.Helper()
	if opt.Dir == "" {
		opt.Dir = filepath.Join(t.TempDir(), "out")
	}
	res, err := Write(context.Background(), events, opt)
	if err != nil {
		t.Fatalf("Write: %v (result %+v)", err, res)
	}
	return res
}

// onlyFile returns the single file of res whose name ends with suffix.
func onlyFile(t *testing.T, res Result, suffix string) string {
	t.Helper()
	var found []string
	for _, f := range res.Files {
		if strings.HasSuffix(f, suffix) {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		t.Fatalf("files ending %q: %v", suffix, res.Files)
	}
	return found[0]
}

// listDir returns the names in dir, failing the test on error.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

func storeHeader(name, value string) store.Header { return store.Header{Name: name, Value: value} }
