#!/usr/bin/env bash
# `make up` / `make down`: the quickstart (examples/quickstart) against a local emulator, with a local file backend.
#   up:   install + build, start the emulator (data in .emulator-data/), log in to .pulumi-state/, select or create
#         the `dev` stack with config pointing at the emulator, `pulumi up --yes`.
#   down: `pulumi destroy --yes` on that stack, then stop the emulator.
# Uses the pulumi on PATH, or builds one with `make pulumi-cli` (scripts/pulumi-cli.sh) when there is none.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
QUICKSTART="$ROOT/examples/quickstart"
DATA_DIR="${LIVEMESSAGE_EMULATOR_DATA:-$ROOT/.emulator-data}"
STATE_DIR="${LIVEMESSAGE_STATE_DIR:-$ROOT/.pulumi-state}"
PORT="${LIVEMESSAGE_EMULATOR_PORT:-8787}"
URL="http://127.0.0.1:$PORT"
PID_FILE="$DATA_DIR/emulator.pid"
LOG_FILE="$DATA_DIR/emulator.log"
STACK=dev
# The emulator's documented default test key pair (fake by design; see README "The emulator").
KEY_ID=emulator-access-key-id
KEY_SECRET=emulator-access-key-secret

cmd="${1:-}"
say() { printf '%s\n' "$*"; }

# A pulumi on PATH when it is recent enough, else the one `make pulumi-cli` builds once into .tools/ (its last line
# of stdout is the bin folder).
ensure_pulumi() {
  local bin
  if ! bin=$(bash "$ROOT/scripts/pulumi-cli.sh" | tail -n 1) || [ ! -x "$bin/pulumi" ]; then
    cat >&2 <<MSG
make $cmd needs the Pulumi CLI: there is none on PATH, and \`make pulumi-cli\` could not build one (see above).
Install it (https://www.pulumi.com/docs/iac/download-install/), open a new shell so PATH picks it up, and run
\`make $cmd\` again. Nothing was started.
MSG
    exit 1
  fi
  export PATH="$bin:$PATH"
}

emulator_up() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$URL/_emulator/health"
}

start_emulator() {
  if emulator_up; then
    say "emulator already running at $URL"
    return
  fi
  mkdir -p "$DATA_DIR"
  say "starting the emulator at $URL (data in $DATA_DIR, log in $LOG_FILE)"
  nohup node "$ROOT/dist/emulator/cli.js" --port "$PORT" --data-dir "$DATA_DIR" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 100); do
    if emulator_up; then return; fi
    sleep 0.1
  done
  say "the emulator did not come up; its log:" >&2
  cat "$LOG_FILE" >&2 || true
  exit 1
}

stop_emulator() {
  if [ -f "$PID_FILE" ]; then
    pid=$(cat "$PID_FILE")
    # SIGTERM: the emulator flushes its log and exits 0 (SIGINT may be ignored by background jobs).
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" && say "emulator stopped (pid $pid)"; fi
    rm -f "$PID_FILE"
  else
    say "no emulator started by make up is running"
  fi
}

pulumi_env() {
  mkdir -p "$STATE_DIR"
  export PULUMI_BACKEND_URL="file://$STATE_DIR"
  # Local file backend: an empty passphrase unless you set one.
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
  export PULUMI_SKIP_UPDATE_CHECK=true
}

case "$cmd" in
  up)
    make -C "$ROOT" build
    ensure_pulumi
    # The example installs a packed copy of this package (examples/quickstart/.npmrc): reinstall when its lock or
    # the build changed.
    stamp="$QUICKSTART/node_modules/.install-stamp"
    if [ ! -f "$stamp" ] || [ "$QUICKSTART/package-lock.json" -nt "$stamp" ] || [ "$ROOT/dist/.build-stamp" -nt "$stamp" ]; then
      (cd "$QUICKSTART" && npm ci --no-audit --no-fund && touch node_modules/.install-stamp)
    fi
    start_emulator
    pulumi_env
    cd "$QUICKSTART"
    pulumi stack select "$STACK" 2>/dev/null || pulumi stack init "$STACK"
    pulumi config set livemessage:endpoint "$URL"
    pulumi config set livemessage:accessKeyId "$KEY_ID"
    pulumi config set --secret livemessage:accessKeySecret "$KEY_SECRET"
    pulumi up --yes
    ;;
  down)
    ensure_pulumi
    pulumi_env
    if [ -d "$QUICKSTART/node_modules" ] && emulator_up; then
      (cd "$QUICKSTART" && pulumi stack select "$STACK" && pulumi destroy --yes)
    else
      say "nothing to destroy (no emulator running or the quickstart was never installed)"
    fi
    stop_emulator
    ;;
  *)
    say "usage: $0 up|down" >&2
    exit 2
    ;;
esac
