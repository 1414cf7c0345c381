#!/usr/bin/env bash
# The benchmarks that run a control plane (and node agents on this machine's Docker):
#   e2e-benchmark.sh pod-startup [PODS] [PER_SECOND]
#       N pods (image present) created at R per second over 3 agents: create → Running p50/p99, agents' RSS
#   e2e-benchmark.sh node-failure [TOLERATION_SECONDS] [REPLICAS]
#       a ReplicaSet over 3 agents, one agent killed with kill -9: time until its pods run elsewhere
#   e2e-benchmark.sh replicaset-reconcile [REPLICAS] [HOLLOW_NODES]
#       one ReplicaSet of 1,000 over simulated (hollow) nodes: time until every pod is created and bound
#   e2e-benchmark.sh services [SECONDS_PER_ROUND] [ROUNDS]
#       wrk through a ClusterIP beside the same nginx pod on its IP (the anchor), and the time from a pod
#       seen Ready to the first request its Service sends it, over 3 agents
#   e2e-benchmark.sh ingress [SECONDS_PER_ROUND] [ROUNDS] [INGRESSES] [CHANGES]
#       wrk through the ingress controller (a node's port 80) beside the same nginx pod on its IP (the
#       anchor), then with 1,000 Ingresses: the time from an Ingress created or changed to traffic following
#   e2e-benchmark.sh cluster-autoscaler [ROUNDS]
#       a pod that fits on no node: time until it runs on the agent the cluster autoscaler adds for it
#   e2e-benchmark.sh horizontal-pod-autoscaler [ROUNDS]
#       note 004's busy ReplicaSet and its HPA on one agent: from the load starting to the first rescale
#       and to the final count, beside the time until the metrics API serves the pods' usage
#   e2e-benchmark.sh proxy-sync [SERVICES] [ENDPOINTS] [SYNCS]
#       the service proxy's nftables rules for 1,000 Services x 10 endpoints, written in a network
#       namespace of the benchmark's own: the first sync, then syncs after one endpoint change
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  pod-startup) main=PodStartupBenchmark; docker=yes ;;
  node-failure) main=NodeFailureBenchmark; docker=yes ;;
  replicaset-reconcile) main=ReplicaSetReconcileBenchmark; docker=no ;;
  services) main=ServiceBenchmark; docker=yes ;;
  ingress) main=IngressBenchmark; docker=yes ;;
  proxy-sync) main=ProxySyncBenchmark; docker=no ;;
  cluster-autoscaler) main=ClusterAutoscalerBenchmark; docker=yes ;;
  horizontal-pod-autoscaler) main=HorizontalPodAutoscalerBenchmark; docker=yes ;;
  *) echo "usage: $0 pod-startup|node-failure|replicaset-reconcile|services|ingress|proxy-sync|cluster-autoscaler|horizontal-pod-autoscaler [ARGS...]" >&2; exit 2 ;;
esac
shift
if [ "$docker" = yes ]; then
  docker/ensure-docker.sh
  docker/build-images.sh >/dev/null
fi
docker/ensure-network-tools.sh
if { [ "$main" = ServiceBenchmark ] || [ "$main" = IngressBenchmark ]; } && ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "the services benchmark needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >&2
fi
./mvnw -q -B -DskipTests install
cd e2e
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx1g -cp "target/test-classes:$(cat target/test-classpath.txt)" "io.kubeactor.e2e.bench.$main" "$@"
