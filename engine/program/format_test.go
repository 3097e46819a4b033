package program

import (
	"fmt"
	"testing"
)

// hexUpper stands in for a fmt verb; this pins it to fmt.
func TestHexUpperMatchesFmt(t *testing.T) {
	for c := 0; c < 256; c++ {
		if got, want := hexUpper(byte(c)), fmt.Sprintf("%02X", byte(c)); got != want {
			t.Errorf("hexUpper(%d) = %q, want %q", c, got, want)
		}
	}
}
