#!/usr/bin/env bash
# The HPA controller measured alone: N HorizontalPodAutoscalers over N ReplicaSets of running pods
# at their targets, written straight into the store; the first round's time and CPU, then the CPU
# of each 15 s sync beside the same process idle. Prints a Markdown table.
# Usage: hpa-controller-benchmark.sh [HPAS] [PODS_EACH]      (1000 HPAs of 2 pods by default)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl control-plane -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cd control-plane
exec java -Xmx1g ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:../common/target/classes:$(cat target/test-classpath.txt)" \
  io.kubeactor.controlplane.bench.HorizontalControllerBenchmark "$@"
