#!/usr/bin/env bash
# Makes a Docker engine available for the node agents: uses a running one; else starts the installed
# dockerd; else, as root with apt, installs Debian's docker.io and starts it; else says in one line
# what to install. Exit 0 when `docker info` answers.
set -euo pipefail

say() { echo "ensure-docker: $*" >&2; }
DOCKER=$(command -v docker || true)
engine_up() { [ -n "$DOCKER" ] && "$DOCKER" info >/dev/null 2>&1; }

engine_up && exit 0

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's docker.io package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io) >&2 \
      || { say "apt-get install docker.io failed"; exit 1; }
  else
    say "no Docker engine: install Docker (Debian: apt-get install docker.io) and start it"
    exit 1
  fi
fi
DOCKER=$(command -v docker || echo /usr/bin/docker)
engine_up && exit 0

[ "$(id -u)" = 0 ] || { say "dockerd is installed but not running, and starting it needs root (sudo dockerd)"; exit 1; }
log="${KUBEACTOR_HOME:-$HOME/.kubeactor}/logs/dockerd.log"
mkdir -p "$(dirname "$log")"
say "starting dockerd (log: $log)"
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 60); do
  engine_up && exit 0
  sleep 0.5
done
say "dockerd did not answer within 30 s; see $log"
exit 1
