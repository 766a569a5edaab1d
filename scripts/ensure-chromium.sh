#!/usr/bin/env bash
# `make test`: the dashboard's browser tests (test/ui/) drive Debian's chromium through playwright-core, which never
# downloads a browser. Install it when it is missing and apt can; otherwise say so loudly and go on — the browser
# tests then fail with the same advice (they never skip), and every other test still runs.
set -uo pipefail
bin="${LIVEMESSAGE_CHROMIUM:-/usr/bin/chromium}"
[ -x "$bin" ] && exit 0

say() { echo "ensure-chromium: $*" >&2; }
if [ -n "${LIVEMESSAGE_CHROMIUM:-}" ]; then
  say "LIVEMESSAGE_CHROMIUM=$bin is not an executable: the browser tests will fail."
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "no $bin and no apt-get: install Chromium and set LIVEMESSAGE_CHROMIUM to it, or the browser tests (test/ui) fail."
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    say "no $bin, and not root (no passwordless sudo): run 'sudo apt-get install -y chromium', or the browser tests (test/ui) fail."
    exit 0
  fi
fi
say "installing Debian's chromium for the dashboard's browser tests (apt-get install chromium)…"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
if $sudo apt-get update -qq >"$log" 2>&1 && $sudo apt-get install -y -qq chromium >>"$log" 2>&1 && [ -x "$bin" ]; then
  say "installed: $("$bin" --version 2>/dev/null || echo "$bin")"
else
  say "apt-get could not install chromium (last lines below): the browser tests (test/ui) will fail."
  tail -n 15 "$log" >&2
fi
rm -f "$log"
exit 0
