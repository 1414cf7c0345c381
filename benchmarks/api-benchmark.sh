#!/usr/bin/env bash
# The API server benchmark with etcd as its anchor, measured in the same run: builds the control
# plane (without installing anything into ~/.m2), starts a single-member etcd and the packaged control
# plane (once per journal: H2, then PostgreSQL) on loopback, drives both with wrk, prints Markdown
# tables, and cleans up after itself however it ends (processes, data directories, its database).
# Installs Debian's etcd-server and wrk when missing (as root, or through sudo without a password).
# Usage: api-benchmark.sh [PODS] [--journal h2|postgres]     (10000 pods and both journals by default)
# KUBEACTOR_BENCH_JVM_OPTIONS="-Dkubeactor.store.snapshot-every=20000 ..." adds options to the control plane's JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

pods=10000
journals=h2,postgres
while [ $# -gt 0 ]; do
  case "$1" in
    --journal) journals="${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
    [0-9]*) pods="$1"; shift ;;
    *) echo "usage: $0 [PODS] [--journal h2|postgres]" >&2; exit 2 ;;
  esac
done
case "$journals" in
  h2|postgres|h2,postgres) ;;
  *) echo "usage: $0 [PODS] [--journal h2|postgres]" >&2; exit 2 ;;
esac

say() { echo "api-benchmark: $*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}
# as scripts/ensure-postgres.sh does: PostgreSQL's superuser when root, else this user
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian's ${missing[*]}"
  # policy-rc.d keeps etcd-server from starting a system etcd on 2379 (the benchmark runs its own), as
  # dns-benchmark.sh does for nsd; one the machine already has is left as it is
  { command -v apt-get >/dev/null 2>&1 && as_root sh -c '
      own_policy=
      if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
      fi
      trap "[ -z \"\$own_policy\" ] || rm -f /usr/sbin/policy-rc.d" EXIT
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"' sh "${missing[@]}" >&2; } \
    || { say "needs ${missing[*]}; install as root (Debian: apt-get install ${missing[*]})"; exit 1; }
fi

work=$(mktemp -d -t kubeactor-api-bench.XXXXXX)
db=
pg_port=
java_pid=
cleanup() {
  # the benchmark's JVM stops etcd, its control planes and wrk as it exits; the pids are for a JVM that
  # was killed (a wrk run then ends by itself within its 10 s)
  if [ -n "$java_pid" ]; then kill "$java_pid" 2>/dev/null || true; wait "$java_pid" 2>/dev/null || true; fi
  if [ -f "$work/children.pids" ]; then
    while read -r pid; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done < "$work/children.pids"
  fi
  if [ -n "$db" ]; then
    as_postgres "psql -p $pg_port -qc 'DROP DATABASE IF EXISTS $db WITH (FORCE)'" >/dev/null 2>&1 \
      || say "could not drop the benchmark's database $db"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$journals" == *postgres* ]]; then
  settings=$(scripts/ensure-postgres.sh) \
    || { say "PostgreSQL is not available (see above); for the H2 table alone: $0 $pods --journal h2"; exit 1; }
  eval "$settings"
  pg_port=$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$KUBEACTOR_TEST_POSTGRES_URL")
  # a database of the run's own: the tests' database and other runs are left alone
  db=kubeactor_bench_$$
  as_postgres "psql -p $pg_port -qc 'CREATE DATABASE $db OWNER $KUBEACTOR_TEST_POSTGRES_USER'" >&2 \
    || { say "cannot create the database $db in PostgreSQL on port $pg_port"; exit 1; }
  export KUBEACTOR_BENCH_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/$db"
  export KUBEACTOR_BENCH_POSTGRES_USER="$KUBEACTOR_TEST_POSTGRES_USER"
  export KUBEACTOR_BENCH_POSTGRES_PASSWORD="$KUBEACTOR_TEST_POSTGRES_PASSWORD"
fi

say "building the control plane and its tests (package only: nothing is installed into ~/.m2)"
./mvnw -q -B -DskipTests -pl control-plane -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cd control-plane
say "measuring $pods pods, journals $journals (a few minutes)"
# in the background so that a signal reaches the trap at once; the JVM exits when its tables are printed
java -Xmx2g -Dkubeactor.control-plane.jvm-options="${KUBEACTOR_BENCH_JVM_OPTIONS:-}" -Dkubeactor.bench.work-dir="$work" -Dkubeactor.bench.scripts="$root/benchmarks" \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.kubeactor.controlplane.bench.ApiBenchmark "$pods" "$journals" &
java_pid=$!
status=0
wait "$java_pid" || status=$?
java_pid=
say "done in $SECONDS s"
exit "$status"
