//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package session

import "os"

// mapFile maps nothing where mmap is not at hand: bodies are read with
// ReadAt (see fileBodies).
func mapFile(*os.File, int64) []byte { return nil }

func unmap([]byte) {}
