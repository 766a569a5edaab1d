# Every routine task has a target here and an npm script; the README names the two that matter: `make up`, `make test`.
SHELL := /bin/bash
NPM ?= npm
JEST_ARGS ?=

.PHONY: install build lint test test-unit up down emulator bench bench-emulator bench-client bench-import schema sdks clean

# Install only when package.json or the lock file changed since the last install. `npm install` (which follows the
# lock file) rather than `npm ci`: the lock cannot list other platforms' optional binaries (@swc/core-darwin-*, …)
# when the registry mirror lacks them, and `npm ci` then refuses the lock as out of sync.
node_modules/.install-stamp: package.json package-lock.json
	$(NPM) install --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

build: install
	$(NPM) run build

lint: install
	$(NPM) run lint

# install if needed + lint + build + every test
test: lint build chromium
	npx jest $(JEST_ARGS)

# The dashboard's browser tests (test/ui) need Debian's chromium: installed when missing and apt can.
.PHONY: chromium
chromium:
	@bash scripts/ensure-chromium.sh

test-unit: install
	npx jest --testPathIgnorePatterns /test/engine/ /node_modules/ /dist/ $(JEST_ARGS)

# The quickstart against the local emulator (needs the Pulumi CLI; says how to get it when missing).
up:
	bash scripts/quickstart.sh up

down:
	bash scripts/quickstart.sh down

# The emulator in the foreground on port 8787, data kept in .emulator-data/ (Ctrl-C stops it).
emulator: build
	node dist/emulator/cli.js --port 8787 --data-dir .emulator-data

# Benchmarks print JSON figures; they never fail on time.
bench: bench-emulator bench-client

bench-emulator: build
	node -r ./emulator/test-support/register-ts.js bench/emulator/run.ts --dist $(BENCH_ARGS)

bench-client: install
	node -r ./emulator/test-support/register-ts.js bench/client/run.ts

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
