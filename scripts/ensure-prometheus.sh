#!/usr/bin/env bash
# Makes Debian's Prometheus available to the end-to-end test that scrapes a cluster with the
# README's configuration (PrometheusMetricsIT): finds a prometheus binary, else (as root with apt)
# installs Debian's package, without starting its service. Prints the binary for the tests as a
# shell export; exits 1 if it cannot.
set -euo pipefail

say() { echo "ensure-prometheus: $*" >&2; }

if ! prometheus=$(command -v prometheus); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's prometheus"
    # policy-rc.d 101: the package's service is not started (the test runs its own on a free port)
    policy=/usr/sbin/policy-rc.d
    created=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1; fi
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >&2 \
      || { [ "$created" = 1 ] && rm -f "$policy"; say "apt-get install prometheus failed"; exit 1; }
    [ "$created" = 1 ] && rm -f "$policy"
    prometheus=$(command -v prometheus) || { say "prometheus is installed but not on PATH"; exit 1; }
  else
    say "the tests need Prometheus: install Debian's prometheus (apt-get install prometheus)"
    exit 1
  fi
fi
echo "export KUBEACTOR_TEST_PROMETHEUS=$prometheus"
