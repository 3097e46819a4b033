package api

import (
	"fmt"
	"strings"
	"sync"

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

// scenarioListJSON is /api/scenarios' body, encoded on the first request
// and kept: the library is fixed for the life of the program.
var scenarioListJSON = sync.OnceValues(func() ([]byte, error) { return encodeJSON(scenarioList()) })

// scenarioListAnswer answers /api/scenarios.
func scenarioListAnswer(w httpx.ResponseWriter, r *httpx.Request) {
	b, err := scenarioListJSON()
	if err != nil {
		writeError(w, r, httpx.StatusInternalServerError, Error{Code: CodeInternal, Message: "encoding the response: " + err.Error()})
		return
	}
	writeBody(w, r, httpx.StatusOK, "application/json", "no-cache", b)
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
