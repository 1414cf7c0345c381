#!/usr/bin/env bash
# Makes the kernel's networking tools available to the node agents, which set up the pod network
# and the service proxy with them: nft (nftables), iptables, ip (iproute2) and conntrack. Installs
# Debian's packages as root where one is missing, else says in one line what to install.
#   --remove   removes what the agents wrote into this host's kernel instead: the service proxy's
#              nftables table, the pod network's rules in Docker's DOCKER-USER chain, the routes to
#              other hosts' pods
set -euo pipefail

say() { echo "ensure-network-tools: $*" >&2; }

if [ "${1:-}" = "--remove" ]; then
  nft delete table ip kubeactor 2>/dev/null || true
  if iptables -w -n -L DOCKER-USER >/dev/null 2>&1; then
    iptables -w -S DOCKER-USER | grep -- '--comment "kubeactor pod network"' | sed 's/^-A /-D /' \
      | while read -r rule; do eval "iptables -w $rule" || true; done
  fi
  ip -4 route show proto 77 2>/dev/null | awk '{print $1}' | while read -r dst; do ip route del "$dst" proto 77 || true; done
  exit 0
fi

missing=()
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2 \
    || { say "apt-get install ${missing[*]} failed"; exit 1; }
  exit 0
fi
say "the nodes need ${missing[*]}: install them (Debian: apt-get install ${missing[*]})"
exit 1
