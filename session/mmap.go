//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package session

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only and shared, so that the
// pages are the file's own in the page cache and cost the heap nothing; it
// returns nil when they cannot be mapped (an empty file, an address space
// too small for it), and the bodies are then read with ReadAt.
func mapFile(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return b
}

func unmap(b []byte) {
	if b != nil {
		syscall.Munmap(b)
	}
}
