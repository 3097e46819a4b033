package services

import (
	"crypto/sha1"
	"strings"
	"testing"
)

func TestSHA1MatchesCryptoSHA1(t *testing.T) {
	for _, n := range []int{0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 1000} {
		msg := []byte(strings.Repeat("abcdefghij", 101)[:n])
		if got, want := sha1Sum(msg), sha1.Sum(msg); got != want {
			t.Errorf("len %d: %x, want %x", n, got, want)
		}
	}
}
