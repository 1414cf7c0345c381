#!/usr/bin/env bash
# A private registry with authentication on this machine (F-IMG-2; the notes' mydomain:5000):
# Debian's docker-registry serving 127.0.0.1:$KUBEACTOR_REGISTRY_PORT (default 5000) with htpasswd
# (bcrypt) users, holding photo-view:v2.0 and photo-view:v1.0. Reuses a registry it started before;
# starts one in the background otherwise (no service manager needed). Prints the registry address
# (localhost:5000) on stdout; everything else goes to stderr.
#
# Docker treats registries on 127.0.0.0/8 as insecure (plain HTTP) by default, so no daemon
# configuration is needed. The local photo-view tags are removed after the push, so a pod that
# pulls photo-view really talks to the registry: with credentials it works, without them the pull
# fails with "no basic auth credentials".
#
# Environment: KUBEACTOR_HOME (config, users, data and log under $KUBEACTOR_HOME/registry, default
# ~/.kubeactor), KUBEACTOR_REGISTRY_PORT (5000), KUBEACTOR_REGISTRY_USER (admin),
# KUBEACTOR_REGISTRY_PASSWORD (admin), KUBEACTOR_REGISTRY_REPUSH=1 (push photo-view again).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=${KUBEACTOR_REGISTRY_PORT:-5000}
REG_USER=${KUBEACTOR_REGISTRY_USER:-admin}
REG_PASSWORD=${KUBEACTOR_REGISTRY_PASSWORD:-admin}
DIR="${KUBEACTOR_HOME:-$HOME/.kubeactor}/registry"
ADDR="localhost:$PORT"
URL="http://127.0.0.1:$PORT"
REALM=kubeactor-registry # tells our registry from any other service on the port

fail() { echo "ensure-registry: $*" >&2; exit 1; }
say() { echo "ensure-registry: $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }

[[ $PORT =~ ^[0-9]+$ ]] || fail "KUBEACTOR_REGISTRY_PORT must be a port number, not '$PORT'"
need docker || fail "no docker command: run docker/ensure-docker.sh first"
if ! out=$(docker info 2>&1 >/dev/null); then
  [[ $out == *"permission denied"* ]] && fail "no permission to use the Docker engine: run as root or join the docker group"
  fail "the Docker engine does not answer: run docker/ensure-docker.sh first"
fi
mkdir -p "$DIR/data"
LOG="$DIR/registry.log"

install_packages() {
  local pkgs=()
  need docker-registry || pkgs+=(docker-registry)
  need htpasswd || pkgs+=(apache2-utils)
  need curl || pkgs+=(curl)
  [ ${#pkgs[@]} -gt 0 ] || return 0
  is_root && need apt-get || fail "${pkgs[*]} needed: run as root once, or apt-get install ${pkgs[*]}"
  say "installing ${pkgs[*]}"
  # The package's own service would take port 5000 with its own configuration: keep it stopped
  # (policy-rc.d is what invoke-rc.d and deb-systemd-invoke ask before starting a service).
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >"$DIR/apt.log" 2>&1; then
    apt-get update -qq >>"$DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >>"$DIR/apt.log" 2>&1 \
      || fail "apt-get install ${pkgs[*]} failed; see $DIR/apt.log"
  fi
  if [ -n "$guard" ]; then
    rm -f "$guard"
    trap - EXIT
  fi
  if [[ " ${pkgs[*]} " == *" docker-registry "* ]] && [ -d /run/systemd/system ]; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
}

# Writes users and configuration; returns 0 when something changed.
write_config() {
  local unchanged=1
  if ! { [ -s "$DIR/htpasswd" ] && htpasswd -vb "$DIR/htpasswd" "$REG_USER" "$REG_PASSWORD" >/dev/null 2>&1; }; then
    htpasswd -Bbc "$DIR/htpasswd" "$REG_USER" "$REG_PASSWORD" >/dev/null 2>&1 || fail "htpasswd failed"
    unchanged=0
  fi
  [ -s "$DIR/http-secret" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$DIR/http-secret")
  local config
  config=$(
    cat <<EOF
version: 0.1
log:
  level: warn
  formatter: text
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
  secret: $(cat "$DIR/http-secret")
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: $REALM
    path: $DIR/htpasswd
EOF
  )
  if [ "$(cat "$DIR/config.yml" 2>/dev/null)" != "$config" ]; then
    (umask 077 && printf '%s\n' "$config" >"$DIR/config.yml")
    unchanged=0
  fi
  return $unchanged
}

# What answers on the port: "ours" (a 401 with our realm), "other", or "none".
port_state() {
  local head
  head=$(curl -s -o /dev/null -D - --max-time 2 "$URL/v2/" 2>/dev/null | tr -d '\r' || true)
  if [ -z "$head" ]; then
    echo none
  elif grep -qi "^www-authenticate: basic realm=\"$REALM\"" <<<"$head"; then
    echo ours
  else
    echo other
  fi
}
credentials_work() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -u "$REG_USER:$REG_PASSWORD" "$URL/v2/")" = 200 ]; }
started_pid() { # the registry this script started, if it still runs
  local pid
  pid=$(cat "$DIR/registry.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = docker-registry ] && echo "$pid"
}

start_registry() {
  # setsid: the registry outlives this script and the terminal it ran in.
  setsid docker-registry serve "$DIR/config.yml" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$DIR/registry.pid"
  for _ in $(seq 1 50); do
    [ "$(port_state)" = ours ] && return 0
    running "$(cat "$DIR/registry.pid")" || fail "docker-registry exited at start; see $LOG"
    sleep 0.2
  done
  fail "docker-registry did not answer on $URL within 10 s; see $LOG"
}

# A process that exited but was not reaped yet (a zombie) counts as gone.
running() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

stop_registry() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    running "$pid" || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

install_packages
changed=0
write_config && changed=1

case "$(port_state)" in
  none)
    start_registry
    say "started docker-registry on 127.0.0.1:$PORT (pid $(cat "$DIR/registry.pid"), log $LOG)"
    ;;
  ours)
    if [ $changed = 1 ] || ! credentials_work; then
      pid=$(started_pid) || fail "a registry on port $PORT runs with other settings and was not started from $DIR: stop it, or set KUBEACTOR_REGISTRY_PORT"
      say "restarting docker-registry with the new settings"
      stop_registry "$pid"
      start_registry
    fi
    ;;
  other) fail "port $PORT is taken by another service: set KUBEACTOR_REGISTRY_PORT to a free port" ;;
esac
credentials_work || fail "the registry on $URL rejects user $REG_USER; see $LOG"

# ---- photo-view:v2.0 and v1.0 in the registry ---------------------------------------------------

tag_in_registry() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -u "$REG_USER:$REG_PASSWORD" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "$URL/v2/photo-view/manifests/$1")" = 200 ]
}

push_photo_view() {
  docker image inspect nginx:latest >/dev/null 2>&1 || "$HERE/build-images.sh" >&2 \
    || fail "photo-view is built on nginx:latest, and docker/build-images.sh failed"
  local versions=(v2.0 v1.0) v refs=() plog="$DIR/push.log"
  : >"$plog"
  for v in "${versions[@]}"; do
    docker build --label io.kubeactor.stand-in=true --build-arg "PHOTO_VIEW_VERSION=$v" \
      -t "$ADDR/photo-view:$v" "$HERE/images/photo-view" >>"$plog" 2>&1 \
      || fail "building photo-view:$v failed; see $plog"
    refs+=("$ADDR/photo-view:$v")
  done
  # A throw-away client configuration: the user's own docker credentials stay as they are.
  DOCKER_CONFIG=$(mktemp -d)
  export DOCKER_CONFIG
  local ok=1
  if printf '%s' "$REG_PASSWORD" | docker login --username "$REG_USER" --password-stdin "$ADDR" >>"$plog" 2>&1; then
    for v in "${refs[@]}"; do docker push "$v" >>"$plog" 2>&1 || ok=0; done
  else
    ok=0
  fi
  rm -rf "$DOCKER_CONFIG"
  unset DOCKER_CONFIG
  # Without local copies, pods must pull from the registry (and so need the credentials).
  docker rmi "${refs[@]}" >/dev/null 2>&1 || true
  [ $ok = 1 ] || fail "pushing photo-view to $ADDR failed; see $plog"
  say "pushed $ADDR/photo-view:v2.0 and :v1.0"
}

if [ "${KUBEACTOR_REGISTRY_REPUSH:-0}" = 1 ] || ! tag_in_registry v2.0 || ! tag_in_registry v1.0; then
  push_photo_view
fi
echo "$ADDR"
