# connlab — see README.md.
#
#   make run     the main job (today: the CLI on the built-in demo session)
#   make test    every test: gofmt, go vet, go test, the engine's tests under
#                js/wasm with node, and a short run of every fuzz target
#   make bench   engine vs net/http (and hyper 1.x with HYPER1_ORACLE), trace off and on, allocations per request
#   make pgo     record the profile that make build and make bench optimise with
#
# Nothing here installs Go tools: the go command fetches modules itself. The
# only system dependency beyond Go is Node.js for the js/wasm test run (see
# node-check).

GO ?= go

# gofmt from the same toolchain as $(GO), so the check agrees with the compiler.
GOROOT_DIR = $(shell $(GO) env GOROOT)
GOFMT ?= $(GOROOT_DIR)/bin/gofmt

# The exec wrapper that runs a js/wasm test binary under node. Since Go 1.24 it
# lives in $GOROOT/lib/wasm (it used to be in misc/wasm).
WASM_EXEC = $(GOROOT_DIR)/lib/wasm/go_js_wasm_exec

# Packages whose tests also run under GOOS=js GOARCH=wasm. The whole engine is
# pure Go, so all of it; exclude a package here (with a comment saying why) only
# if its tests cannot run under js/wasm.
WASM_PKGS = ./engine/...

# Fuzz targets, one package:Target per line; adding a target is one line.
# `make test` runs each for FUZZTIME; `make fuzz FUZZTIME=5m` runs them longer.
# A listed target that does not exist is an error, so none is skipped silently.
# A run that fails only with Go's -fuzztime shutdown race (a bare "context
# deadline exceeded", no failing input written; golang/go#51484) runs once more.
FUZZ_TARGETS = \
	./engine/h1:FuzzParseRequest \
	./engine/h1:FuzzChunkedDecoder \
	./engine/h1:FuzzParseResponse \
	./engine/h1:FuzzClientConn \
	./engine/h1:FuzzAppendDate \
	./engine/jsontext:FuzzRead \
	./engine/jsontext:FuzzWrite \
	./engine/session:FuzzFileJSON \
	./engine/session:FuzzSession \
	./engine/session:FuzzServiceProgramRun \
	./engine/services:FuzzWSFrames \
	./engine/program:FuzzParseProgram \
	./engine/scenarios:FuzzCitations \
	./engine/program:FuzzParseServiceProgram \
	./wasm/ui:FuzzInputRoundTrip \
	./wasm/ui:FuzzDissect \
	./wasm/ui:FuzzDataText
FUZZTIME ?= 6s

# Upper bound for one `go test` run of the unit tests.
TEST_TIMEOUT ?= 10m

BIN = bin

.PHONY: run build test fmt-check vet unit test-wasm node-check fuzz bench pgo test-hyper1-export clean

# `make run` builds the site (make site) and serves it locally with the
# Worker's API: site/cmd/serve, the same handler as the Cloudflare Worker
# plus a file server with the edge's headers. Ctrl-C stops it.
# ADDR=127.0.0.1:9000 make run serves elsewhere.
run: site
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/serve ./site/cmd/serve
	$(BIN)/serve -addr $(ADDR) -dir $(SITE_DIST)

build:
	@mkdir -p $(BIN)
	$(GO) build -trimpath -o $(BIN)/connlab ./engine/cmd/connlab

test: fmt-check vet unit test-wasm fuzz test-worker test-browser test-docs

fmt-check:
	@files="$$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -not -path '*/testdata/*' -print0 | xargs -0 -r $(GOFMT) -l)"; \
	if [ -n "$$files" ]; then \
		echo "gofmt: these files are not formatted (run: $(GOFMT) -w <file>):"; \
		echo "$$files"; \
		exit 1; \
	fi

# The Worker builds site/ for js/wasm: vet that build too, tests included,
# so a test that only compiles natively is caught here, not by a reader.
vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./site/...

# The workerd end-to-end test runs once, in test-worker (after npm ci and
# node-check), not also here.
unit:
	CONNLAB_SKIP_WORKERD=1 $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

test-wasm: node-check
	GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout $(TEST_TIMEOUT) -exec="$(WASM_EXEC)" $(WASM_PKGS)

# go_js_wasm_exec runs `node`. On a fresh Debian/Ubuntu machine install it with
# apt-get when we can (root, or password-less sudo); otherwise stop with a
# message that says what to install.
node-check:
	@if [ ! -x "$(WASM_EXEC)" ]; then \
		echo "error: $(WASM_EXEC) not found; is $(GO) a complete Go toolchain (1.24 or later)?"; \
		exit 1; \
	fi
	@if ! command -v node >/dev/null 2>&1; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "node not found: installing nodejs with apt-get"; \
			apt-get update && apt-get install -y nodejs; \
		elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
			echo "node not found: installing nodejs with sudo apt-get"; \
			sudo apt-get update && sudo apt-get install -y nodejs; \
		else \
			echo "error: node (Node.js; tested with Node 20) is required to run the js/wasm tests;"; \
			echo "       install it (e.g. apt-get install -y nodejs) and re-run make."; \
			exit 1; \
		fi; \
	fi
	@echo "node $$(node --version) at $$(command -v node)"

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		if ! list="$$($(GO) test -list "^$$name\$$" "$$pkg" 2>&1)"; then \
			echo "$$list"; exit 1; \
		fi; \
		if ! printf '%s\n' "$$list" | grep -qx "$$name"; then \
			echo "error: fuzz target $$name not found in $$pkg (listed in FUZZ_TARGETS in the Makefile)"; \
			exit 1; \
		fi; \
		echo "$(GO) test -run '^\$$' -fuzz '^$$name\$$' -fuzztime=$(FUZZTIME) $$pkg"; \
		for try in 1 2; do \
			if out="$$($(GO) test -count=1 -run '^$$' -fuzz "^$$name\$$" -fuzztime=$(FUZZTIME) "$$pkg" 2>&1)"; then \
				printf '%s\n' "$$out" | tail -n 3; break; \
			fi; \
			printf '%s\n' "$$out"; \
			if [ $$try = 1 ] && printf '%s\n' "$$out" | grep -qx '    context deadline exceeded' && \
				! printf '%s\n' "$$out" | grep -q 'Failing input written'; then \
				echo "fuzz: $$name stopped on Go's -fuzztime shutdown race (golang/go#51484: no failing input was found); running it again"; \
				continue; \
			fi; \
			exit 1; \
		done; \
	done

# Pipelined tiny GETs in batches of 16 through the engine (trace off and on)
# and through net/http over an in-memory connection, in one run, and through
# real hyper 1.x when HYPER1_ORACLE names the binary built from
# ../shared/tools/hyper1-oracle (its bench mode; default: that folder's
# target/release/hyper1-oracle when it exists): engine and hyper alternate,
# CONNLAB_BENCH_ROUNDS times (5), and the median ratio is printed (issue 19).
# Then every Go benchmark in the engine with allocations.
# TestBenchHeadByteByByte times 100 KB and 400 KB request heads read one byte
# per read (issue 14).
HYPER1_ORACLE ?= $(wildcard $(CURDIR)/../shared/tools/hyper1-oracle/target/release/hyper1-oracle)

# Profile-guided optimisation: engine/cmd/connlab/default.pgo is a CPU
# profile of the pipelined benchmarks (trace off and on). `go build` of
# connlab (make build) picks it up by itself (-pgo=auto: default.pgo in the
# main package's folder); `go test` does not, so the benchmarks below name
# it, and measure the engine as the connlab binary runs it. About 10% fewer
# instructions per request (callgrind). `make pgo` records it again after
# the engine changed much. The browser's wasm is built without it (PGO
# inlines more: a bigger download).
PGO_PROFILE = $(CURDIR)/engine/cmd/connlab/default.pgo

bench:
	CONNLAB_BENCH=1 HYPER1_ORACLE='$(HYPER1_ORACLE)' $(GO) test -pgo='$(PGO_PROFILE)' -count=1 -run '^TestBenchCompare$$' -v ./engine/session/
	CONNLAB_BENCH=1 $(GO) test -count=1 -run '^TestBenchHeadByteByByte$$' -v ./engine/session/
	CONNLAB_BENCH=1 $(GO) test -count=1 -run '^TestTimelineBudgets$$' -v ./engine/timeline/
	$(GO) test -pgo='$(PGO_PROFILE)' -run '^$$' -bench . -benchmem ./engine/...
	$(MAKE) --no-print-directory bench-worker
	-$(MAKE) --no-print-directory bench-browser

# pgo records engine/cmd/connlab/default.pgo again: a CPU profile of
# BenchmarkHelloPipelined16 and its traced twin, 4 s each.
pgo:
	tmp=$$(mktemp -d) && \
	$(GO) test -count=1 -run '^$$' -bench '^BenchmarkHelloPipelined16(Trace)?$$' -benchtime=4s \
		-cpuprofile '$(PGO_PROFILE)' -o $$tmp/session.test ./engine/session/ && rm -rf $$tmp

# Every scenario session exported as a Rust test (connlab export --rust) and
# run against real hyper 1.x, built offline from the oracle's vendored crates:
# HYPER1_ORACLE_SRC is the oracle's folder after its build.sh (default: the
# folder of HYPER1_ORACLE). Needs cargo; `make test` does not run it.
HYPER1_ORACLE_SRC ?= $(patsubst %/target/release/hyper1-oracle,%,$(HYPER1_ORACLE))

test-hyper1-export:
	HYPER1_ORACLE_SRC='$(HYPER1_ORACLE_SRC)' $(GO) test -count=1 -run '^TestHyper1Replay$$' -v ./engine/rustgen/

clean:
	rm -rf $(BIN) dist site/dist

# ---- Cloudflare Worker ---------------------------------------------------
# site/cmd/worker is the Go Worker (standard Go compiler, js/wasm, with our
# JavaScript shim in site/cmd/worker/js, which keeps one Go instance across
# requests) serving the API of site/api; Cloudflare's static assets
# serve site/dist with the headers of site/api/headers.go (as _headers).
# wrangler (pinned in site/package.json) runs it locally in workerd.
#
#   make worker        the Worker (site/build/worker) and the site it serves
#                      (site/dist, with _headers and .assetsignore)
#   make dev-worker    wrangler dev on 127.0.0.1:$(WORKER_PORT), offline
#   make test-worker   npm ci, then the shim's tests in Node and the workerd
#                      end-to-end test
#   make bench-worker  the Worker's size, /api/run's wall time (p50, p99,
#                      req/s, from 1 client and from 8; where the time goes)
#                      and workerd's memory over 20 000 /api/run requests
#   make leakrepro-worker  the same memory measurement for a plain JS Worker
#                      and a minimal Go one (testdata/leakrepro)

SITE_DIST = site/dist
WORKER_BUILD = site/build/worker
WORKER_GOFLAGS = -trimpath -ldflags='-s -w'
WORKER_GZIP_LIMIT = 3145728
ADDR ?= 127.0.0.1:8080
WORKER_PORT ?= 8787
# wrangler without telemetry or calls to Cloudflare during local runs
WRANGLER_ENV = WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
NODE_DEPS = site/node_modules/.package-lock.json

# site (make site) is the browser app's target; phony here too, since a
# directory of that name exists.
.PHONY: site worker worker-wasm worker-assets dev-worker test-worker bench-worker leakrepro-worker npm-check clean-worker

worker: worker-wasm worker-assets

# The Worker: our JavaScript shim (site/cmd/worker/js: worker.mjs, the
# entry point, and edge.mjs, which keeps one Go instance across requests),
# the Go toolchain's own wasm_exec.js, and the Go program as app.wasm.
worker-wasm:
	@mkdir -p $(WORKER_BUILD)
	rm -f $(WORKER_BUILD)/runtime.mjs
	cp site/cmd/worker/js/worker.mjs site/cmd/worker/js/edge.mjs "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(WORKER_BUILD)/
	GOOS=js GOARCH=wasm $(GO) build $(WORKER_GOFLAGS) -o $(WORKER_BUILD)/app.wasm ./site/cmd/worker
	@raw=$$(wc -c < $(WORKER_BUILD)/app.wasm); gz=$$(gzip -c $(WORKER_BUILD)/app.wasm | wc -c); \
	echo "worker: $(WORKER_BUILD)/app.wasm $$raw bytes, $$gz gzipped (limit $(WORKER_GZIP_LIMIT))"; \
	if [ $$gz -gt $(WORKER_GZIP_LIMIT) ]; then echo "error: the Worker is over the free plan's 3 MB (gzip)"; exit 1; fi

# The site as the edge serves it: make site and make docs (in that order:
# site rebuilds site/dist from scratch), plus the _headers and .assetsignore
# that carry site/api's header policy to Cloudflare, and the _redirects
# that make the app's routes (/embed) the app's page there.
worker-assets:
	$(MAKE) --no-print-directory site
	$(MAKE) --no-print-directory docs
	@tmp=$$(mktemp) && $(GO) run ./site/cmd/serve -dir $(SITE_DIST) -print-headers > $$tmp && \
		chmod 644 $$tmp && mv $$tmp $(SITE_DIST)/_headers || { rm -f $$tmp; exit 1; }
	$(GO) run ./site/cmd/serve -dir $(SITE_DIST) -print-redirects > $(SITE_DIST)/_redirects
	$(GO) run ./site/cmd/serve -print-assetsignore > $(SITE_DIST)/.assetsignore
	@echo "worker: wrote $(SITE_DIST)/_headers, $(SITE_DIST)/_redirects and $(SITE_DIST)/.assetsignore"

dev-worker: worker $(NODE_DEPS)
	cd site && $(WRANGLER_ENV) ./node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port $(WORKER_PORT) --show-interactive-dev-session=false

# The end-to-end test builds its own Worker and fixtures in a temporary
# directory; it also runs (once more) in `go test ./...`.
test-worker: $(NODE_DEPS)
	CONNLAB_REQUIRE_WORKERD=1 $(GO) test -count=1 -timeout 5m -run '^(TestEdgeShim|TestWorkerd)$$' ./site/cmd/worker/

# bench-worker also measures workerd's memory over 20 000 /api/run requests
# (8 clients; RSS every 1 000; at most 600 s: CONNLAB_MEM_REQUESTS and
# CONNLAB_MEM_SECONDS change the bounds), under wrangler dev and in
# `workerd serve` alone (with a plain JavaScript Worker for the floor).
# leakrepro-worker measures the same for the two minimal workers of
# site/cmd/worker/testdata/leakrepro (plain JavaScript, and Go on
# syumai/workers), to tell wrangler dev's own growth from ours.
bench-worker: $(NODE_DEPS)
	CONNLAB_BENCH=1 CONNLAB_REQUIRE_WORKERD=1 $(GO) test -count=1 -timeout 25m -run '^(TestWorkerdBench|TestWorkerdMemory|TestWorkerdPlainMemory)$$' -v ./site/cmd/worker/

leakrepro-worker: $(NODE_DEPS)
	CONNLAB_LEAKREPRO=1 CONNLAB_REQUIRE_WORKERD=1 $(GO) test -count=1 -timeout 40m -run '^TestWorkerdLeakRepro$$' -v ./site/cmd/worker/

# wrangler and workerd, exactly as site/package-lock.json pins them.
$(NODE_DEPS): site/package.json site/package-lock.json | node-check npm-check
	npm ci --prefix site --no-audit --no-fund

npm-check:
	@command -v npm >/dev/null 2>&1 || { \
		echo "error: npm is required for the Worker (wrangler, workerd); install it (e.g. apt-get install -y npm)"; \
		exit 1; }

clean-worker:
	rm -rf $(WORKER_BUILD) site/node_modules site/.wrangler
	rmdir site/build 2>/dev/null || true

# ---- Docs ----------------------------------------------------------------
# site/docs holds the documentation's page sources (html/template, in the
# reading order of site/docs/toc.json); site/cmd/docsgen renders them into
# site/dist/docs. Every live sandbox on a page is declared with a scenario,
# a breakpoint and the facts its paragraph states; the generator runs the
# scenario in the engine, finds the step, and fails the build (naming the
# page and the sandbox) if a stated fact is false there.
#
#   make docs        render the docs into site/dist/docs, and each sandbox,
#                    pre-rendered from the engine's own first render, into
#                    site/dist/embed/docs (site/cmd/docsgen/prerender.go);
#                    run it after `make site`, which rebuilds site/dist from
#                    scratch (the pre-renders must come from the same tree
#                    as the wasm that takes them over)
#   make test-docs   build the site and the docs, then the docs' tests: the
#                    generator's unit tests and the browser test (headless
#                    Chromium: every page without console errors, every
#                    sandbox at its step showing the stated fields, every
#                    link, and an embed from another origin)

DOCS_SRC = site/docs
DOCS_OUT = site/dist/docs
DOCS_TEST_TIMEOUT ?= 15m

.PHONY: docs test-docs

docs:
	$(GO) run ./site/cmd/docsgen -src $(DOCS_SRC) -out $(DOCS_OUT)

# the browser tests inject axe-core from site/node_modules (npm ci)
test-docs: browser-chromium-check $(NODE_DEPS)
	$(MAKE) --no-print-directory site
	CONNLAB_BROWSER=1 $(GO) test -count=1 -timeout $(DOCS_TEST_TIMEOUT) ./site/cmd/docsgen/


# ---- Browser sandbox -----------------------------------------------------
# wasm/ is the browser app: a pure model (wasm/ui, tested natively, no build
# tags) and one thin DOM adapter (wasm/*.go, js/wasm only, dom/v2);
# site/static holds the page (index.html, CSS, the loader connlab.js, icon).
#
#   make site            build it into site/dist (git-ignored, rebuilt from
#                        scratch): connlab.<hash>.wasm with .gz and .br
#                        beside it, wasm_exec.js from GOROOT, index.html,
#                        manifest.json (wasm/cmd/buildsite)
#   make test-browser    the end-to-end tests (wasm/browser) in headless
#                        Chromium driven by chromedp from go test; installs
#                        Debian's chromium when missing (as root), builds the
#                        site, vets the js/wasm code, saves screenshots under
#                        screenshots/ (git-ignored)
#   make bench-browser   the sandbox's budgets, one JSON line each: the
#                        wasm's size with brotli, navigation-to-ready against
#                        a minimal Go wasm page built in the same run, and a
#                        step plus re-render on a 10 000-event timeline (p95);
#                        and a million events (TestBrowserMillionBudgets):
#                        the timeline alone in the browser's wasm
#                        (wasm/cmd/tlbench: bytes per event, step back, jump,
#                        fork, the run in slices) and the page itself;
#                        then the docs' (site/cmd/docsgen, TestDocsSandboxBench):
#                        a page with five sandboxes, pre-rendered and as five
#                        live frames, navigation to all ready against the app
#                        page, a first step, and memory against one sandbox's

BROWSER_CHROMIUM = /usr/bin/chromium
BROWSER_TEST_TIMEOUT ?= 10m

.PHONY: test-browser bench-browser browser-chromium-check

site:
	$(GO) run ./wasm/cmd/buildsite -go $(GO) -out $(SITE_DIST) -static site/static
	$(MAKE) --no-print-directory docs

test-browser: browser-chromium-check site $(NODE_DEPS)
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	CONNLAB_BROWSER=1 $(GO) test -count=1 -timeout $(BROWSER_TEST_TIMEOUT) ./wasm/...

bench-browser: browser-chromium-check site
	CONNLAB_BROWSER=1 CONNLAB_BENCH=1 $(GO) test -count=1 -timeout $(BROWSER_TEST_TIMEOUT) -run '^(TestBrowserBudgets|TestBrowserMillionBudgets)$$' -v ./wasm/browser/
	CONNLAB_BROWSER=1 CONNLAB_BENCH=1 $(GO) test -count=1 -timeout $(BROWSER_TEST_TIMEOUT) -run '^TestDocsSandboxBench$$' -v ./site/cmd/docsgen/

# The tests drive Debian's chromium. Install it with apt-get when we can
# (root); otherwise stop with a message that says what to install.
browser-chromium-check:
	@if [ ! -x "$(BROWSER_CHROMIUM)" ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "$(BROWSER_CHROMIUM) not found: installing chromium with apt-get"; \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "error: the browser tests need Debian's chromium at $(BROWSER_CHROMIUM);"; \
			echo "       install it (apt-get install -y chromium, as root) and re-run make."; \
			exit 1; \
		fi; \
	fi
