package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"strconv"
)

// maxCopies bounds the numbered names tried when a name is taken: name,
// name-2, ..., name-999.
const maxCopies = 999

// staged is a complete, synced file under a temporary name in the target
// directory, waiting for its final name.
//
// Publishing hard-links the temporary file to the final name. A link is
// atomic, like a rename, but unlike a rename it fails when the name exists:
// readers see either no file or the whole file, and an existing file is
// never replaced, without a window between checking and writing. Where the
// filesystem has no hard links (FAT, some network mounts), publish falls
// back to creating the final name exclusively and copying into it, which
// still never overwrites but is no longer atomic; a failed copy is removed.
type staged struct {
	root *os.Root
	tmp  string
	perm os.FileMode
}

// stage writes a temporary file through fill and syncs it to disk. fill
// writes to the file directly: wrap it in a bufio.Writer for many small
// writes.
func stage(root *os.Root, perm os.FileMode, fill func(io.Writer) error) (*staged, error) {
	f, tmp, err := createTemp(root, perm)
	if err != nil {
		return nil, err
	}
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(tmp)
		return nil, err
	}
	return &staged{root: root, tmp: tmp, perm: perm}, nil
}

// createTemp creates a new hidden file with a random name. The permission
// is applied through the umask, as for any file a program creates.
func createTemp(root *os.Root, perm os.FileMode) (*os.File, string, error) {
	for range 100 {
		name := ".extend-inspect-" + strconv.FormatUint(rand.Uint64(), 36) + ".tmp"
		f, err := root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("create a temporary file: %w", err)
		}
		return f, name, nil
	}
	return nil, "", errors.New("create a temporary file: every name tried exists")
}

// link gives the staged file the name, or fails with fs.ErrExist when the
// name is taken. The temporary name stays until discard.
func (s *staged) link(name string) error {
	err := s.root.Link(s.tmp, name)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if cerr := s.copyTo(name); cerr != nil {
		return fmt.Errorf("%w (copying instead: %w)", err, cerr)
	}
	return nil
}

// copyTo is link's fallback: an exclusive create, a copy and a sync.
func (s *staged) copyTo(name string) (err error) {
	src, err := s.root.Open(s.tmp)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, s.perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.root.Remove(name)
	}
	return err
}

// discard removes the temporary name.
func (s *staged) discard() { s.root.Remove(s.tmp) }

// publishFree links the staged file to the first free name of names(1),
// names(2), ... and discards the temporary name.
func (s *staged) publishFree(names func(n int) string) (string, error) {
	defer s.discard()
	for n := 1; n <= maxCopies; n++ {
		name := names(n)
		err := s.link(name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("write %s: %w", name, err)
		}
		return name, nil
	}
	return "", fmt.Errorf("%s and %d numbered copies of it already exist: choose another directory", names(1), maxCopies-1)
}
