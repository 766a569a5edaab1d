# Every routine task has a target here and an npm script; the README names the two that matter: `make up`, `make test`.
SHELL := /bin/bash
NPM ?= npm
JEST_ARGS ?=
# No "Entering/Leaving directory" lines: `make pulumi-cli`'s last line of stdout must be the bin folder.
MAKEFLAGS += --no-print-directory

.PHONY: install build lint test test-node22 test-unit up down emulator pulumi-cli node22 bench bench-emulator bench-client bench-provider bench-import schema sdks clean

# Install only when package.json or the lock file changed since the last install, exactly as locked (`npm ci` never
# rewrites package-lock.json, so installs leave the tree clean). npm ci also runs our `prepare` script (the build).
node_modules/.install-stamp: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

# Rebuild dist/ only when a source changed: `make up` inside a test run must not rewrite files other tests load.
BUILD_SOURCES := $(shell find provider sdk emulator plugin -type f -not -name '*.test.ts' -not -path '*/test-support/*') tsconfig.json tsconfig.build.json scripts/copy-dashboard.js
dist/.build-stamp: node_modules/.install-stamp $(BUILD_SOURCES)
	$(NPM) run build
	@touch $@

build: dist/.build-stamp

lint: install
	$(NPM) run lint

# install if needed + lint + build + every test; the real-engine suites run under the CLI from `make pulumi-cli`.
test: lint build chromium
	@set -o pipefail; bin=$$($(MAKE) -s pulumi-cli | tail -n 1) && echo "Pulumi CLI: $$bin" && \
	  LIVEMESSAGE_PULUMI_BIN="$$bin" npx jest $(JEST_ARGS)

# The suite once more on Node 22 (engines: ^20.18.1 || ^22), from the `node@22` npm package into .tools/node22: the
# unit, handler and real-CLI suites. Left out, because they repeat on Node 22 what the real-CLI suites prove there or
# test npm, git and TypeScript rather than Node: the engine-harness suites (test/engine, the examples' own tests),
# the packaging tests (test/package) and the native plugin's real-CLI suites (test/native: Go builds, Python venvs,
# SDK generation, a 1,000-group import — the plugin itself runs on Node 22 in plugin/*.test.ts, which drives the real
# executable); they run on the machine's Node in `make test`.
NODE22_VERSION := 22.23.3
NODE22_BIN := .tools/node22/node_modules/node/bin
NODE22_SKIP := /node_modules/ /dist/ /test/engine/ /test/package/ /test/native/ /examples/
$(NODE22_BIN)/node:
	@mkdir -p .tools/node22
	@printf '{ "private": true, "dependencies": { "node": "$(NODE22_VERSION)" }, "allowScripts": { "node": true } }\n' > .tools/node22/package.json
	cd .tools/node22 && $(NPM) install --no-audit --no-fund --no-package-lock
	@$@ --version

node22: $(NODE22_BIN)/node

test-node22: build node22 chromium
	@set -o pipefail; bin=$$($(MAKE) -s pulumi-cli | tail -n 1) && echo "Pulumi CLI: $$bin; Node $$($(NODE22_BIN)/node --version)" && \
	  PATH="$(CURDIR)/$(NODE22_BIN):$$PATH" LIVEMESSAGE_PULUMI_BIN="$$bin" $(NODE22_BIN)/node node_modules/jest/bin/jest.js \
	    --testPathIgnorePatterns $(NODE22_SKIP) $(JEST_ARGS)

# A Pulumi CLI: the one on PATH when recent enough, else built once into .tools/pulumi/<version>/bin (last line of
# stdout: that folder). See README "Install" and tools/pulumi-cli/README.md.
pulumi-cli: install
	@bash scripts/pulumi-cli.sh

# The dashboard's browser tests (test/ui) need Debian's chromium: installed when missing and apt can.
.PHONY: chromium
chromium:
	@bash scripts/ensure-chromium.sh

test-unit: install
	npx jest --testPathIgnorePatterns /test/engine/ /node_modules/ /dist/ $(JEST_ARGS)

# The quickstart against the local emulator (uses `make pulumi-cli` when there is no pulumi on PATH).
up:
	bash scripts/quickstart.sh up

down:
	bash scripts/quickstart.sh down

# The emulator in the foreground on port 8787, data kept in .emulator-data/ (Ctrl-C stops it).
emulator: build
	node dist/emulator/cli.js --port 8787 --data-dir .emulator-data

# Benchmarks print JSON figures; they never fail on time.
bench: bench-emulator bench-client bench-provider

bench-emulator: build
	node -r ./emulator/test-support/register-ts.js bench/emulator/run.ts --dist $(BENCH_ARGS)

bench-client: install
	node -r ./emulator/test-support/register-ts.js bench/client/run.ts

# Parallel stacks on one account, refresh of 5,000 groups, 1,000 creates, fleets of 16 and 64 (about 12 minutes).
bench-provider: build
	node -r ./emulator/test-support/register-ts.js bench/provider/run.ts $(BENCH_ARGS)

# schema.json (the native package's schema) and docs/reference.md, generated from the resources' field declarations
# (a test checks they are current).
schema: install
	node -r ./emulator/test-support/register-ts.js scripts/generate-schema.ts

# The native plugin's Python, Go and .NET SDKs in sdks/, generated from schema.json with Pulumi's code generators
# (needs Go and the Go module proxy; a test checks they are current).
sdks: schema
	bash scripts/generate-sdks.sh

# Adopting 5,000 existing groups with livemessage-import + pulumi import (needs the Pulumi CLI: make pulumi-cli).
bench-import: build
	node -r ./emulator/test-support/register-ts.js bench/import/run.ts $(BENCH_ARGS)

clean:
	rm -rf dist coverage node_modules/.install-stamp
