package io.kubeactor.controlplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The shared informer's cache and indexes over a real store. */
class InformerTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  /**
   * Readers do not lock: while an object changes in a way that keeps its index value (a dependent
   * whose owner reference stays, as the garbage collector reads them), it is never missing from it.
   */
  @Test
  void anObjectIsNeverMissingFromAnIndexValueItKeepsWhileItChanges() throws Exception {
    Informer<ConfigMap> informer = fixture.context.informers().of(ConfigMap.class);
    informer.addIndex("test/owner", c -> List.of("owner-" + c.getMetadata().getName()));
    fixture.apply("{apiVersion: v1, kind: ConfigMap, metadata: {name: changing, namespace: default}, data: {n: '0'}}");
    // the informer has a change a moment after the write's answer, on its own thread
    await().until(() -> informer.get("default", "changing") != null);
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger misses = new AtomicInteger();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        if (informer.byIndex("test/owner", "owner-changing").isEmpty()) misses.incrementAndGet();
      }
    });
    reader.start();
    try {
      for (int i = 1; i <= 300; i++) {
        String n = Integer.toString(i);
        fixture.change("v1", "ConfigMap", "default", "changing", o -> {
          o.with("data").put("n", n);
          return o;
        });
      }
      await().until(() -> "300".equals(informer.get("default", "changing").getData().get("n")));
    } finally {
      done.set(true);
      reader.join();
    }
    assertThat(misses.get()).isZero();
  }
}
