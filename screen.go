package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// runScreen opens the inspector screen. Until the screen lands, it says so
// and points at tail; the screen's engineer replaces this file (see the
// package comment in main.go for what runScreen is given).
func runScreen(_ *cobra.Command, _ *options) error {
	return errors.New("the inspector screen is not built yet; use `extend-inspect tail`")
}
