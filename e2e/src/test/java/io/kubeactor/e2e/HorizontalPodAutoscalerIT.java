package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Note 004's HPA on a real node: the busy ReplicaSet's pods burn their cpu limit with dd, the HPA
 * (budy-hpa-fixed.yaml, target 30%) scales it out from the metrics the agent measures, and back in
 * when the target rises above what the pods use, after a test-sized stabilization window. HPAs over
 * a Deployment and a StatefulSet scale them through their /scale too. The HPA syncs every 5 s here
 * (kube-controller-manager's is 15 s) to keep the suite short.
 */
class HorizontalPodAutoscalerIT {
  static final Duration MINUTES = Duration.ofMinutes(2);
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("hpa", Map.of("kubeactor.controllers.horizontal-pod-autoscaler-sync-period", "5s"),
        List.of("hpa-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  static void awaitReplicas(String resource, int replicas) {
    c.await(resource, "{.spec.replicas}", MINUTES, String.valueOf(replicas)::equals);
  }

  @Test
  void busyReplicaSetScalesOutUnderLoadAndBackInWhenTheTargetRises() {
    c.ok("apply", "-f", c.demo("004-pods-replicasets/busy-replicaset.yaml"));
    assertThat(c.ok("apply", "-f", c.demo("004-pods-replicasets/budy-hpa-fixed.yaml")))
        .isEqualTo("horizontalpodautoscaler.autoscaling/budy-hpa created\n");
    c.ok("patch", "hpa", "budy-hpa", "--type=merge", "-p",
        "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":10}}}}");
    // an HPA over a Deployment and one over a StatefulSet, their pods as busy
    c.kubectlWithInput(busyWorkload("Deployment", "busy-deploy", ""), "apply", "-f", "-").outOrFail();
    c.kubectlWithInput(busyWorkload("StatefulSet", "busy-sts", "  serviceName: busy-sts\n"), "apply", "-f", "-")
        .outOrFail();
    assertThat(c.ok("autoscale", "deployment", "busy-deploy", "--cpu-percent=50", "--min=1", "--max=2"))
        .isEqualTo("horizontalpodautoscaler.autoscaling/busy-deploy autoscaled\n");
    assertThat(c.ok("autoscale", "statefulset", "busy-sts", "--cpu-percent=50", "--min=1", "--max=2"))
        .isEqualTo("horizontalpodautoscaler.autoscaling/busy-sts autoscaled\n");

    // each dd uses its whole 100m: 100% of its request against 30%, so out to maxReplicas
    awaitReplicas("rs/busy-replicaset", 5);
    c.awaitRunningPods("app=busy", 5, MINUTES);
    awaitReplicas("deployment/busy-deploy", 2);
    awaitReplicas("statefulset/busy-sts", 2);
    await().atMost(MINUTES).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(c.ok("get", "hpa"))
        .containsPattern("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE")
        .containsPattern("budy-hpa\\s+ReplicaSet/busy-replicaset\\s+cpu: \\d+%/30%\\s+1\\s+5\\s+5\\s+\\d+[sm]")
        .containsPattern("busy-deploy\\s+Deployment/busy-deploy\\s+cpu: \\d+%/50%\\s+1\\s+2\\s+2\\s+\\d+[sm]")
        .containsPattern("busy-sts\\s+StatefulSet/busy-sts\\s+cpu: \\d+%/50%\\s+1\\s+2\\s+2\\s+\\d+[sm]"));
    String describe = c.ok("describe", "hpa", "budy-hpa");
    assertThat(describe)
        .containsPattern("Reference:\\s+ReplicaSet/busy-replicaset")
        .containsPattern("resource cpu on pods  \\(as a percentage of request\\):\\s+\\d+% \\(\\d+m\\) / 30%")
        .containsPattern("ReplicaSet pods:\\s+5 current / 5 desired")
        .containsPattern("ScalingLimited\\s+True\\s+TooManyReplicas\\s+the desired replica count is more than the maximum"
            + " replica count")
        .containsPattern("Normal\\s+SuccessfulRescale\\s+.*horizontal-pod-autoscaler\\s+New size: [2-5]; reason: cpu resource"
            + " utilization \\(percentage of request\\) above target");

    // the target rises far above what the pods use (each 100% of its request): back in to minReplicas
    // once the stabilization window has passed
    c.ok("patch", "hpa", "budy-hpa", "--type=json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/metrics/0/resource/target/averageUtilization\",\"value\":250}]");
    awaitReplicas("rs/busy-replicaset", 1);
    c.awaitRunningPods("app=busy", 1, MINUTES);
    assertThat(c.ok("describe", "hpa", "budy-hpa"))
        .containsPattern("SuccessfulRescale\\s+.*New size: [12]; reason: All metrics below target");
  }

  /** A workload of one pod like the busy ReplicaSet's: dd burning its 100m. */
  static String busyWorkload(String kind, String name, String extraSpec) {
    return """
        apiVersion: apps/v1
        kind: %s
        metadata:
          name: %s
        spec:
          replicas: 1
        %s  selector:
            matchLabels:
              app: %s
          template:
            metadata:
              labels:
                app: %s
            spec:
              containers:
              - image: busybox
                name: hpa-container
                command: ["dd", "if=/dev/zero", "of=/dev/null"]
                resources:
                  requests:
                    cpu: 100m
                  limits:
                    cpu: 100m
        """.formatted(kind, name, extraSpec, name, name);
  }
}
