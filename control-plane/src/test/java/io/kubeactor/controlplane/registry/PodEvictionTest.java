package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.nodelifecycle.Cluster;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** POST pods/NAME/eviction against PodDisruptionBudgets, as kubectl drain uses it. */
class PodEvictionTest {

  static final Cluster cluster = new Cluster();

  static {
    cluster.node("a", "z1");
  }

  @AfterAll
  static void shutdown() {
    cluster.close();
  }

  private static void evict(String pod) throws Exception {
    try {
      PodEviction.evict(cluster.fixture.registry, "default", pod, DeleteOptions.defaults(), cluster.clock)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ApiException api ? api : e;
    }
  }

  private static JsonNode stored(String kind, String name) {
    ResourceType t = kind.equals("Pod") ? cluster.fixture.registry.types().byKind("v1", "Pod").orElseThrow()
        : cluster.fixture.registry.types().byKind("policy/v1", "PodDisruptionBudget").orElseThrow();
    return cluster.fixture.registry.cache().state().get(t.storeKey("default", name));
  }

  private static boolean terminating(String pod) {
    JsonNode p = stored("Pod", pod);
    return p == null || p.path("metadata").hasNonNull("deletionTimestamp");
  }

  private static JsonNode condition(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) if (type.equals(c.path("type").asText())) return c;
    return null;
  }

  /** A budget over pods labelled app=APP, with the status the disruption controller would have written. */
  private static void budget(String name, String app, int allowed, int current, int desired, String extraSpec) {
    cluster.fixture.apply("{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: %s, namespace: default},"
        .formatted(name) + " spec: {minAvailable: %d, selector: {matchLabels: {app: %s}} %s}}".formatted(desired, app, extraSpec));
    cluster.fixture.changeStatus("policy/v1", "PodDisruptionBudget", "default", name, p -> {
      p.withObjectProperty("status").put("observedGeneration", 1).put("disruptionsAllowed", allowed)
          .put("currentHealthy", current).put("desiredHealthy", desired).put("expectedPods", current);
      return p;
    });
  }

  private static void pods(String app, int n) {
    for (int i = 0; i < n; i++) {
      cluster.pod(app + "-" + i, "a", "{app: " + app + "}", "", "");
      cluster.running(app + "-" + i);
    }
  }

  @Test
  void aPodNoBudgetCoversIsEvictedGracefullyWithTheDisruptionTargetCondition() throws Exception {
    pods("free", 1);
    evict("free-0");
    JsonNode pod = stored("Pod", "free-0");
    assertThat(pod.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
    JsonNode target = condition(pod, "DisruptionTarget");
    assertThat(target.path("status").asText()).isEqualTo("True");
    assertThat(target.path("reason").asText()).isEqualTo("EvictionByEvictionAPI");
    assertThat(target.path("message").asText()).isEqualTo("Eviction API: evicting");
  }

  @Test
  void aBudgetWithNoDisruptionLeftRefusesWith429() throws Exception {
    pods("tight", 2);
    budget("tight", "tight", 0, 2, 2, "");
    assertThatThrownBy(() -> evict("tight-0")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code).isEqualTo(429);
      assertThat(e.reason).isEqualTo("TooManyRequests");
      assertThat(e.getMessage()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
      assertThat(e.causes).containsExactly(new ApiException.Cause("DisruptionBudget",
          "The disruption budget tight needs 2 healthy pods and has 2 currently", null));
    });
    assertThat(terminating("tight-0")).isFalse();
    assertThat(condition(stored("Pod", "tight-0"), "DisruptionTarget")).isNull();
  }

  @Test
  void anEvictionTakesOneDisruptionFromTheBudgetAndRecordsThePod() throws Exception {
    pods("web", 3);
    budget("web", "web", 1, 3, 2, "");
    evict("web-0");
    assertThat(terminating("web-0")).isTrue();
    JsonNode status = stored("PodDisruptionBudget", "web").path("status");
    assertThat(status.path("disruptionsAllowed").asInt()).isZero();
    assertThat(status.path("disruptedPods").path("web-0").asText()).isEqualTo(io.kubeactor.common.Timestamps.format(cluster.clock.instant()));
    JsonNode allowed = condition(stored("PodDisruptionBudget", "web"), "DisruptionAllowed");
    assertThat(allowed.path("status").asText()).isEqualTo("False");
    assertThat(allowed.path("reason").asText()).isEqualTo("InsufficientPods");

    assertThatThrownBy(() -> evict("web-1")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(429));
    assertThat(terminating("web-1")).isFalse();
  }

  @Test
  void anUnreadyPodMayGoWhileTheBudgetIsMetOrAlways() throws Exception {
    pods("met", 3);
    cluster.notReadyPod("met-0");
    budget("met", "met", 0, 2, 2, "");
    evict("met-0");
    assertThat(terminating("met-0")).isTrue();
    assertThat(stored("PodDisruptionBudget", "met").path("status").path("disruptedPods").isMissingNode()).isTrue();

    pods("short", 2);
    cluster.notReadyPod("short-0");
    budget("short", "short", 0, 1, 2, "");
    assertThatThrownBy(() -> evict("short-0")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(429));

    pods("always", 2);
    cluster.notReadyPod("always-0");
    budget("always", "always", 0, 1, 2, ", unhealthyPodEvictionPolicy: AlwaysAllow");
    evict("always-0");
    assertThat(terminating("always-0")).isTrue();
  }

  @Test
  void aPendingPodIsEvictedWithoutAskingTheBudget() throws Exception {
    cluster.pod("pending-0", null, "{app: pending}", "", "");
    budget("pending", "pending", 0, 0, 1, "");
    evict("pending-0");
    assertThat(stored("Pod", "pending-0")).isNull();
  }

  @Test
  void aBudgetTheControllerHasNotSeenYetAsksToComeBackLater() throws Exception {
    pods("fresh", 2);
    budget("fresh", "fresh", 1, 2, 1, "");
    cluster.fixture.change("policy/v1", "PodDisruptionBudget", "default", "fresh", p -> {
      p.withObjectProperty("spec").put("minAvailable", 0);
      return p;
    });
    assertThatThrownBy(() -> evict("fresh-0")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code).isEqualTo(429);
      assertThat(e.causes.get(0).message()).isEqualTo("The disruption budget fresh is still being processed by the server.");
    });
  }

  @Test
  void aPodWithTwoBudgetsCannotBeEvicted() throws Exception {
    pods("twice", 1);
    budget("twice-a", "twice", 1, 1, 0, "");
    budget("twice-b", "twice", 1, 1, 0, "");
    assertThatThrownBy(() -> evict("twice-0")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code).isEqualTo(500);
      assertThat(e.getMessage()).isEqualTo("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    });
  }
}
