#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft combined mode: broker and controller in one process)
# on 127.0.0.1, installed from Maven Central by Maven, for development and integration tests.
#
#   bash infra/kafka/kafka.sh install                 resolve the broker's jars (cached; idempotent)
#   bash infra/kafka/kafka.sh up [--port N]           start on 127.0.0.1:N (default 9092), wait until it answers
#   bash infra/kafka/kafka.sh down [--port N]         stop it and delete its data
#   bash infra/kafka/kafka.sh up|down --sasl [--port N]  the same for a SASL broker (default port 19094): one
#        SASL_PLAINTEXT listener with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; user KAFKA_SASL_TEST_USER
#        (default logit) with password KAFKA_SASL_TEST_PASSWORD (default logit-secret) for all three
#   bash infra/kafka/kafka.sh up|down --tls [--port N]   the same for a TLS broker (default port 19096): one SSL
#        listener, certificates from tls-certs.sh made fresh for the instance; clients trust .run/tls-N/tls/ca.pem
#   bash infra/kafka/kafka.sh status [--port N]       say what runs (exit 0 when that broker answers, 3 if not)
#   bash infra/kafka/kafka.sh stop|start --port N     stop / start again the broker of this checkout on port N
#        (dev, test, SASL or TLS instance) keeping its data, e.g. a broker outage inside a with-test-broker run
#   bash infra/kafka/kafka.sh with-test-broker -- CMD ...
#        run CMD with KAFKA_BROKERS set: the caller's KAFKA_BROKERS if set, else a dedicated, fresh broker on
#        127.0.0.1:19092 that is always stopped afterwards; exits with CMD's exit code.
#
# Files (all git-ignored): infra/kafka/.kafka/lib (jars), infra/kafka/.run/<instance>/ (server.properties,
# data/, logs/server.log, logs/stdout.log, pid; sasl.env for a SASL broker, tls/ for a TLS broker). The controller listens on
# port N+1 (PLAINTEXT, loopback, also for a SASL broker).
#
# Environment: JAVA_HOME (Java 17+), KAFKA_HEAP (default 512m), KAFKA_READY_TIMEOUT (seconds, default 90),
# KAFKA_STOP_TIMEOUT (seconds, default 30), KAFKA_TEST_PORT (default 19092), KAFKA_LOCK_TIMEOUT (seconds a
# with-test-broker run waits for another one to finish, default 900), KAFKA_MAVEN_REPO (Maven local repository).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="$HERE/.kafka"
LIB_DIR="$CACHE_DIR/lib"
RUN_ROOT="$HERE/.run"
DEFAULT_PORT=9092
TEST_PORT="${KAFKA_TEST_PORT:-19092}"
HEAP="${KAFKA_HEAP:-512m}"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
LOCK_TIMEOUT="${KAFKA_LOCK_TIMEOUT:-900}"

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() {
  printf 'kafka.sh: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '4,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

# --- prerequisites -------------------------------------------------------------------------------

JAVA=""
find_java() {
  [[ -n "$JAVA" ]] && return 0
  local j
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    j="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    j="$(command -v java)"
  else
    die "java not found. Kafka 4.x needs Java 17 or newer: install it (Debian: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME."
  fi
  local spec major
  spec="$("$j" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2; exit }')"
  major="${spec#1.}"
  major="${major%%.*}"
  if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "$j is Java '${spec:-unknown}', but Kafka 4.x needs Java 17 or newer: install it (Debian: apt-get install -y openjdk-17-jre-headless) or point JAVA_HOME at one."
  fi
  JAVA="$j"
}

pom_hash() { sha256sum "$HERE/pom.xml" | cut -d' ' -f1; }

is_installed() {
  [[ -d "$LIB_DIR" && -f "$CACHE_DIR/lib.stamp" && "$(cat "$CACHE_DIR/lib.stamp")" == "$(pom_hash)" ]] &&
    compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null
}

cmd_install() {
  find_java
  if is_installed; then
    log "Kafka jars already installed in $LIB_DIR ($(find "$LIB_DIR" -name '*.jar' | wc -l) jars)"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found: the broker's jars are resolved from Maven Central with Maven. Install it (Debian: apt-get install -y maven) and re-run 'bash infra/kafka/kafka.sh install'."
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/install.lock"
  flock -w 600 8 || die "another install holds $CACHE_DIR/install.lock for over 600 s; wait for it or delete that file"
  if is_installed; then # someone else finished it while we waited
    exec 8>&-
    return 0
  fi
  local tmp="$CACHE_DIR/lib.tmp.$$" repo_opt=()
  rm -rf "$tmp"
  [[ -n "${KAFKA_MAVEN_REPO:-}" ]] && repo_opt=("-Dmaven.repo.local=$KAFKA_MAVEN_REPO")
  log "resolving the Kafka broker's jars from Maven Central (first time only; takes a minute)..."
  if ! mvn -B -Dstyle.color=never "${repo_opt[@]}" -f "$HERE/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >"$CACHE_DIR/install.log" 2>&1; then
    rm -rf "$tmp"
    grep -E 'ERROR|FAIL' "$CACHE_DIR/install.log" | head -n 20 >&2 || true
    die "mvn dependency:copy-dependencies failed (full output: $CACHE_DIR/install.log). Check that Maven Central is reachable, then re-run 'bash infra/kafka/kafka.sh install'."
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || {
    rm -rf "$tmp"
    die "Maven finished but no kafka_2.13 jar arrived in $tmp; check infra/kafka/pom.xml"
  }
  rm -rf "$LIB_DIR" "$HERE/target"
  mv "$tmp" "$LIB_DIR"
  pom_hash >"$CACHE_DIR/lib.stamp"
  exec 8>&-
  log "installed $(find "$LIB_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$LIB_DIR" | cut -f1)) into $LIB_DIR"
}

# --- instances ------------------------------------------------------------------------------------

# Pids of broker processes started for an instance: from its pid file, and any java process whose
# command line names the instance's server.properties (an orphan whose pid file was lost).
instance_pids() {
  local inst="$1" props="$1/server.properties" pid f
  {
    if [[ -f "$inst/pid" ]]; then
      pid="$(cat "$inst/pid")"
      if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$props"; then
        echo "$pid"
      fi
    fi
    for f in /proc/[0-9]*/cmdline; do
      if tr '\0' ' ' 2>/dev/null <"$f" | grep -qF -- "kafka.Kafka $props"; then
        pid="${f#/proc/}"
        echo "${pid%/cmdline}"
      fi
    done
  } | sort -u
}

# Who listens on a TCP port of 127.0.0.1 (empty when free).
port_user() { ss -ltnpH "sport = :$1" 2>/dev/null | head -n 1; }

# A raw ApiVersions v0 request, for when node/kafkajs are not available.
probe_api_versions() {
  local port="$1" reply
  reply="$(
    timeout 3 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x07\x00\x05probe" >&3
      head -c 8 <&3 | od -An -tx1 | tr -d " \n"
    ' _ "$port" 2>/dev/null
  )" || return 1
  [[ "${reply:8:8}" == "00000007" ]]
}

# One real admin round trip; 0 when the broker on 127.0.0.1:$1 answers. With an instance directory
# $2 that holds sasl.env (a SASL broker), the probe authenticates with its credentials.
probe() {
  local port="$1" inst="${2:-}" rc=0 sasl=()
  (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null || return 1
  if [[ -n "$inst" && -f "$inst/sasl.env" ]]; then
    mapfile -t sasl <"$inst/sasl.env"
  fi
  [[ -n "$inst" && -f "$inst/tls/ca.pem" ]] && sasl+=("PROBE_TLS_CA_FILE=$inst/tls/ca.pem")
  if command -v node >/dev/null 2>&1; then
    env "${sasl[@]}" node "$HERE/probe.mjs" "127.0.0.1:$port" >/dev/null 2>&1 || rc=$?
    ((rc != 2)) && return "$rc"
  fi
  probe_api_versions "$port"
}

stop_instance() { # stop_instance INSTANCE_DIR [TIMEOUT_SECONDS]
  local inst="$1" limit="${2:-$STOP_TIMEOUT}" pids pid waited=0
  pids="$(instance_pids "$inst")"
  if [[ -z "$pids" ]]; then
    rm -f "$inst/pid"
    return 0
  fi
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  while [[ -n "$(instance_pids "$inst")" ]]; do
    if ((waited >= limit * 5)); then
      log "broker $(basename "$inst") did not stop within ${limit}s after SIGTERM; sending SIGKILL"
      for pid in $(instance_pids "$inst"); do kill -KILL "$pid" 2>/dev/null || true; done
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$inst/pid"
}

# SASL mode of the instance being started (set by parse_port --sasl): a SASL_PLAINTEXT listener.
SASL=0
SASL_USER="${KAFKA_SASL_TEST_USER:-logit}"
SASL_PASSWORD="${KAFKA_SASL_TEST_PASSWORD:-logit-secret}"

# sasl_properties INSTANCE_DIR: turn the rendered server.properties into a SASL broker's, and write
# sasl.env (the probe's credentials). The broker talks to itself over PLAIN as user "broker" with a
# random password; the test user may use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
sasl_properties() {
  local inst="$1" props="$1/server.properties" bpass
  [[ "$SASL_USER" =~ ^[A-Za-z0-9._-]{1,64}$ && "$SASL_USER" != broker ]] ||
    die "KAFKA_SASL_TEST_USER '$SASL_USER' must be 1-64 characters of A-Z a-z 0-9 . _ - (and not 'broker')"
  [[ "$SASL_PASSWORD" =~ ^[A-Za-z0-9._-]{1,128}$ ]] ||
    die "KAFKA_SASL_TEST_PASSWORD must be 1-128 characters of A-Z a-z 0-9 . _ - (it goes into the broker's JAAS config)"
  bpass="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  sed -i -e "s|^listeners=PLAINTEXT://|listeners=SASL_PLAINTEXT://|" \
    -e "s|^advertised.listeners=PLAINTEXT://|advertised.listeners=SASL_PLAINTEXT://|" \
    -e "s|^inter.broker.listener.name=PLAINTEXT|inter.broker.listener.name=SASL_PLAINTEXT|" \
    -e "s|^listener.security.protocol.map=.*|listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT|" "$props"
  grep -q '^listeners=SASL_PLAINTEXT://' "$props" || die "could not switch $props to a SASL listener (server.properties.in changed?)"
  {
    echo
    echo '# SASL (kafka.sh up --sasl): PLAIN and SCRAM on the client listener; the controller stays PLAINTEXT.'
    echo 'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512'
    echo 'sasl.mechanism.inter.broker.protocol=PLAIN'
    echo "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\"$bpass\" user_broker=\"$bpass\" user_$SASL_USER=\"$SASL_PASSWORD\";"
    echo 'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;'
    echo 'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;'
  } >>"$props"
  printf 'PROBE_SASL_MECHANISM=plain\nPROBE_SASL_USERNAME=broker\nPROBE_SASL_PASSWORD=%s\n' "$bpass" >"$inst/sasl.env"
  chmod 600 "$inst/sasl.env" "$props"
}

# TLS mode of the instance being started (set by parse_port --tls): an SSL listener.
TLS=0

# tls_properties INSTANCE_DIR: fresh certificates in INSTANCE_DIR/tls (tls-certs.sh) and an SSL client
# listener (PEM keystore and truststore; client certificates requested, not required).
tls_properties() {
  local inst="$1" props="$1/server.properties"
  bash "$HERE/tls-certs.sh" "$inst/tls" || die "making the TLS certificates in $inst/tls failed"
  sed -i -e "s|^listeners=PLAINTEXT://|listeners=SSL://|" \
    -e "s|^advertised.listeners=PLAINTEXT://|advertised.listeners=SSL://|" \
    -e "s|^inter.broker.listener.name=PLAINTEXT|inter.broker.listener.name=SSL|" \
    -e "s|^listener.security.protocol.map=.*|listener.security.protocol.map=CONTROLLER:PLAINTEXT,SSL:SSL|" "$props"
  grep -q '^listeners=SSL://' "$props" || die "could not switch $props to an SSL listener (server.properties.in changed?)"
  {
    echo
    echo '# TLS (kafka.sh up --tls): an SSL client listener; the controller stays PLAINTEXT on loopback.'
    echo 'ssl.keystore.type=PEM'
    echo "ssl.keystore.location=$inst/tls/broker-keystore.pem"
    echo 'ssl.truststore.type=PEM'
    echo "ssl.truststore.location=$inst/tls/ca.pem"
    echo 'ssl.client.auth=requested'
  } >>"$props"
}

# start_instance INSTANCE_DIR PORT: format (if needed) and start a broker, then wait until it answers.
start_instance() {
  local inst="$1" port="$2" cport=$(($2 + 1)) user id scram=()
  for p in "$port" "$cport"; do
    user="$(port_user "$p")"
    [[ -z "$user" ]] || die "port $p on 127.0.0.1 is already in use ($user); stop that process or choose another port with --port"
  done
  mkdir -p "$inst/data" "$inst/logs"
  sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@DATA_DIR@|$inst/data|g" \
    "$HERE/server.properties.in" >"$inst/server.properties"
  if ((SASL)); then
    sasl_properties "$inst"
    scram=(--add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$SASL_PASSWORD]" --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$SASL_PASSWORD]")
  fi
  ((TLS)) && tls_properties "$inst"
  # A cluster id is 16 random bytes in URL-safe base64 without padding (what StorageTool random-uuid prints).
  # (One starting with '-' would be taken for an option by StorageTool's argument parser.)
  id="-"
  while [[ "$id" == -* ]]; do id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
  local common=(-Djava.awt.headless=true -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$inst/logs")
  # A short-lived JVM: C1 only and the serial GC start faster.
  if ! "$JAVA" "${common[@]}" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$LIB_DIR/*" kafka.tools.StorageTool format --cluster-id="$id" -c "$inst/server.properties" -g "${scram[@]}" \
    >"$inst/logs/format.log" 2>&1 9>&- 8>&-; then
    cat "$inst/logs/format.log" >&2
    die "formatting the storage in $inst/data failed (output above)"
  fi
  launch_instance "$inst" "$port"
}

# launch_instance INSTANCE_DIR PORT: start the broker of a formatted instance, then wait until it answers.
launch_instance() {
  local inst="$1" port="$2"
  local common=(-Djava.awt.headless=true -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$inst/logs")
  local jvm=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "${common[@]}")
  setsid nohup "$JAVA" "${jvm[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$inst/server.properties" \
    >>"$inst/logs/stdout.log" 2>&1 </dev/null 9>&- 8>&- &
  local pid=$!
  echo "$pid" >"$inst/pid"
  wait_ready "$inst" "$port" "$pid"
}

# The instance of this checkout on port $PORT (dev, test or SASL), or die.
instance_on_port() {
  local inst
  for inst in "$RUN_ROOT/dev-$PORT" "$RUN_ROOT/test-$PORT" "$RUN_ROOT/sasl-$PORT" "$RUN_ROOT/tls-$PORT"; do
    if [[ -f "$inst/server.properties" ]]; then
      printf '%s' "$inst"
      return 0
    fi
  done
  die "no broker instance of this checkout on port $PORT (looked for dev-, test-, sasl- and tls-$PORT in $RUN_ROOT)"
}

# stop/start keep the data and take no lock: they are meant for a broker outage in the middle of a run
# that holds the instance's lock (with-test-broker) or for a development broker.
cmd_stop() {
  parse_port "$@"
  local inst
  inst="$(instance_on_port)"
  stop_instance "$inst"
  log "stopped the broker on 127.0.0.1:$PORT (data kept in $inst/data; start it again with: kafka.sh start --port $PORT)"
}

cmd_start() {
  parse_port "$@"
  local inst
  inst="$(instance_on_port)"
  [[ -f "$inst/data/meta.properties" ]] || die "$inst/data is not formatted; use kafka.sh up (or with-test-broker) for a new broker"
  if [[ -n "$(instance_pids "$inst")" ]]; then
    log "the broker of $inst already runs (pid $(instance_pids "$inst"))"
    return 0
  fi
  [[ "$(basename "$inst")" == sasl-* ]] && SASL=1
  [[ "$(basename "$inst")" == tls-* ]] && TLS=1
  launch_instance "$inst" "$PORT"
}

wait_ready() {
  local inst="$1" port="$2" pid="$3" start=$SECONDS
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$inst/pid"
      tail -n 40 "$inst/logs/stdout.log" >&2 || true
      die "the broker (pid $pid) exited during startup; logs: $inst/logs/stdout.log and server.log"
    fi
    if probe "$port" "$inst"; then
      log "$( ((SASL)) && printf 'SASL ')$( ((TLS)) && printf 'TLS ')broker up on 127.0.0.1:$port (pid $pid, ready after $((SECONDS - start))s; logs in $inst/logs)"
      return 0
    fi
    if ((SECONDS - start >= READY_TIMEOUT)); then
      tail -n 40 "$inst/logs/stdout.log" >&2 || true
      stop_instance "$inst"
      die "the broker on 127.0.0.1:$port did not answer within ${READY_TIMEOUT}s (stopped it); logs: $inst/logs. Raise KAFKA_READY_TIMEOUT on a slow machine."
    fi
    sleep 0.5
  done
}

lock_instance() { # lock_instance INSTANCE_DIR WAIT_SECONDS
  mkdir -p "$RUN_ROOT"
  exec 9>"$1.lock"
  if ! flock -n 9; then
    log "waiting (up to $2 s) for another kafka.sh run that holds $1.lock..."
    flock -w "$2" 9 || die "$1.lock is still held after $2 s by another kafka.sh run; wait for it to finish"
  fi
}

parse_port() { # sets PORT from [--port N], SASL from [--sasl] (whose default port is 19094), and INSTANCE
  PORT=""
  while (($# > 0)); do
    case "$1" in
      --sasl)
        SASL=1
        shift
        ;;
      --tls)
        TLS=1
        shift
        ;;
      --port)
        [[ $# -ge 2 ]] || die "--port needs a value, e.g. --port 9092"
        PORT="$2"
        shift 2
        ;;
      --port=*)
        PORT="${1#--port=}"
        shift
        ;;
      *) die "unknown option '$1' (allowed: --port N, --sasl, --tls)" ;;
    esac
  done
  if [[ -z "$PORT" ]]; then
    PORT="$DEFAULT_PORT"
    ((SASL)) && PORT="${KAFKA_SASL_PORT:-19094}"
    ((TLS)) && PORT="${KAFKA_TLS_PORT:-19096}"
  fi
  ! ((SASL && TLS)) || die "--sasl and --tls together (SASL_SSL) are not supported: choose one"
  INSTANCE="$RUN_ROOT/dev-$PORT"
  ((SASL)) && INSTANCE="$RUN_ROOT/sasl-$PORT"
  ((TLS)) && INSTANCE="$RUN_ROOT/tls-$PORT"
  [[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT >= 1024 && PORT <= 65534)) ||
    die "--port '$PORT' is not a port number in 1024..65534"
}

cmd_up() {
  parse_port "$@"
  local inst="$INSTANCE" pids
  lock_instance "$inst" 120
  pids="$(instance_pids "$inst")"
  if [[ -n "$pids" ]]; then
    if probe "$PORT" "$inst"; then
      log "already up on 127.0.0.1:$PORT (pid $pids)"
      return 0
    fi
    log "a broker process of $inst (pid $pids) exists but does not answer; stopping that stale broker"
    stop_instance "$inst"
  fi
  cmd_install
  start_instance "$inst" "$PORT"
}

cmd_down() {
  parse_port "$@"
  local inst="$INSTANCE"
  lock_instance "$inst" 120
  if [[ -n "$(instance_pids "$inst")" ]]; then
    stop_instance "$inst"
    log "stopped the broker on 127.0.0.1:$PORT"
  else
    log "no broker of this checkout runs on 127.0.0.1:$PORT"
  fi
  rm -rf "$inst"
}

cmd_status() {
  parse_port "$@"
  local inst name port pids state rc=3
  shopt -s nullglob
  for inst in "$RUN_ROOT"/*/; do
    inst="${inst%/}"
    name="$(basename "$inst")"
    port="${name##*-}"
    pids="$(instance_pids "$inst")"
    if [[ -z "$pids" ]]; then
      state="stopped (left-over files)"
    elif probe "$port" "$inst"; then
      state="up, answering (pid $pids)"
      [[ "$port" == "$PORT" ]] && rc=0
    else
      state="process running but not answering (pid $pids)"
    fi
    printf '%-14s 127.0.0.1:%-6s %s\n' "$name" "$port" "$state"
  done
  if ((rc != 0)); then
    local user
    user="$(port_user "$PORT")"
    if [[ -n "$user" ]] && probe "$PORT"; then
      printf 'a broker not started by this checkout answers on 127.0.0.1:%s (%s)\n' "$PORT" "$user"
      rc=0
    else
      printf 'no broker answers on 127.0.0.1:%s\n' "$PORT"
    fi
  fi
  is_installed && printf 'jars: installed in %s\n' "$LIB_DIR" || printf 'jars: not installed (run: bash infra/kafka/kafka.sh install)\n'
  return "$rc"
}

TEST_INST=""
test_broker_cleanup() {
  if [[ -n "$TEST_INST" ]]; then
    local t0=$SECONDS
    # Its data is deleted next, so a broker slow to stop is killed sooner than a development one.
    stop_instance "$TEST_INST" "${KAFKA_TEST_STOP_TIMEOUT:-10}"
    rm -rf "$TEST_INST"
    log "test broker stopped ($((SECONDS - t0))s)"
  fi
}

cmd_with_test_broker() {
  [[ "${1:-}" == "--" ]] && shift
  (($# > 0)) || die "with-test-broker needs a command: bash infra/kafka/kafka.sh with-test-broker -- <command...>"
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    log "KAFKA_BROKERS=$KAFKA_BROKERS is set: running against that broker"
    exec "$@"
  fi
  local inst="$RUN_ROOT/test-$TEST_PORT" rc=0
  lock_instance "$inst" "$LOCK_TIMEOUT"
  # We hold the lock, so any broker process of this instance is left over from a killed run.
  if [[ -n "$(instance_pids "$inst")" ]]; then
    log "stopping a stale test broker left over from an earlier run (pid $(instance_pids "$inst"))"
    stop_instance "$inst"
  fi
  rm -rf "$inst"
  cmd_install
  TEST_INST="$inst"
  trap test_broker_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_instance "$inst" "$TEST_PORT"
  export KAFKA_BROKERS="127.0.0.1:$TEST_PORT"
  # The broker's pid, for benchmarks that report the broker's share of the machine's CPU.
  KAFKA_BROKER_PID="$(cat "$inst/pid" 2>/dev/null || true)"
  export KAFKA_BROKER_PID
  log "running with KAFKA_BROKERS=$KAFKA_BROKERS: $*"
  # In the background and waited for, so that a SIGTERM/SIGINT to this script is handled at once
  # (bash runs traps only between commands): it is passed on to the command, then the broker stops.
  "$@" 0<&0 9>&- &
  CHILD=$!
  trap 'forward_signal TERM 143' TERM
  trap 'forward_signal INT 130' INT
  wait "$CHILD" || rc=$?
  exit "$rc"
}

CHILD=""
forward_signal() { # forward_signal SIGNAL EXIT_CODE
  log "got SIG$1: stopping the command (pid $CHILD), then the test broker"
  kill -"$1" "$CHILD" 2>/dev/null || true
  wait "$CHILD" 2>/dev/null || true
  exit "$2"
}

main() {
  local cmd="${1:-}"
  (($# > 0)) && shift
  case "$cmd" in
    install) cmd_install "$@" ;;
    up)
      find_java
      cmd_up "$@"
      ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    stop) cmd_stop "$@" ;;
    start)
      find_java
      cmd_start "$@"
      ;;
    with-test-broker)
      find_java
      cmd_with_test_broker "$@"
      ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage
      die "unknown subcommand '${cmd}' (allowed: install, up, down, status, stop, start, with-test-broker)"
      ;;
  esac
}

main "$@"
