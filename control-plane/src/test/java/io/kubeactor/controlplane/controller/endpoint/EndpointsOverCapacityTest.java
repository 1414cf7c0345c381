package io.kubeactor.controlplane.controller.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.endpointslice.ServiceWorld;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Truncation over capacity, with a capacity of 3 addresses instead of 1000 so a handful of pods
 * shows it: the Endpoints is cut, annotated, and not rewritten while it stays so.
 */
class EndpointsOverCapacityTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final ServiceWorld world = new ServiceWorld(fixture);

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static Endpoints endpoints() {
    return fixture.get(Endpoints.class, "default", "web");
  }

  @Test
  void overCapacityTheEndpointsIsTruncatedAndAnnotatedUntilItFitsAgain() throws Exception {
    fixture.start(new EndpointsController(fixture.context, 3));
    world.service("default", "web", null, "selector: {app: web}\nports: [{port: 80}]");
    for (int i = 1; i <= 5; i++) {
      world.pod("default", "p" + i, "{app: web}", "node-1", null, null);
      world.running("default", "p" + i, "10.244.1." + i, i <= 4);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Endpoints ep = endpoints();
      assertThat(ep.getMetadata().getAnnotations()).containsEntry("endpoints.kubernetes.io/over-capacity", "truncated");
      // ready addresses first: three of the four ready pods, no not-ready one
      assertThat(ep.getSubsets().get(0).getAddresses()).hasSize(3);
      assertThat(ep.getSubsets().get(0).getNotReadyAddresses()).isEmpty();
    });

    // while nothing changes, the truncated Endpoints is left as it is
    List<WatchCache.Change> writes = world.record("v1", "Endpoints");
    EndpointsController direct = new EndpointsController(fixture.context, 3);
    direct.reconcile("default/web").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(writes).isEmpty();

    for (int i = 3; i <= 5; i++) world.remove("default", "p" + i);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Endpoints ep = endpoints();
      assertThat(ep.getMetadata().getAnnotations()).doesNotContainKey("endpoints.kubernetes.io/over-capacity");
      assertThat(ep.getSubsets().get(0).getAddresses()).hasSize(2);
    });
  }
}
