package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.kubeactor.controlplane.e2e.TestCluster;
import org.junit.jupiter.api.Test;

/**
 * F-VPA-1 on a real node with the real kubectl: the k8s-demo/vpa walkthrough. Pods running dd on a
 * 10m request get a recommendation above it from their measured usage, and Recreate replaces them
 * with pods whose requests are the recommendation's target. Test-sized recommender and updater
 * intervals; the history and its confidence are upstream's. And a running pod resized in place
 * through pods/resize, as InPlaceOrRecreate's updater does it: same pod, same container, new cgroup.
 */
class VerticalPodAutoscalerIT {
  static final List<String> NODES = List.of("vpa-node");
  static final Duration MINUTES = Duration.ofMinutes(2);
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("vpa", Map.of(
        "kubeactor.controllers.vpa.recommender-interval", "3s",
        "kubeactor.controllers.vpa.updater-interval", "3s"), NODES);
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  static String readDemo(String file) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(c.demo(file)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void recreateGivesPodsUsingMoreThanTheyAskTheRecommendedRequests() {
    assertThat(c.ok("api-resources", "--api-group=autoscaling.k8s.io", "--no-headers"))
        .containsPattern("verticalpodautoscalers\\s+vpa\\s+autoscaling.k8s.io/v1\\s+true\\s+VerticalPodAutoscaler");
    c.ok("apply", "-f", c.demo("vpa/hungry-deployment.yaml"));
    c.awaitRunningPods("app=hungry", 2, MINUTES);
    List<String> first = c.runningPodNames("app=hungry");
    // the demo's VPA, recommending only (Off) until its recommendation has settled, so that the
    // replacements get the settled target and not the first sample's
    String vpa = readDemo("vpa/hungry-vpa.yaml").replace("updateMode: Recreate", "updateMode: \"Off\"");
    c.kubectlWithInput(vpa, "apply", "-f", "-").outOrFail();

    // the recommendation: dd uses far more than 10m, capped at the policy's 200m; memory at the 250Mi minimum
    c.await("vpa/hungry", "{.status.recommendation.containerRecommendations[0].target.cpu}", MINUTES, "200m"::equals);
    assertThat(c.jsonpath("vpa/hungry", "{.status.recommendation.containerRecommendations[0].target.memory}"))
        .isEqualTo("262144k");
    String uncapped = c.jsonpath("vpa/hungry", "{.status.recommendation.containerRecommendations[0].uncappedTarget.cpu}");
    assertThat(uncapped).endsWith("m");
    assertThat(Integer.parseInt(uncapped.replace("m", ""))).isGreaterThan(200);
    String table = c.ok("get", "vpa");
    assertThat(table.lines().findFirst().orElseThrow()).matches("NAME\\s+MODE\\s+CPU\\s+MEM\\s+PROVIDED\\s+AGE");
    assertThat(table).containsPattern("hungry\\s+Off\\s+200m\\s+262144k\\s+True\\s+\\d+[sm]");

    assertThat(c.runningPodNames("app=hungry")).containsExactlyInAnyOrderElementsOf(first);
    c.ok("patch", "vpa", "hungry", "--type=merge", "-p", "{\"spec\":{\"updatePolicy\":{\"updateMode\":\"Recreate\"}}}");

    // Recreate: both pods replaced, one at a time, by pods with the target as requests and the limit scaled with them
    await().atMost(MINUTES).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      List<String> now = c.runningPodNames("app=hungry");
      assertThat(now).hasSize(2).doesNotContainAnyElementsOf(first);
      assertThat(c.pods("app=hungry")).hasSize(2);
    });
    for (String pod : c.runningPodNames("app=hungry")) {
      assertThat(c.jsonpath("pod/" + pod, "{.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.requests.memory}"
          + " {.spec.containers[0].resources.limits.memory}")).isEqualTo("200m 262144k 524288k");
      assertThat(c.jsonpath("pod/" + pod, "{.metadata.annotations.vpaUpdates}"))
          .isEqualTo("Pod resources updated by hungry: container 0: cpu request, memory request, memory limit");
    }
    assertThat(c.ok("get", "events", "--field-selector", "reason=EvictedByVPA", "-o", "name")).isNotBlank();
    assertThat(c.ok("describe", "vpa", "hungry")).contains("Uncapped Target", "Recreate");
    c.ok("delete", "-f", c.demo("vpa/hungry-vpa.yaml"), "-f", c.demo("vpa/hungry-deployment.yaml"));
    c.awaitNoPods("app=hungry", MINUTES);
  }

  /** What Docker applies to a container: "CpuQuota CpuShares Memory". */
  static String dockerLimits(String containerId) throws Exception {
    Process p = new ProcessBuilder("docker", "inspect", "-f", "{{.HostConfig.CpuQuota}} {{.HostConfig.CpuShares}} {{.HostConfig.Memory}}",
        containerId.replace("docker://", "")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void aRunningPodIsResizedInPlaceThroughTheResizeSubresource() throws Exception {
    c.kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: resized, labels: {app: resized}}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: busybox
            command: [sleep, "3600"]
            resources: {requests: {cpu: 100m, memory: 32Mi}, limits: {cpu: 200m, memory: 64Mi}}
        """, "apply", "-f", "-").outOrFail();
    c.awaitRunning("resized");
    String before = c.jsonpath("pod/resized", "{.metadata.uid} {.status.containerStatuses[0].containerID}");
    String containerId = before.split(" ")[1];
    assertThat(dockerLimits(containerId)).isEqualTo("20000 102 67108864");

    c.ok("patch", "pod", "resized", "--subresource", "resize", "--patch",
        "{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"150m\"},\"limits\":{\"cpu\":\"300m\",\"memory\":\"96Mi\"}}}]}}");
    c.await("pod/resized", "{.status.containerStatuses[0].resources.limits.cpu} {.status.containerStatuses[0].resources.limits.memory}",
        MINUTES, "300m 96Mi"::equals);
    // the same pod and container, its cgroup changed in place
    assertThat(c.jsonpath("pod/resized", "{.metadata.uid} {.status.containerStatuses[0].containerID}")).isEqualTo(before);
    assertThat(c.jsonpath("pod/resized", "{.status.containerStatuses[0].restartCount} {.spec.containers[0].resources.requests.cpu}"
        + " {.status.containerStatuses[0].allocatedResources.cpu} {.status.containerStatuses[0].resources.requests.cpu}"))
        .isEqualTo("0 150m 150m 150m");
    assertThat(dockerLimits(containerId)).isEqualTo("30000 153 100663296");

    // as Kubernetes: requests equal to the limits would make the pod Guaranteed
    TestCluster.Result refused = c.kubectl("patch", "pod", "resized", "--subresource", "resize", "--patch",
        "{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"300m\",\"memory\":\"96Mi\"}}}]}}");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("Pod QOS Class may not change as a result of resizing");
    c.ok("delete", "pod", "resized", "--wait=false");
  }
}
