# Shared apt-get install logic of infra/tools/ensure-*.sh (sourced, not run). The caller defines
# `log MSG` and `die MSG` (its own prefix on stderr) and `found` (prints the tool's path and returns 0
# when the tool is there), and has checked that apt-get exists. Sets and uses the array SUDO.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib-apt.sh"
#   apt_root_or_die "kcat is not on PATH" kcat          # root, or password-less sudo, or exit 1
#   apt_lock_or_die ensure-kcat "${ENSURE_KCAT_LOCK_TIMEOUT:-600}"
#   found && exit 0                                     # another caller installed it while we waited
#   apt_install_or_die kcat "it is in Debian 11 and newer"

# Sets SUDO=() when running as root, SUDO=(sudo -n) when sudo works without a password, else dies
# with "<missing>: and installing it needs root: run 'apt-get install -y <package>' as root …".
apt_root_or_die() {
  local missing="$1" pkg="$2"
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO=(sudo -n)
    else
      die "$missing and installing it needs root: run 'apt-get install -y $pkg' as root (or with sudo) and re-run."
    fi
  fi
}

# Serialises concurrent callers on ${TMPDIR:-/tmp}/logit-stream-<name>.lock (fd 9, held until exit);
# dies after <timeout> seconds of waiting.
apt_lock_or_die() {
  local name="$1" timeout="$2"
  local lock="${TMPDIR:-/tmp}/logit-stream-$name.lock"
  exec 9>"$lock"
  flock -w "$timeout" 9 ||
    die "another $name run holds $lock for over $timeout s; wait for it or delete that file"
}

# Installs Debian package <package> (no recommends, output on stderr), running `apt-get update` first
# only when apt does not offer the package yet or the first install fails; dies with <hint> in the
# message when apt knows no such package even after the update.
apt_install_or_die() {
  local pkg="$1" hint="$2"
  export DEBIAN_FRONTEND=noninteractive
  if ! _apt_known "$pkg" || ! _apt_install "$pkg"; then
    log "running 'apt-get update' (the package lists do not offer $pkg yet)..."
    "${SUDO[@]}" apt-get update -q >&2 || die "'apt-get update' failed (output above): check that Debian's package mirror is reachable."
    _apt_known "$pkg" || die "apt knows no package '$pkg' even after 'apt-get update' ($hint)."
    _apt_install "$pkg" || die "'apt-get install -y $pkg' failed (output above)."
  fi
}

_apt_install() { "${SUDO[@]}" apt-get install -y -q --no-install-recommends "$1" >&2; }
_apt_known() { [[ "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')" =~ ^[0-9] ]]; }
