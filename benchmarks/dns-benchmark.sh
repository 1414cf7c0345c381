#!/usr/bin/env bash
# The cluster DNS benchmark: builds the control plane's classes, starts the DNS server over a store
# and informers holding N Services, and measures it with dnsperf on the loopback, with NSD serving
# the same records as the anchor. Prints a Markdown table.
# Usage: dns-benchmark.sh [SERVICES] [SECONDS_PER_RUN] [FIXED_RATE_QPS]
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v dnsperf >/dev/null || missing+=(dnsperf)
command -v nsd >/dev/null || missing+=(nsd)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # policy-rc.d keeps the nsd package from starting its own service on port 53
    printf '#!/bin/sh\nexit 101\n' > /tmp/kubeactor-policy-rc.d; chmod +x /tmp/kubeactor-policy-rc.d
    had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
    [ $had_policy = 1 ] || cp /tmp/kubeactor-policy-rc.d /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    [ $had_policy = 1 ] || rm -f /usr/sbin/policy-rc.d
  else
    echo "dns-benchmark: install ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
./mvnw -q -B -DskipTests -pl control-plane -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cd control-plane
exec java -Xmx1g -cp "target/test-classes:target/classes:../common/target/classes:$(cat target/test-classpath.txt)" \
  io.kubeactor.controlplane.bench.DnsBenchmark "$@"
