#!/usr/bin/env bash
# Makes Debian's nginx available to the ingress controller's tests (NginxRoutingIT runs the real
# binary as this user on free loopback ports): finds nginx, else (as root with apt) installs
# Debian's package without starting its service, and makes sure the package's own nginx does not
# stay listening on port 80 (the ingress controller's hostPort). Prints nothing on success; exits 1
# with a line on stderr if it cannot.
set -euo pipefail

say() { echo "ensure-nginx: $*" >&2; }

find_nginx() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }

if find_nginx >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "the tests need nginx: install Debian's nginx (apt-get install nginx)"
  exit 1
fi

# policy-rc.d 101: the package's service is not started
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1; fi
cleanup() { if [ "$created" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx) >/dev/null 2>&1; then
  say "apt-get install nginx failed"
  exit 1
fi
nginx=$(find_nginx) || { say "nginx is installed but not found"; exit 1; }

# Should the package have started its nginx anyway (a policy-rc.d that was there and allowed it),
# stop that one: it would hold port 80.
pidfile=/run/nginx.pid
if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  "$nginx" -s quit >/dev/null 2>&1 || kill "$(cat "$pidfile")" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$(cat "$pidfile" 2>/dev/null || echo 0)" 2>/dev/null || break
    sleep 0.1
  done
fi
if command -v ss >/dev/null 2>&1 && ss -Hltnp 'sport = :80' 2>/dev/null | grep -q '"nginx"'; then
  say "Debian's nginx service is listening on port 80 and did not stop; stop it (service nginx stop)"
  exit 1
fi
