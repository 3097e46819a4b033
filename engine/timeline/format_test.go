package timeline

import (
	"fmt"
	"testing"
)

// padRight stands in for a fmt verb; this pins it to fmt.
func TestPadRightMatchesFmt(t *testing.T) {
	for _, s := range []string{"", "a", "span", "transition", "keep_alive_x", "client conn", "é→ü", "\xff\xfe", "longer than eleven"} {
		for _, w := range []int{0, 3, 4, 11, 12} {
			if got, want := padRight(s, w), fmt.Sprintf("%-*s", w, s); got != want {
				t.Errorf("padRight(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}
