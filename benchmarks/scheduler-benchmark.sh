#!/usr/bin/env bash
# The scheduler measured alone (as upstream's scheduler_perf): N hollow nodes and M pending pods
# written straight into the store, then the time from the scheduler's start to every pod bound.
# Prints a Markdown table. Usage: scheduler-benchmark.sh [NODES] [PODS]
# JAVA_OPTS adds JVM options, e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=scheduler.jfr
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl control-plane -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cd control-plane
exec java -Xmx1g ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:../common/target/classes:$(cat target/test-classpath.txt)" \
  io.kubeactor.controlplane.bench.SchedulerBenchmark "$@"
