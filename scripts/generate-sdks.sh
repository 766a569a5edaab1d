#!/usr/bin/env bash
# `make sdks`: the Python, Go and .NET SDKs of the native package, generated from schema.json into sdks/ (or the
# directory given) with Pulumi's own code generators (tools/sdkgen, tools/sdkgen-dotnet; README "Generated SDKs").
# Needs Go and the Go module proxy; test/native/sdks.test.ts runs it into a temporary directory and compares.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/sdks}" && cd "${1:-$ROOT/sdks}" && pwd)
# Built like `make pulumi-cli` builds the CLI (static, -trimpath): tools/sdkgen requires pkg/v3 at the CLI's version
# with the same dependency versions, so on a fresh machine its packages come from the CLI build's Go cache instead of
# being compiled a second time.
export CGO_ENABLED=0
(cd "$ROOT/tools/sdkgen" && go run -trimpath . -schema "$ROOT/schema.json" -out "$OUT" -languages python,go)
(cd "$ROOT/tools/sdkgen-dotnet" && go run -trimpath . -schema "$ROOT/schema.json" -out "$OUT" -languages dotnet)
# The Go SDK is a module of its own; its go.sum pins what it needs.
(cd "$OUT/go/livemessage" && GOFLAGS=-mod=mod go mod tidy)
