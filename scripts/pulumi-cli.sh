#!/usr/bin/env bash
# `make pulumi-cli`: a Pulumi CLI for this repository's tests, `make up` and your own use.
#
# 1. A `pulumi` on PATH is used when it is at least PULUMI_MIN_VERSION and has `pulumi-language-nodejs` beside it
#    (an official installation: https://www.pulumi.com/docs/iac/download-install/).
# 2. Otherwise the pinned version is built from its Go modules (the Go module proxy; Go 1.26.6+, or an older Go
#    that fetches that toolchain itself) into .tools/pulumi/<version>/bin/, once: a second call builds nothing.
#    The wrapper modules, with their committed go.sum, are in tools/pulumi-cli/ (see tools/pulumi-cli/README.md).
#
# Progress goes to stderr. The LAST line of stdout is the bin folder, alone, so callers can do
#   PATH="$(make -s pulumi-cli | tail -n 1):$PATH"
#
# Options: --build  ignore a pulumi on PATH (same as PULUMI_CLI_IGNORE_PATH=1).
# Environment (for tests and unusual set-ups): PULUMI_CLI_TOOLS_DIR (default .tools/pulumi), PULUMI_CLI_MODULES
# (default tools/pulumi-cli), PULUMI_CLI_HEARTBEAT (seconds between progress lines, default 30).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODULES="${PULUMI_CLI_MODULES:-$ROOT/tools/pulumi-cli}"
TOOLS="${PULUMI_CLI_TOOLS_DIR:-$ROOT/.tools/pulumi}"
HEARTBEAT="${PULUMI_CLI_HEARTBEAT:-30}"
# The oldest CLI we accept from PATH: the floor of our @pulumi/pulumi peer dependency (package.json), whose
# provider host can import/get dynamic resources; the tests run the pinned version.
PULUMI_MIN_VERSION=3.268.0
IGNORE_PATH="${PULUMI_CLI_IGNORE_PATH:-}"
for arg in "$@"; do
  case "$arg" in
    --build) IGNORE_PATH=1 ;;
    *) echo "usage: $0 [--build]" >&2; exit 2 ;;
  esac
done

log() { printf '[pulumi-cli] %s\n' "$*" >&2; }
die() { printf '[pulumi-cli] error: %s\n' "$*" >&2; exit 1; }
elapsed() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# `X.Y.Z` of a require line in a wrapper module's go.mod.
required_version() {
  awk -v m="$2" '($1 == m || ($1 == "require" && $2 == m)) { v = ($1 == m) ? $2 : $3; sub(/^v/, "", v); print v; exit }' "$1"
}

# 0 when $1 >= $2 (X.Y.Z, numeric compare; a pre-release suffix is ignored).
version_at_least() {
  local a b i
  IFS=. read -r -a a <<<"${1%%-*}"
  IFS=. read -r -a b <<<"${2%%-*}"
  for i in 0 1 2; do
    if (( ${a[i]:-0} > ${b[i]:-0} )); then return 0; fi
    if (( ${a[i]:-0} < ${b[i]:-0} )); then return 1; fi
  done
  return 0
}

# --- 1. a usable CLI on PATH --------------------------------------------------------------------------------------
if [ -z "$IGNORE_PATH" ] && command -v pulumi >/dev/null 2>&1; then
  found=$(command -v pulumi)
  dir=$(cd "$(dirname "$found")" && pwd)
  have=$(PULUMI_SKIP_UPDATE_CHECK=true pulumi version 2>/dev/null | head -n 1 | sed 's/^v//') || have=""
  if [ -n "$have" ] && version_at_least "$have" "$PULUMI_MIN_VERSION" && [ -x "$dir/pulumi-language-nodejs" ]; then
    log "using $found (v$have, with pulumi-language-nodejs beside it)"
    echo "$dir"
    exit 0
  fi
  log "not using $found (version ${have:-unknown}; need >= $PULUMI_MIN_VERSION with pulumi-language-nodejs in $dir)"
fi

# --- 2. the pinned build --------------------------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || die "no Pulumi CLI on PATH and no Go toolchain to build one. Install the Pulumi CLI
(https://www.pulumi.com/docs/iac/download-install/), or Go 1.26.6+ (https://go.dev/dl/) and run make pulumi-cli again."

VERSION=$(required_version "$MODULES/cli/go.mod" github.com/pulumi/pulumi/pkg/v3)
HOSTS_VERSION=$(required_version "$MODULES/language-hosts/go.mod" github.com/pulumi/pulumi/sdk/v3)
YAML_VERSION=$(required_version "$MODULES/yaml/go.mod" github.com/pulumi/pulumi-yaml)
GO_HOST_VERSION=""
if [ -f "$MODULES/language-go/go.mod" ]; then
  GO_HOST_VERSION=$(required_version "$MODULES/language-go/go.mod" github.com/pulumi/pulumi/sdk/v3)
fi
[ -n "$VERSION" ] || die "cannot read the pinned github.com/pulumi/pulumi/pkg/v3 version from $MODULES/cli/go.mod"
DEST="$TOOLS/$VERSION"
BIN="$DEST/bin"
SHIM_SRC="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

# What a build depends on: the wrapper modules and this script. Same inputs -> the cached bin is current.
inputs_hash() {
  cat "$0" "$MODULES"/*/go.mod "$MODULES"/*/go.sum "$MODULES"/*/tools.go | sha256sum | cut -c1-16
}
HASH=$(inputs_hash)
STAMP="$DEST/.complete"

# The dynamic-provider shim ships with @pulumi/pulumi (it runs the program's own @pulumi/pulumi); copying it is
# cheap, so it is refreshed on every call rather than being part of the build.
install_shim() {
  [ -f "$SHIM_SRC" ] || die "$SHIM_SRC is missing: run \`npm install\` (or \`make install\`) first."
  if ! cmp -s "$SHIM_SRC" "$1/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
    cp "$SHIM_SRC" "$1/pulumi-resource-pulumi-nodejs"
    chmod +x "$1/pulumi-resource-pulumi-nodejs"
  fi
}

cached() { [ -f "$STAMP" ] && [ "$(head -n 1 "$STAMP")" = "$HASH" ] && [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ]; }

finish() {
  install_shim "$BIN"
  sed -n '2,$p' "$STAMP" | while IFS= read -r line; do log "$line"; done
  echo "$BIN"
  exit 0
}

if cached; then
  log "Pulumi CLI v$VERSION already built in $BIN"
  finish
fi

mkdir -p "$TOOLS"
# One build at a time (two test workers, two terminals): wait for the other, then use its result.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS/.lock-$VERSION"
  if ! flock -n 9; then
    log "another build of v$VERSION is running; waiting for it"
    flock 9
  fi
  if cached; then finish; fi
fi

export CGO_ENABLED=0 # a static binary like the official distribution's; needs no C compiler
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=readonly"
STAGE="$DEST/bin.partial"
LOGS="$DEST/logs"
rm -rf "$STAGE"
mkdir -p "$STAGE" "$LOGS"
START=$(date +%s)
log "building Pulumi CLI v$VERSION into $BIN (first time only; about 6 minutes on 2 cores with an empty Go cache)"

# The module path and version of a proxy URL `<proxy>/<escaped module>/@v/<version>.<info|mod|zip>` ('!x' = 'X').
module_of_url() {
  sed -E 's#^https?://[^/]+/##; s#/@v/([^/]+)\.(info|mod|zip)$#@\1#; s#/@latest$#@latest#; s#/@v/list$#@list#' <<<"$1" |
    sed -E 's/!([a-z])/\U\1/g'
}

# Explains a failed go command from its log: which module the proxy refused and its message, else the log's tail.
explain_failure() {
  local logfile=$1 what=$2 url status response
  url=$(grep -oE 'reading https?://[^ ]+: [0-9]{3}[^"]*' "$logfile" | head -n 1) || true
  if [ -n "$url" ]; then
    status=${url#*: }
    url=${url#reading }
    url=${url%%: *}
    response=$(grep -m 1 -A 0 'server response:' "$logfile" | sed -E 's/^[[:space:]]*server response:[[:space:]]*//') || true
    printf '[pulumi-cli] %s: the Go module proxy refused %s: %s%s\n' "$what" "$(module_of_url "$url")" "$status" \
      "${response:+ — $response}" >&2
    printf '[pulumi-cli]   (%s)\n' "$url" >&2
  else
    printf '[pulumi-cli] %s failed; the last lines of %s:\n' "$what" "$logfile" >&2
    tail -n 15 "$logfile" | sed 's/^/  /' >&2
  fi
}

# run <label> <log> <cmd…>: runs a go command in the background, printing a progress line every HEARTBEAT seconds.
run() {
  local label=$1 logfile=$2 t0 pid next
  shift 2
  t0=$(date +%s)
  "$@" >"$logfile" 2>&1 &
  pid=$!
  next=$((t0 + HEARTBEAT))
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ "$(date +%s)" -ge "$next" ]; then
      log "  … still $label ($(elapsed "$t0"))"
      next=$((next + HEARTBEAT))
    fi
  done
  if wait "$pid"; then
    log "  $label: done in $(elapsed "$t0")"
    return 0
  fi
  return 1
}

# build <required|optional> <module dir> <module@version> <binary> <package> <ldflags>
NOTES=()
build() {
  local need=$1 dir=$2 module=$3 binary=$4 pkg=$5 ldflags=$6 logfile
  logfile="$LOGS/$binary.log"
  log "$binary — $module"
  if ! (cd "$dir" && run "downloading modules for $module" "$logfile.download" go mod download -x) ||
    ! (cd "$dir" && run "building $binary" "$logfile" go build -trimpath -o "$STAGE/$binary" -ldflags "$ldflags" "$pkg"); then
    local failed="$logfile"
    [ -s "$logfile" ] || failed="$logfile.download"
    explain_failure "$failed" "$binary ($module)"
    if [ "$need" = required ]; then
      die "$binary is needed; nothing was installed (total $(elapsed "$START")). Logs: $LOGS"
    fi
    NOTES+=("$binary was not built (see $failed); everything else works without it")
    rm -f "$STAGE/$binary"
    return 0
  fi
}

SDK_VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
build required "$MODULES/cli" "github.com/pulumi/pulumi/pkg/v3@v$VERSION" pulumi \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "-X $SDK_VERSION_VAR=v$VERSION"
build required "$MODULES/language-hosts" "github.com/pulumi/pulumi/sdk/v3@v$HOSTS_VERSION" pulumi-language-nodejs \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "-X $SDK_VERSION_VAR=v$HOSTS_VERSION"
build optional "$MODULES/language-hosts" "github.com/pulumi/pulumi/sdk/v3@v$HOSTS_VERSION" pulumi-language-python \
  github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python "-X $SDK_VERSION_VAR=v$HOSTS_VERSION"
if [ -x "$STAGE/pulumi-language-python" ]; then
  # The python host runs this script beside it; it ships in the sdk/v3 module.
  exec_src="$(cd "$MODULES/language-hosts" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)/python/cmd/pulumi-language-python-exec"
  install -m 0755 "$exec_src" "$STAGE/pulumi-language-python-exec"
fi
build optional "$MODULES/yaml" "github.com/pulumi/pulumi-yaml@v$YAML_VERSION" pulumi-language-yaml \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION"
# The Go host of sdk/v3 v3.52.0, the last release with it inside sdk/v3 (tools/pulumi-cli/language-go/tools.go).
if [ -n "$GO_HOST_VERSION" ]; then
  build optional "$MODULES/language-go" "github.com/pulumi/pulumi/sdk/v3@v$GO_HOST_VERSION" pulumi-language-go \
    github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go "-X $SDK_VERSION_VAR=v$GO_HOST_VERSION"
fi

install_shim "$STAGE"
rm -rf "$BIN"
mv "$STAGE" "$BIN"
{
  echo "$HASH"
  echo "built v$VERSION (language hosts from sdk/v3 v$HOSTS_VERSION, yaml v$YAML_VERSION, go from sdk/v3 v$GO_HOST_VERSION) in $(elapsed "$START")"
  for n in "${NOTES[@]+"${NOTES[@]}"}"; do echo "$n"; done
} >"$STAMP"
log "Pulumi CLI v$VERSION ready: $(cd "$BIN" && ls | tr '\n' ' ')"
finish
