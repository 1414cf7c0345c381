#!/usr/bin/env bash
# Pod startup latency: a control plane and three node agents on this machine's Docker, N pods
# (image present) created at R per second, create → Running p50/p99 and the agents' RSS.
# Usage: pod-startup-benchmark.sh [PODS] [PER_SECOND]
set -euo pipefail
cd "$(dirname "$0")/.."
docker/ensure-docker.sh
docker/build-images.sh >/dev/null
./mvnw -q -B -DskipTests install
cd e2e
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx1g -cp "target/test-classes:$(cat target/test-classpath.txt)" \
  io.kubeactor.e2e.bench.PodStartupBenchmark "$@"
