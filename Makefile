# Every routine task has a target here and an npm script; the README names the two that matter: `make up`, `make test`.
SHELL := /bin/bash
NPM ?= npm
JEST_ARGS ?=

.PHONY: install build lint test test-unit up down emulator bench schema clean

# Install only when package.json or the lock file changed since the last install.
node_modules/.install-stamp: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

build: install
	$(NPM) run build

lint: install
	$(NPM) run lint

# install if needed + lint + build + every test
test: lint build
	npx jest $(JEST_ARGS)

test-unit: install
	npx jest --testPathIgnorePatterns /test/engine/ /node_modules/ /dist/ $(JEST_ARGS)

clean:
	rm -rf dist coverage node_modules/.install-stamp
