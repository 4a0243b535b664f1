#!/usr/bin/env bash
# Makes `kcat` (the librdkafka command-line Kafka client, Debian package `kcat`) available.
#
#   bash infra/tools/ensure-kcat.sh        install kcat if it is missing; print its path on stdout
#
# Idempotent and fast when kcat is already on PATH (no apt call at all). Otherwise it installs the
# Debian package with apt-get (as root, or through sudo when that works without a password), running
# `apt-get update` first only when apt does not know the package yet or the first install fails.
# Concurrent callers are serialised by a lock file, so two test runs never fight over dpkg's lock.
# Exit codes: 0 kcat available (its path printed), 1 it could not be installed (the reason on stderr).
#
# Environment: ENSURE_KCAT_LOCK_TIMEOUT (seconds to wait for another caller, default 600).
set -euo pipefail

log() { printf 'ensure-kcat: %s\n' "$*" >&2; }
die() {
  printf 'ensure-kcat: error: %s\n' "$*" >&2
  exit 1
}

found() {
  local k
  k="$(command -v kcat 2>/dev/null)" || return 1
  printf '%s\n' "$k"
}

found && exit 0

command -v apt-get >/dev/null 2>&1 ||
  die "kcat is not on PATH and this machine has no apt-get: install kcat (https://github.com/edenhill/kcat, package 'kcat' or 'kafkacat') by hand and re-run."

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    die "kcat is not on PATH and installing it needs root: run 'apt-get install -y kcat' as root (or with sudo) and re-run."
  fi
fi

LOCK="${TMPDIR:-/tmp}/logit-stream-ensure-kcat.lock"
exec 9>"$LOCK"
flock -w "${ENSURE_KCAT_LOCK_TIMEOUT:-600}" 9 ||
  die "another ensure-kcat run holds $LOCK for over ${ENSURE_KCAT_LOCK_TIMEOUT:-600} s; wait for it or delete that file"
found && exit 0 # another caller installed it while we waited

export DEBIAN_FRONTEND=noninteractive
apt_install() { "${SUDO[@]}" apt-get install -y -q --no-install-recommends kcat >&2; }
known() { [[ "$(apt-cache policy kcat 2>/dev/null | awk '/Candidate:/ { print $2 }')" =~ ^[0-9] ]]; }

if ! known || ! apt_install; then
  log "running 'apt-get update' (the package lists do not offer kcat yet)..."
  "${SUDO[@]}" apt-get update -q >&2 || die "'apt-get update' failed (output above): check that Debian's package mirror is reachable."
  known || die "apt knows no package 'kcat' even after 'apt-get update' (it is in Debian 11 and newer, Ubuntu 20.04 and newer)."
  apt_install || die "'apt-get install -y kcat' failed (output above)."
fi
found || die "apt-get installed kcat but no 'kcat' is on PATH ($PATH)."
log "installed $(kcat -V 2>/dev/null | head -n 1)"
