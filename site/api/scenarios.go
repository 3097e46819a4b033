package api

import (
	"fmt"
	"strings"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/site/internal/httpx"
)

// Scenarios is /api/scenarios' answer: the engine's scenario library, in
// its order. Each scenario's session is a session file for /api/run.
type Scenarios struct {
	Scenarios []scenarios.Scenario `json:"scenarios"`
}

func scenarioList() Scenarios {
	return Scenarios{Scenarios: scenarios.Library()}
}

// scenario answers /api/scenarios/NAME: one scenario, or a 404 naming the
// ones there are.
func scenario(w httpx.ResponseWriter, r *httpx.Request, name string) {
	sc, ok := scenarios.Lookup(name)
	if !ok {
		var names []string
		for _, s := range scenarios.Library() {
			names = append(names, s.Name)
		}
		writeError(w, r, httpx.StatusNotFound, Error{Code: CodeNotFound,
			Message: fmt.Sprintf("no scenario %q: the library has %s", name, strings.Join(names, ", "))})
		return
	}
	writeJSON(w, r, httpx.StatusOK, "no-cache", sc)
}
