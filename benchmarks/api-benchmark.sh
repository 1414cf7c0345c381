#!/usr/bin/env bash
# The API server benchmark: builds kubeactor, starts the packaged control plane in a JVM of its own
# with a fresh data directory, measures, and prints a Markdown table. Usage: api-benchmark.sh [PODS]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
cd control-plane
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.kubeactor.controlplane.bench.ApiBenchmark "$@"
