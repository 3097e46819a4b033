package ui

import (
	"regexp"
	"testing"
)

// TestDiagramEdgesDoNotOverlap: no two transitions of a machine start or
// end at the same point, so arrows and arrowheads never lie on each other.
func TestDiagramEdgesDoNotOverlap(t *testing.T) {
	re := regexp.MustCompile(`<path class="e" data-edge="([^"]*)" d="M([0-9.,-]+) Q[0-9.,-]+ ([0-9.,-]+)"`)
	for _, m := range Machines() {
		svg := m.SVG("", "", "")
		ends := map[string]string{}
		edges := re.FindAllStringSubmatch(svg, -1)
		if len(edges) != len(m.Edges) {
			t.Fatalf("%s: %d edges drawn, %d in the table", m.Title, len(edges), len(m.Edges))
		}
		for _, e := range edges {
			for _, p := range []string{e[2], e[3]} {
				if other, ok := ends[p]; ok {
					t.Errorf("%s: %s and %s share the point %s", m.Title, other, e[1], p)
				}
				ends[p] = e[1]
			}
		}
	}
}
