package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A pod on a node stays, terminating, until its kubelet finishes the deletion; other objects go at once. */
class GracefulDeletionTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static ResourceType pods() {
    return fixture.registry.types().byKind("v1", "Pod").orElseThrow();
  }

  private static void pod(String name) {
    fixture.apply("{apiVersion: v1, kind: Pod, metadata: {name: " + name + ", namespace: default},"
        + " spec: {containers: [{name: c, image: busybox}]}}");
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPodOnANodeIsMarkedAndGoesWhenDeletedWithNoGracePeriod() throws Exception {
    pod("bound");
    join(PodBinding.bind(fixture.registry, pods(), "default", "bound", "node-1", Clock.systemUTC()));
    fixture.delete("v1", "Pod", "default", "bound", null);
    var marked = fixture.registry.cache().state().get(pods().storeKey("default", "bound"));
    assertThat(marked).isNotNull();
    assertThat(marked.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
    assertThat(marked.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);

    join(fixture.registry.delete(pods(), "default", "bound", new DeleteOptions(0L, null, null, null, false)));
    assertThat(fixture.registry.cache().state().get(pods().storeKey("default", "bound"))).isNull();
  }

  @Test
  void aPodOnNoNodeGoesAtOnce() {
    pod("unbound");
    fixture.delete("v1", "Pod", "default", "unbound", null);
    assertThat(fixture.registry.cache().state().get(pods().storeKey("default", "unbound"))).isNull();
  }
}
