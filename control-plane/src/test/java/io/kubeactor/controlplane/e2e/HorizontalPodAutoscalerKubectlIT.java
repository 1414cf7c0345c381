package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl's HPA commands against a control plane without nodes (so without metrics): note
 * 004's manifest refused as a 1.32 server refuses it and its corrected copy applied, {@code kubectl
 * get hpa}'s columns, {@code kubectl describe hpa} from the object and its events, {@code kubectl
 * autoscale}, each compared with what Kubernetes prints.
 */
class HorizontalPodAutoscalerKubectlIT {

  static TestCluster cluster;
  static final Path NOTE_004 = Path.of("..", "k8s-demo", "004-pods-replicasets").toAbsolutePath().normalize();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static TestCluster.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  static String manifest(String file) {
    return NOTE_004.resolve(file).toString();
  }

  @Test
  void theNotesManifestIsRefusedAsKubernetes132RefusesItAndTheFixedCopyApplies() {
    kubectl("create", "namespace", "note-004").outOrFail();
    TestCluster.Result refused = kubectl("apply", "-n", "note-004", "-f", manifest("budy-hpa.yaml"));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).isEqualTo("Error from server (BadRequest): error when creating \"" + manifest("budy-hpa.yaml")
        + "\": HorizontalPodAutoscaler in version \"v2\" cannot be handled as a HorizontalPodAutoscaler: strict decoding"
        + " error: unknown field \"spec.metrics[0].resource.targetAverageUtilization\"\n");
    assertThat(kubectl("get", "hpa", "-n", "note-004").err()).isEqualTo("No resources found in note-004 namespace.\n");

    kubectl("apply", "-n", "note-004", "-f", manifest("busy-replicaset.yaml")).outOrFail();
    assertThat(kubectl("apply", "-n", "note-004", "-f", manifest("budy-hpa-fixed.yaml")).outOrFail())
        .isEqualTo("horizontalpodautoscaler.autoscaling/budy-hpa created\n");

    // no node runs the pods, so no metrics: the HPA says so, as it does without metrics-server
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl("get", "hpa", "-n", "note-004").outOrFail())
        .containsPattern("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE")
        .containsPattern("budy-hpa\\s+ReplicaSet/busy-replicaset\\s+cpu: <unknown>/30%\\s+1\\s+5\\s+2\\s+\\d+s"));

    String cause = "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource"
        + " metrics API";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        kubectl("describe", "hpa", "budy-hpa", "-n", "note-004").outOrFail())
        .containsPattern("Name:\\s+budy-hpa\n")
        .containsPattern("Namespace:\\s+note-004\n")
        .containsPattern("Reference:\\s+ReplicaSet/busy-replicaset\n")
        .containsPattern("Metrics:\\s+\\( current / target \\)\n")
        .containsPattern("  resource cpu on pods  \\(as a percentage of request\\):\\s+<unknown> / 30%\n")
        .containsPattern("Min replicas:\\s+1\n")
        .containsPattern("Max replicas:\\s+5\n")
        .containsPattern("ReplicaSet pods:\\s+2 current / 0 desired\n")
        .containsPattern("AbleToScale\\s+True\\s+SucceededGetScale\\s+the HPA controller was able to get the target's current"
            + " scale\n")
        .containsPattern("ScalingActive\\s+False\\s+FailedGetResourceMetric\\s+the HPA was unable to compute the replica"
            + " count: " + java.util.regex.Pattern.quote(cause) + "\n")
        .containsPattern("Warning\\s+FailedGetResourceMetric\\s+.*horizontal-pod-autoscaler\\s+"
            + java.util.regex.Pattern.quote(cause))
        .containsPattern("Warning\\s+FailedComputeMetricsReplicas\\s+.*horizontal-pod-autoscaler\\s+invalid metrics \\(1"
            + " invalid out of 1\\), first error is: failed to get cpu resource metric value: "
            + java.util.regex.Pattern.quote(cause)));
  }

  @Test
  void kubectlAutoscaleMakesAnHpaOfTheTarget() {
    kubectl("create", "namespace", "autoscale").outOrFail();
    kubectl("apply", "-n", "autoscale", "-f", manifest("busy-replicaset.yaml")).outOrFail();
    assertThat(kubectl("autoscale", "rs", "busy-replicaset", "--cpu-percent=30", "--min", "1", "--max", "5", "-n",
        "autoscale").outOrFail()).isEqualTo("horizontalpodautoscaler.autoscaling/busy-replicaset autoscaled\n");
    assertThat(kubectl("get", "hpa", "busy-replicaset", "-n", "autoscale", "-o",
        "jsonpath={.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name} {.spec.minReplicas} {.spec.maxReplicas}"
            + " {.spec.metrics[0].resource.target.averageUtilization}").outOrFail())
        .isEqualTo("ReplicaSet/busy-replicaset 1 5 30");
    // the autoscaling/v1 view of the same object
    assertThat(kubectl("get", "--raw", "/apis/autoscaling/v1/namespaces/autoscale/horizontalpodautoscalers/busy-replicaset")
        .outOrFail()).contains("\"apiVersion\":\"autoscaling/v1\"", "\"targetCPUUtilizationPercentage\":30");
    TestCluster.Result again = kubectl("autoscale", "rs", "busy-replicaset", "--cpu-percent=30", "--min", "1", "--max", "5",
        "-n", "autoscale");
    assertThat(again.err()).isEqualTo("Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling"
        + " \"busy-replicaset\" already exists\n");
  }
}
