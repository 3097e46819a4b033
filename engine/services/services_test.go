package services

import (
	"sort"
	"testing"
)

// TestHandlersSortedByName checks the order register keeps: every catalog
// entry once, by name.
func TestHandlersSortedByName(t *testing.T) {
	hs := Handlers()
	if len(hs) != len(catalog) {
		t.Fatalf("Handlers lists %d entries, the catalog has %d", len(hs), len(catalog))
	}
	if !sort.SliceIsSorted(hs, func(i, j int) bool { return hs[i].Name < hs[j].Name }) {
		var names []string
		for _, h := range hs {
			names = append(names, h.Name)
		}
		t.Errorf("Handlers is not sorted by name: %q", names)
	}
	for i, h := range hs {
		if i > 0 && hs[i-1].Name == h.Name {
			t.Errorf("%s listed twice", h.Name)
		}
		if c, ok := catalog[h.Name]; !ok || c.Description != h.Description {
			t.Errorf("%s: not the catalog's entry", h.Name)
		}
	}
	hs[0].Name = "changed"
	if Handlers()[0].Name == "changed" {
		t.Error("Handlers returns the catalog's own slice")
	}
}
