#!/usr/bin/env bash
# Durable pod creates of two builds side by side: both control planes run at once on fresh H2 data
# directories, and wrk runs alternate between them, so the machine's other work falls on both.
# For comparing a change with its base on a noisy machine; api-benchmark.sh measures against etcd.
#
#   benchmarks/side-by-side-creates.sh REV_A REV_B [ROUNDS] [CLIENTS]
#
# REV_A and REV_B are git revisions of this repository (built in temporary worktrees, nothing is
# installed into ~/.m2). ROUNDS (default 5) 10 s runs each, CLIENTS connections (default 1). Each
# control plane is first warmed up with WARMUP_SECONDS (default 30) of creates from 4 clients: the
# JIT is still speeding them up for tens of seconds. KUBEACTOR_AB_JVM_OPTIONS adds JVM options to
# both, where NAME stands for a or b (e.g. a JFR recording to /tmp/NAME.jfr).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 REV_A REV_B [ROUNDS] [CLIENTS]" >&2; exit 2; }
command -v wrk > /dev/null || { echo "side-by-side-creates: wrk is missing; install it with: apt-get install wrk" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
rev_a=$1 rev_b=$2 rounds=${3:-5} clients=${4:-1} warmup=${WARMUP_SECONDS:-30} jvm_options=${KUBEACTOR_AB_JVM_OPTIONS:-}
work=$(mktemp -d -t kubeactor-side-by-side.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  for n in a b; do git -C "$root" worktree remove --force "$work/src-$n" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "side-by-side-creates: $*" >&2; }

declare -A port
for n in a b; do
  rev=$([ $n = a ] && echo "$rev_a" || echo "$rev_b")
  say "building $n = $rev"
  git -C "$root" worktree add -q --detach "$work/src-$n" "$rev"
  (cd "$work/src-$n" && ./mvnw -q -B -DskipTests -pl control-plane -am package)
  port[$n]=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$work/src-$n/control-plane" && exec java @jvm.options -Xmx2g ${jvm_options//NAME/$n} \
    -cp "target/control-plane.jar:target/lib/*" io.kubeactor.controlplane.Main --data-dir "$work/data-$n" \
    --port "${port[$n]}" --cluster-port 0 --dns-port 0 > "$work/$n.log" 2>&1) &
  pids+=($!)
done
for n in a b; do
  until grep -q "control plane serving" "$work/$n.log" 2> /dev/null; do
    kill -0 "${pids[$([ $n = a ] && echo 0 || echo 1)]}" 2> /dev/null || { say "$n exited:"; tail -20 "$work/$n.log" >&2; exit 1; }
    sleep 0.5
  done
done

lua=$root/benchmarks/wrk-kubeactor-create.lua
token() { cat "$work/data-$1/pki/admin.token"; }
for n in a b; do
  for ns in warmup measured; do
    curl -sfk -o /dev/null -H "Authorization: Bearer $(token $n)" -H 'Content-Type: application/json' \
      -d "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$ns\"}}" \
      "https://127.0.0.1:${port[$n]}/api/v1/namespaces"
  done
done
run() { # name namespace connections seconds prefix
  local threads=$([ "$3" = 1 ] && echo 1 || echo 2)
  wrk -t"$threads" -c"$3" -d"$4"s -s "$lua" "https://127.0.0.1:${port[$1]}" -- "$(token "$1")" "$2" "$5" 2>&1 \
    | awk '/Requests\/sec/ {printf "%s", $2} /Non-2xx/ {printf " (%s non-2xx)", $NF}'
}
say "warming both up, ${warmup} s each"
for n in a b; do run $n warmup 4 "$warmup" warm > /dev/null; done
echo "| round | a: $rev_a, creates/s | b: $rev_b, creates/s |"
echo "|---|---|---|"
for r in $(seq "$rounds"); do
  a=$(run a measured "$clients" 10 "r$r")
  b=$(run b measured "$clients" 10 "r$r")
  echo "| $r ($clients clients) | $a | $b |"
done
