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

# shellcheck source=lib-apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-apt.sh"
apt_root_or_die "kcat is not on PATH" kcat
apt_lock_or_die ensure-kcat "${ENSURE_KCAT_LOCK_TIMEOUT:-600}"
found && exit 0 # another caller installed it while we waited

apt_install_or_die kcat "it is in Debian 11 and newer, Ubuntu 20.04 and newer"
found || die "apt-get installed kcat but no 'kcat' is on PATH ($PATH)."
log "installed $(kcat -V 2>/dev/null | head -n 1)"
