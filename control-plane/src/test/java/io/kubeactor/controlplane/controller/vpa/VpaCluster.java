package io.kubeactor.controlplane.controller.vpa;

import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.controller.ControllerSettings;
import io.kubeactor.controlplane.controller.nodelifecycle.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A one-node cluster for the VPA's tests: ReplicaSets with pods (no controller runs them), VPAs, and the metrics nodes report. */
final class VpaCluster implements AutoCloseable {

  /** Test-sized intervals; the rest as upstream. */
  static final VpaSettings SETTINGS = new VpaSettings(Duration.ofMillis(100), Duration.ofHours(24), Duration.ofHours(24),
      Duration.ofHours(24), Duration.ofMillis(100), 0.5, 2, Duration.ofHours(12));

  final Cluster cluster = new Cluster(ControllerSettings.defaults().withVpa(SETTINGS));
  private final List<NodeProtocol.PodUsage> usage = new ArrayList<>();
  private long reports;

  VpaCluster() {
    cluster.node("a", "z1");
  }

  /** A ReplicaSet and its running pods, each with one container "c" with these resources (YAML flow). */
  void replicaSet(String name, int replicas, int pods, String resources) {
    String uid = cluster.fixture.apply("""
        {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: %s, namespace: default},
         spec: {replicas: %d, selector: {matchLabels: {app: %s}},
                template: {metadata: {labels: {app: %s}}, spec: {containers: [{name: c, image: busybox}]}}}}"""
        .formatted(name, replicas, name, name)).path("metadata").path("uid").asText();
    for (int i = 0; i < pods; i++) {
      String pod = name + "-" + i;
      cluster.fixture.apply("""
          {apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: default, labels: {app: %s},
             ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}]},
           spec: {nodeName: a, containers: [{name: c, image: busybox, resources: %s}]}}"""
          .formatted(pod, name, name, uid, resources));
      cluster.fixture.changeStatus("v1", "Pod", "default", pod, p -> {
        p.withObjectProperty("status").put("phase", "Running").put("startTime",
            io.kubeactor.common.Timestamps.format(cluster.clock.instant()));
        return p;
      });
    }
  }

  void apply(String manifest) {
    cluster.fixture.apply(manifest);
  }

  /** Sets a VPA's status.recommendation of container "c" (YAML flow of target, lowerBound, upperBound). */
  void recommendation(String vpa, String container) {
    cluster.fixture.changeStatus("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", "default", vpa, v -> {
      v.withObjectProperty("status").set("recommendation", Json.object().set("containerRecommendations",
          Json.MAPPER.createArrayNode().add(parse(container))));
      return v;
    });
  }

  /** The node reports this usage of the pod's container "c", measured now (a newer timestamp each time). */
  void usage(String pod, double cores, long bytes) {
    usage.removeIf(u -> u.name().equals(pod));
    usage.add(new NodeProtocol.PodUsage("default", pod, 15_000,
        List.of(new NodeProtocol.ContainerUsage("c", new NodeProtocol.Usage((long) (cores * 1e9), bytes)))));
    reports++;
    cluster.fixture.metrics.put(new NodeProtocol.UsageReport("a", cluster.clock.instant().toEpochMilli() + reports * 15_000, 15_000,
        new NodeProtocol.Usage(0, 0), List.copyOf(usage)));
  }

  VerticalPodAutoscaler vpa(String name) {
    return cluster.fixture.get(VerticalPodAutoscaler.class, "default", name);
  }

  Pod pod(String name) {
    return cluster.pod(name);
  }

  static com.fasterxml.jackson.databind.JsonNode parse(String yaml) {
    try {
      return Json.YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() {
    cluster.close();
  }
}
