#!/usr/bin/env bash
# Makes Debian's headless-capable Chromium (package `chromium`, /usr/bin/chromium) available for the
# learner's browser test (apps/learner/src/http/live-page.browser.test.ts, driven by playwright-core).
#
#   bash infra/tools/ensure-chromium.sh     install chromium if it is missing; print its path on stdout
#
# Idempotent and fast when chromium is already installed (no apt call at all). Otherwise it installs
# the Debian package with apt-get (as root, or through sudo when that works without a password),
# running `apt-get update` first only when apt does not know the package yet or the first install
# fails. Concurrent callers are serialised by a lock file. Exit codes: 0 chromium available (its
# path printed), 1 it could not be installed (the reason on stderr).
#
# Environment: CHROMIUM_PATH (default /usr/bin/chromium), ENSURE_CHROMIUM_LOCK_TIMEOUT (seconds to
# wait for another caller, default 900).
set -euo pipefail

BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
log() { printf 'ensure-chromium: %s\n' "$*" >&2; }
die() {
  printf 'ensure-chromium: error: %s\n' "$*" >&2
  exit 1
}
found() {
  [[ -x "$BIN" ]] || return 1
  printf '%s\n' "$BIN"
}

found && exit 0

command -v apt-get >/dev/null 2>&1 ||
  die "$BIN is missing and this machine has no apt-get: install Chromium by hand (or set CHROMIUM_PATH to a Chromium/Chrome binary) and re-run."

# shellcheck source=lib-apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-apt.sh"
apt_root_or_die "$BIN is missing" chromium
apt_lock_or_die ensure-chromium "${ENSURE_CHROMIUM_LOCK_TIMEOUT:-900}"
found && exit 0 # another caller installed it while we waited

log "installing the Debian package 'chromium' (once; a few hundred MB)..."
apt_install_or_die chromium "Debian ships it; on Ubuntu it is a snap: set CHROMIUM_PATH instead"
found || die "apt-get installed chromium but $BIN does not exist: set CHROMIUM_PATH to the binary."
log "installed $("$BIN" --version 2>/dev/null | head -n 1)"
