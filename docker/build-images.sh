#!/usr/bin/env bash
# Builds the images that the notes' manifests name (F-IMG-1) on a Docker engine that reaches no
# registry: stand-ins built from Debian's packages, tagged with the real names. Where a registry is
# reachable and an image is missing, the real image is pulled instead.
#
# Each stand-in carries the labels io.kubeactor.stand-in=true and io.kubeactor.build-hash (a hash
# of its build folder, compile flags, build args and base); it is rebuilt only when missing or when
# that hash changed, so a second run with nothing changed takes about a second.
#
#   docker/build-images.sh            build what is missing or changed; one line per image built
#   docker/build-images.sh --verify   then run every image and check that it behaves (~15 s)
#
# Environment: KUBEACTOR_HOME (work files under $KUBEACTOR_HOME/images-build, default ~/.kubeactor),
# KUBEACTOR_DEBIAN_MIRROR (default: the mirror apt uses, else http://deb.debian.org/debian),
# KUBEACTOR_IMAGE_PULL=0 (never try registries: always build the stand-ins).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGES="$HERE/images"
WORK="${KUBEACTOR_HOME:-$HOME/.kubeactor}/images-build"
LOGS="$WORK/logs"
SUITE=bookworm
DEBIAN_BASE=kubeactor/debian:bookworm
BUSYBOX_BASE=kubeactor/busybox:bookworm
HASH_LABEL=io.kubeactor.build-hash
STAND_IN_LABEL=io.kubeactor.stand-in
BASE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Images that carry a program Maven builds: folder -> its target directory, whose jar and lib/ go into
# the build context as app/ (and into the image's hash).
declare -A APP_FROM=([ingress-nginx]="$HERE/../ingress-controller/target")
declare -A APP_JAR=([ingress-nginx]=ingress-controller.jar)

fail() { echo "build-images: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }
sha() { sha256sum | cut -c1-16; }

VERIFY=0
case "${1:-}" in
  "") ;;
  --verify) VERIFY=1 ;;
  *) fail "usage: $0 [--verify]" ;;
esac

need docker || fail "no docker command: run docker/ensure-docker.sh first"
if ! out=$(docker info 2>&1 >/dev/null); then
  [[ $out == *"permission denied"* ]] && fail "no permission to use the Docker engine: run as root or join the docker group"
  fail "the Docker engine does not answer: run docker/ensure-docker.sh first"
fi
mkdir -p "$LOGS"
exec 9>"$WORK/.lock"
flock 9 # one build at a time per machine

# Installs Debian packages when we may (root with apt), else says what to install.
apt_install() {
  local what="$*"
  if is_root && need apt-get; then
    echo "installing $what" >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOGS/apt.log" 2>&1; then
      apt-get update -qq >>"$LOGS/apt.log" 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$LOGS/apt.log" 2>&1 \
        || fail "apt-get install $what failed; see $LOGS/apt.log"
    fi
  else
    fail "$what is needed: run as root once, or install it (Debian: apt-get install $what)"
  fi
}

# The Debian mirror apt uses on this machine (the suite entry, not -security or -updates).
apt_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk -v s=" $SUITE " '$1 == "deb" && index($0, s) { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { print $i; exit } }')
  if [ -z "$uri" ]; then
    uri=$(awk -v RS= -v s="$SUITE" '
      $0 ~ ("Suites:[^\n]*[ \t]" s "([ \t\n]|$)") || $0 ~ ("Suites:[ \t]*" s "([ \t\n]|$)") {
        if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", u); print u; exit }
      }' /etc/apt/sources.list.d/*.sources 2>/dev/null)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# ---- base images, imported from a root file system ---------------------------------------------

# Recipe hashes: the text of the function that builds the base, so editing it rebuilds the base.
recipe_hash() { declare -f "$1" | sha; }

build_debian_base() {
  is_root || fail "building $DEBIAN_BASE runs debootstrap, which needs root: run this script as root once"
  need debootstrap || apt_install debootstrap
  local mirror=${KUBEACTOR_DEBIAN_MIRROR:-$(apt_mirror)}
  local rootfs="$WORK/debian-rootfs" cache="$WORK/debootstrap-cache"
  rm -rf "$rootfs"
  mkdir -p "$cache"
  debootstrap --variant=minbase --cache-dir="$cache" "$SUITE" "$rootfs" "$mirror" >"$LOGS/debootstrap.log" 2>&1 \
    || fail "debootstrap $SUITE from $mirror failed; see $LOGS/debootstrap.log"
  # As Docker's own (slim) Debian images: package scripts start no services, apt keeps no caches,
  # dpkg installs no documentation, manual pages or translations.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  cat >"$rootfs/etc/apt/apt.conf.d/90kubeactor" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
APT
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/90kubeactor" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
DPKG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/groff/* "$rootfs"/usr/share/lintian/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* "$rootfs"/etc/hostname
  : >"$rootfs/etc/resolv.conf"
  tar --numeric-owner -C "$rootfs" -c . \
    | docker import -c 'CMD ["bash"]' -c "ENV PATH=$BASE_PATH" -c "LABEL $HASH_LABEL=$1" - "$DEBIAN_BASE" \
      >"$LOGS/import-debian.log" 2>&1 || fail "docker import of $DEBIAN_BASE failed; see $LOGS/import-debian.log"
  rm -rf "$rootfs"
}

build_busybox_base() {
  local dir="$WORK/busybox" deb
  rm -rf "$dir"
  mkdir -p "$dir/deb" "$dir/rootfs"
  if ! (cd "$dir/deb" && apt-get download busybox-static) >"$LOGS/busybox.log" 2>&1; then
    is_root && apt-get update -qq >>"$LOGS/busybox.log" 2>&1
    (cd "$dir/deb" && apt-get download busybox-static) >>"$LOGS/busybox.log" 2>&1 \
      || fail "apt-get download busybox-static failed; see $LOGS/busybox.log"
  fi
  deb=$(ls "$dir"/deb/busybox-static_*.deb)
  dpkg-deb -x "$deb" "$dir/pkg"
  local root="$dir/rootfs"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,home,tmp,var/tmp,var/log,run,proc,sys,dev}
  cp "$dir/pkg/bin/busybox" "$root/bin/busybox"
  # What `busybox --install` does, done from outside: a hard link per applet where Debian puts it.
  local applet
  for applet in $("$root/bin/busybox" --list-full); do
    [ "$applet" = linuxrc ] || [ -e "$root/$applet" ] || ln "$root/bin/busybox" "$root/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 700 "$root/root"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . \
    | docker import -c 'CMD ["sh"]' -c "ENV PATH=$BASE_PATH" -c "LABEL $HASH_LABEL=$1" - "$BUSYBOX_BASE" \
      >"$LOGS/import-busybox.log" 2>&1 || fail "docker import of $BUSYBOX_BASE failed; see $LOGS/import-busybox.log"
  rm -rf "$dir"
}

need curl || apt_install curl # probes registries, and --verify talks to the images

DEBIAN_HASH=$(recipe_hash build_debian_base)
BUSYBOX_HASH=$(recipe_hash build_busybox_base)

# ---- what exists locally --------------------------------------------------------------------------

declare -A HAVE      # tag -> build hash of a stand-in, "-" for an image without one (a real image)
declare -A IMAGE_ID  # tag -> image id
refresh_local() {
  HAVE=()
  IMAGE_ID=()
  local id hash tags tag
  while read -r id hash tags; do
    for tag in $tags; do
      HAVE[$tag]=$hash
      IMAGE_ID[$tag]=$id
    done
  done < <(docker image ls -q --no-trunc | sort -u \
    | xargs -r docker image inspect -f "{{.Id}} {{with .Config.Labels}}{{or (index . \"$HASH_LABEL\") \"-\"}}{{else}}-{{end}} {{range .RepoTags}}{{.}} {{end}}" 2>/dev/null)
}
refresh_local

ensure_base() { # name, recipe hash, build function
  [ "${HAVE[$1]:-}" = "$2" ] && return 0
  local t0=$SECONDS old=${IMAGE_ID[$1]:-}
  "$3" "$2"
  echo "built $1 ($((SECONDS - t0))s)"
  # The replaced base stays while images built on it remain; otherwise it goes now.
  [ -z "$old" ] || docker rmi "$old" >/dev/null 2>&1 || true
  refresh_local
}

# ---- registries: pull the real image where one is reachable ------------------------------------

declare -A REACHABLE # registry host -> 1 or 0, probed once, in parallel
registry_host() {
  local first=${1%%/*}
  if [[ $1 == */* && ($first == *.* || $first == *:* || $first == localhost) ]]; then
    echo "$first"
  else
    echo registry-1.docker.io
  fi
}
probe_registries() {
  [ "${KUBEACTOR_IMAGE_PULL:-1}" = 0 ] && return 0
  local hosts h out
  hosts=$(for h in "$@"; do registry_host "$h"; done | sort -u)
  # Any HTTP answer (200, 401...) means reachable; offline, DNS or connect fails within 2 s.
  out=$(for h in $hosts; do
    (echo "$h $(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 2 -m 4 "https://$h/v2/" || true)") &
  done; wait)
  while read -r h code; do
    [ -n "$h" ] || continue
    if [[ $code =~ ^[1-5][0-9][0-9]$ ]]; then REACHABLE[$h]=1; else REACHABLE[$h]=0; fi
  done <<<"$out"
}
try_pull() {
  [ "${KUBEACTOR_IMAGE_PULL:-1}" = 0 ] && return 1
  [ "${REACHABLE[$(registry_host "$1")]:-0}" = 1 ] || return 1
  docker pull -q "$1" >>"$LOGS/pull.log" 2>&1
}

# ---- stand-ins --------------------------------------------------------------------------------

# FROM images of a Dockerfile, each as its own identity: base recipe, stand-in hash or image id.
from_identity() {
  local ref
  for ref in $(awk 'toupper($1) == "FROM" { print $2 }' "$1"); do
    [[ $ref == *:* ]] || ref="$ref:latest"
    case "$ref" in
      scratch:latest) echo scratch ;;
      "$DEBIAN_BASE") echo "$DEBIAN_HASH" ;;
      "$BUSYBOX_BASE") echo "$BUSYBOX_HASH" ;;
      *) if [ "${HAVE[$ref]:-}" = - ]; then echo "${IMAGE_ID[$ref]}"; else echo "${HAVE[$ref]:-missing:$ref}"; fi ;;
    esac
  done
}

image_hash() { # folder, cflags, build args
  local dir="$IMAGES/$1"
  {
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    ls "$dir"/*.c >/dev/null 2>&1 && (cd "$IMAGES/common" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    [ -z "${APP_FROM[$1]:-}" ] || (cd "${APP_FROM[$1]}" && find "${APP_JAR[$1]}" lib -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    echo "cflags: $2"
    echo "args: $3"
    from_identity "$dir/Dockerfile"
  } | sha
}

ensure_compiler() {
  need gcc && [ -e "$(gcc -print-file-name=libc.a)" ] && return 0
  apt_install gcc libc6-dev
}

build_stand_in() { # folder, hash, cflags, build args, tags...
  local folder=$1 hash=$2 cflags=$3 args=$4
  shift 4
  local log="$LOGS/${folder}.log" ctx c t0=$SECONDS
  local -a opts=()
  ctx=$(mktemp -d "$WORK/context.XXXXXX")
  cp -a "$IMAGES/$folder/." "$ctx/"
  if [ -n "${APP_FROM[$folder]:-}" ]; then
    mkdir -p "$ctx/app"
    cp -a "${APP_FROM[$folder]}/${APP_JAR[$folder]}" "${APP_FROM[$folder]}/lib" "$ctx/app/"
  fi
  for c in "$ctx"/*.c; do
    [ -e "$c" ] || continue
    ensure_compiler
    # Static, so it runs in an empty image or on busybox without any libraries.
    # shellcheck disable=SC2086
    gcc -static -Os -s -Wall -Wextra -I "$IMAGES/common" $cflags -o "${c%.c}" "$c" >"$log" 2>&1 \
      || { rm -rf "$ctx"; fail "compiling $folder/$(basename "$c") failed; see $log"; }
    rm -f "$c"
  done
  for c in $args; do opts+=(--build-arg "$c"); done
  for c in "$@"; do opts+=(-t "$c"); done
  # Host network: RUN apt-get reaches the mirror the way the host does (proxies, DNS).
  if ! docker build --network host --label "$STAND_IN_LABEL=true" --label "$HASH_LABEL=$hash" \
    "${opts[@]}" "$ctx" >>"$log" 2>&1; then
    rm -rf "$ctx"
    fail "building $* failed; see $log"
  fi
  rm -rf "$ctx"
  echo "built $* ($((SECONDS - t0))s)"
}

PROBED=0
ensure_image() { # folder, "tags", cflags, build args
  local folder=$1 cflags=${3:-} args=${4:-} hash tag ref
  local -a todo=() stale=()
  hash=$(image_hash "$folder" "$cflags" "$args")
  for tag in $2; do
    case "${HAVE[$tag]:-}" in
      "$hash" | -) ;; # current stand-in, or a real image: keep
      "") todo+=("$tag") ;;
      *) todo+=("$tag"); stale+=("${IMAGE_ID[$tag]}") ;;
    esac
  done
  [ ${#todo[@]} -gt 0 ] || return 0

  # Only an image missing altogether is pulled; an outdated stand-in is rebuilt.
  local -a build=()
  for tag in "${todo[@]}"; do
    if [ -z "${HAVE[$tag]:-}" ]; then
      if [ $PROBED = 0 ]; then probe_registries "${ALL_TAGS[@]}"; PROBED=1; fi
      if try_pull "$tag"; then echo "pulled $tag"; continue; fi
    fi
    build+=("$tag")
  done
  [ ${#build[@]} -gt 0 ] || { refresh_local; return 0; }

  for ref in $(awk 'toupper($1) == "FROM" { print $2 }' "$IMAGES/$folder/Dockerfile"); do
    case "$ref" in
      "$DEBIAN_BASE") ensure_base "$DEBIAN_BASE" "$DEBIAN_HASH" build_debian_base ;;
      "$BUSYBOX_BASE") ensure_base "$BUSYBOX_BASE" "$BUSYBOX_HASH" build_busybox_base ;;
    esac
  done
  build_stand_in "$folder" "$hash" "$cflags" "$args" "${build[@]}"
  # Replaced stand-ins would linger as untagged images; remove them unless still in use.
  for ref in "${stale[@]}"; do docker rmi "$ref" >/dev/null 2>&1 || true; done
  refresh_local
}

# folder | tags (the notes' names; "nginx" means nginx:latest) | compile flags | build args
INGRESS_IMAGE=kubeactor/ingress-nginx-controller:0.1.0
ALL_TAGS=(busybox:latest busybox:1.36 registry.k8s.io/pause:3.10 kiamol/ch02-whoami:latest
  nginx:1.14.2 nginx:1.16.1 nginx:1.17-alpine nginx:latest polinux/stress:latest
  k8s.gcr.io/liveness:latest registry.k8s.io/liveness:latest
  gcr.io/google-samples/kubernetes-bootcamp:v1 jocatalin/kubernetes-bootcamp:v2)
ensure_image busybox "busybox:latest busybox:1.36"
ensure_image pause "registry.k8s.io/pause:3.10"
ensure_image whoami "kiamol/ch02-whoami:latest"
ensure_image nginx "nginx:1.14.2" "" "STAND_IN_FOR=nginx:1.14.2"
ensure_image nginx "nginx:1.16.1" "" "STAND_IN_FOR=nginx:1.16.1"
ensure_image nginx "nginx:1.17-alpine" "" "STAND_IN_FOR=nginx:1.17-alpine"
ensure_image nginx "nginx:latest" "" "STAND_IN_FOR=nginx:latest"
ensure_image stress "polinux/stress:latest"
# the ingress controller (./kubeactor up deploys it): only once Maven has built it
if [ -f "${APP_FROM[ingress-nginx]}/${APP_JAR[ingress-nginx]}" ]; then
  ensure_image ingress-nginx "$INGRESS_IMAGE"
else
  echo "skipped $INGRESS_IMAGE: the ingress controller is not built yet (./mvnw -DskipTests package)"
fi
ensure_image liveness "k8s.gcr.io/liveness:latest registry.k8s.io/liveness:latest"
ensure_image bootcamp "gcr.io/google-samples/kubernetes-bootcamp:v1" "-DAPP_VERSION=1"
ensure_image bootcamp "jocatalin/kubernetes-bootcamp:v2" "-DAPP_VERSION=2"

[ $VERIFY = 1 ] || exit 0

# ---- --verify: run every image and check it behaves like the original --------------------------

FAILED=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; FAILED=1; }
RUN_LABEL="io.kubeactor.verify=$$"
cleanup() { docker ps -aq --filter "label=$RUN_LABEL" | xargs -r docker rm -f >/dev/null 2>&1 || true; }
trap cleanup EXIT

start() { docker run -d --label "$RUN_LABEL" "$@"; } # image, args... -> container id
ip_of() { docker inspect -f '{{.NetworkSettings.IPAddress}}' "$1"; }
http() { # curl that waits up to 5 s for the server to listen
  local i
  for i in $(seq 1 50); do
    curl -s --max-time 3 "$@" && return 0
    sleep 0.1
  done
  return 1
}
stop_ms() { # stops a container; prints how long it took (ms) and its exit code
  local t0 t1
  t0=$(date +%s%N)
  docker stop -t 10 "$1" >/dev/null
  t1=$(date +%s%N)
  echo "$(((t1 - t0) / 1000000)) $(docker inspect -f '{{.State.ExitCode}}' "$1")"
}
check_stop() { # name, container
  local ms code
  read -r ms code < <(stop_ms "$2")
  if [ "$ms" -lt 1000 ] && [ "$code" = 0 ]; then ok "$1: docker stop took ${ms} ms, exit 0"; else bad "$1: docker stop took ${ms} ms, exit $code"; fi
}
stand_in() { [ "${HAVE[$1]:-}" != - ]; }

# The liveness server turns unhealthy after 10 s: start it first, check it last.
live=$(start k8s.gcr.io/liveness /server)
live_ip=$(ip_of "$live")
body=$(http "http://$live_ip:8080/healthz")
[ "$body" = ok ] && ok "k8s.gcr.io/liveness: /healthz answers 200 ok at first" || bad "k8s.gcr.io/liveness: /healthz said '$body'"

for tag in busybox:latest busybox:1.36; do
  out=$(docker run --rm "$tag" sh -c 'for a in sh dd sleep wget nc httpd hostname; do command -v $a >/dev/null || echo missing $a; done; echo done')
  cmd=$(docker image inspect -f '{{json .Config.Cmd}}' "$tag")
  [ "$out" = done ] && [ "$cmd" = '["sh"]' ] && ok "$tag: applets present, CMD $cmd" || bad "$tag: $out, CMD $cmd"
done

c=$(start registry.k8s.io/pause:3.10)
sleep 0.2
check_stop registry.k8s.io/pause:3.10 "$c"

c=$(start kiamol/ch02-whoami)
body=$(http "http://$(ip_of "$c")/")
[[ $body == "\"I'm ${c:0:12} running on Linux "* ]] && ok "kiamol/ch02-whoami: $body" || bad "kiamol/ch02-whoami: '$body'"
check_stop kiamol/ch02-whoami "$c"

for tag in nginx:1.14.2 nginx:1.16.1 nginx:1.17-alpine nginx:latest; do
  c=$(start "$tag")
  resp=$(http -i "http://$(ip_of "$c")/")
  if [[ $resp == *"Welcome to nginx!"* ]] && { ! stand_in "$tag" || [[ $resp == *"X-Stand-In-For: $tag"* && $resp == *"<b>$tag</b>"* ]]; }; then
    ok "$tag: Welcome to nginx! (X-Stand-In-For: $tag)"
  else
    bad "$tag: unexpected answer: $(head -c 300 <<<"$resp")"
  fi
  logged=0
  for _ in $(seq 1 20); do # nginx writes the log line after answering
    [[ $(docker logs "$c" 2>/dev/null) == *'"GET / HTTP/1.1" 200'* ]] && { logged=1; break; }
    sleep 0.1
  done
  [ $logged = 1 ] && ok "$tag: access log on stdout" || bad "$tag: no access log line on stdout"
  check_stop "$tag" "$c"
done

for v in 1 2; do
  tag=gcr.io/google-samples/kubernetes-bootcamp:v1
  [ $v = 1 ] || tag=jocatalin/kubernetes-bootcamp:v2
  c=$(start "$tag")
  body=$(http "http://$(ip_of "$c"):8080/")
  [ "$body" = "Hello Kubernetes bootcamp! | Running on: ${c:0:12} | v=$v" ] && ok "$tag: $body" || bad "$tag: '$body'"
  check_stop "$tag" "$c"
done

if docker image inspect gcr.io/google-samples/kubernetes-bootcamp:v10 >/dev/null 2>&1; then
  bad "gcr.io/google-samples/kubernetes-bootcamp:v10 exists, but the demo needs its pull to fail"
else
  ok "gcr.io/google-samples/kubernetes-bootcamp:v10 does not exist"
fi

c=$(start -m 300m --memory-swap 300m polinux/stress stress --vm 1 --vm-bytes 500M --vm-hang 1)
code=$(timeout 60 docker wait "$c" || echo timeout)
oom=$(docker inspect -f '{{.State.OOMKilled}}' "$c")
[ "$code" = 137 ] && [ "$oom" = true ] && ok "polinux/stress: 500M under a 300m limit: exit 137, OOMKilled" \
  || bad "polinux/stress: exit $code, OOMKilled $oom"

# /healthz must turn 500 once 10 s have passed since the server started.
code=""
for _ in $(seq 1 30); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$live_ip:8080/healthz" || true)
  [ "$code" = 500 ] && break
  sleep 0.5
done
started=$(http "http://$live_ip:8080/started")
body=$(http "http://$live_ip:8080/healthz")
[ "$code" = 500 ] && [[ $body == "error: 1"* ]] && ok "k8s.gcr.io/liveness: /healthz answers 500 '$body' after /started=$started" \
  || bad "k8s.gcr.io/liveness: /healthz $code '$body' at $started"
check_stop k8s.gcr.io/liveness "$live"

[ $FAILED = 0 ] || fail "verification failed"
echo "all images verified"
