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

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    die "$BIN is missing and installing it needs root: run 'apt-get install -y chromium' as root (or with sudo) and re-run."
  fi
fi

LOCK="${TMPDIR:-/tmp}/logit-stream-ensure-chromium.lock"
exec 9>"$LOCK"
flock -w "${ENSURE_CHROMIUM_LOCK_TIMEOUT:-900}" 9 ||
  die "another ensure-chromium run holds $LOCK for over ${ENSURE_CHROMIUM_LOCK_TIMEOUT:-900} s; wait for it or delete that file"
found && exit 0 # another caller installed it while we waited

export DEBIAN_FRONTEND=noninteractive
apt_install() { "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium >&2; }
known() { [[ "$(apt-cache policy chromium 2>/dev/null | awk '/Candidate:/ { print $2 }')" =~ ^[0-9] ]]; }

log "installing the Debian package 'chromium' (once; a few hundred MB)..."
if ! known || ! apt_install; then
  log "running 'apt-get update' (the package lists do not offer chromium yet)..."
  "${SUDO[@]}" apt-get update -q >&2 || die "'apt-get update' failed (output above): check that Debian's package mirror is reachable."
  known || die "apt knows no package 'chromium' even after 'apt-get update' (Debian ships it; on Ubuntu it is a snap: set CHROMIUM_PATH instead)."
  apt_install || die "'apt-get install -y chromium' failed (output above)."
fi
found || die "apt-get installed chromium but $BIN does not exist: set CHROMIUM_PATH to the binary."
log "installed $("$BIN" --version 2>/dev/null | head -n 1)"
