# connlab — see README.md.
#
#   make run     the main job (today: the CLI on the built-in demo session)
#   make test    every test: gofmt, go vet, go test, the engine's tests under
#                js/wasm with node, and a short run of every fuzz target
#   make bench   engine vs net/http, trace off and on, allocations per request
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
FUZZ_TARGETS = \
	./engine/h1:FuzzParseRequest \
	./engine/h1:FuzzChunkedDecoder \
	./engine/h1:FuzzParseResponse \
	./engine/session:FuzzSession \
	./engine/session:FuzzWSFrames \
	./engine/session:FuzzParseProgram
FUZZTIME ?= 8s

# Upper bound for one `go test` run of the unit tests.
TEST_TIMEOUT ?= 10m

BIN = bin

.PHONY: run build test fmt-check vet unit test-wasm node-check fuzz bench clean

# For now `make run` runs the CLI on its built-in demo session (a pipelined
# keep-alive exchange) and prints the human transcript. Once the browser
# sandbox lands it will build the site and serve it locally (the Worker's
# handler plus a file server) instead.
run:
	$(GO) run ./engine/cmd/connlab demo --text

build:
	@mkdir -p $(BIN)
	$(GO) build -trimpath -o $(BIN)/connlab ./engine/cmd/connlab

test: fmt-check vet unit test-wasm fuzz

fmt-check:
	@files="$$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -not -path '*/testdata/*' -print0 | xargs -0 -r $(GOFMT) -l)"; \
	if [ -n "$$files" ]; then \
		echo "gofmt: these files are not formatted (run: $(GOFMT) -w <file>):"; \
		echo "$$files"; \
		exit 1; \
	fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

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
		$(GO) test -count=1 -run '^$$' -fuzz "^$$name\$$" -fuzztime=$(FUZZTIME) "$$pkg"; \
	done

# Pipelined tiny GETs in batches of 16 through the engine (trace off and on)
# and through net/http over an in-memory connection, in one run; then every
# Go benchmark in the engine with allocations.
bench:
	CONNLAB_BENCH=1 $(GO) test -count=1 -run '^TestBenchCompare$$' -v ./engine/session/
	CONNLAB_BENCH=1 $(GO) test -count=1 -run '^TestTimelineBudgets$$' -v ./engine/session/
	$(GO) test -run '^$$' -bench . -benchmem ./engine/...

clean:
	rm -rf $(BIN) dist site/dist
