//go:build !linux

package ui

// lowerThisThread does nothing where niceness is not per thread.
func lowerThisThread() {}
