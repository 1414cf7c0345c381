package io.kubeactor.controlplane.security.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.security.node.NodeGraph.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The graph follows the informers: the objects there when it starts, then every add, change and delete. */
class NodeGraphPopulatorTest {

  private ControllerFixture fixture;
  private final NodeGraph graph = new NodeGraph();
  private NodeGraphPopulator populator;

  @BeforeEach
  void start() {
    fixture = new ControllerFixture();
  }

  @AfterEach
  void stop() throws Exception {
    if (populator != null) populator.close();
    fixture.close();
  }

  private void pod(String name, String node, String secret) {
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          nodeName: %s
          containers: [{name: c, image: busybox}]
          volumes: [{name: s, secret: {secretName: %s}}]
        """.formatted(name, node, secret));
  }

  @Test
  void podsAndVolumesBeforeAndAfterTheStartAreFollowed() {
    pod("early", "n1", "early-secret");
    fixture.apply("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-1}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /tmp/pv-1}
          claimRef: {namespace: default, name: data}
        """);
    await().until(() -> fixture.context.informers().pods().get("default", "early") != null);
    populator = NodeGraphPopulator.start(fixture.context.informers(), graph);
    await().until(() -> graph.related("n1", Kind.SECRET, "default", "early-secret"));

    pod("late", "n2", "late-secret");
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: db, namespace: default}
        spec:
          nodeName: n2
          containers: [{name: c, image: busybox}]
          volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
        """);
    await().until(() -> graph.related("n2", Kind.SECRET, "default", "late-secret")
        && graph.related("n2", Kind.PERSISTENTVOLUME, "", "pv-1"));
    assertThat(graph.related("n1", Kind.SECRET, "default", "late-secret")).isFalse();

    // a bound pod stays, marked, until its kubelet is done with it; then it is gone
    fixture.registry.delete(fixture.registry.types().byKind("v1", "Pod").orElseThrow(), "default", "late",
        new DeleteOptions(0L, null, null, null, false)).toCompletableFuture().join();
    await().until(() -> !graph.related("n2", Kind.SECRET, "default", "late-secret"));
    fixture.change("v1", "PersistentVolume", null, "pv-1", pv -> {
      pv.with("spec").with("claimRef").put("name", "other");
      return pv;
    });
    await().until(() -> !graph.related("n2", Kind.PERSISTENTVOLUME, "", "pv-1"));
    assertThat(graph.related("n1", Kind.SECRET, "default", "early-secret")).isTrue();
  }
}
