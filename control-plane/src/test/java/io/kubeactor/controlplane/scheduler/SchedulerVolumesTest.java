package io.kubeactor.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.volume.LocalPathProvisioner;
import io.kubeactor.controlplane.controller.volume.PersistentVolumeBinder;
import io.kubeactor.controlplane.controller.volume.StandardStorageClass;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with the PV controller and the provisioner: a pod's WaitForFirstConsumer claim
 * gets a volume on the pod's node before the pod is bound, and the pod made again returns there.
 */
class SchedulerVolumesTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @BeforeAll
  static void start() throws Exception {
    StandardStorageClass.ensure(fixture.context.writer(), fixture.context.fresh(), fixture.registry.types()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (String node : new String[] {"node-a", "node-b"}) {
      fixture.apply("""
          apiVersion: v1
          kind: Node
          metadata:
            name: %s
            labels: {kubernetes.io/hostname: %s}
            annotations: {kubeactor.io/local-path-root: /nodes/%s/local-path-provisioner}
          status:
            allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
            capacity: {cpu: "2", memory: 4Gi, pods: "110"}
          """.formatted(node, node, node));
    }
    fixture.start(new PersistentVolumeBinder(fixture.context));
    fixture.start(new LocalPathProvisioner(fixture.context));
    fixture.testKit.spawn(Scheduler.create(fixture.context.informers(), fixture.context.writer(), fixture.context.fresh(),
        fixture.eventRecorder(Clock.systemUTC()), Clock.systemUTC()), "scheduler");
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static void pod(String name, String claim, String nodeSelector) {
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          %s
          containers: [{name: db, image: postgres}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: %s}}]
        """.formatted(name, nodeSelector == null ? "" : "nodeSelector: {kubernetes.io/hostname: " + nodeSelector + "}", claim));
  }

  private static String nodeOf(String pod) {
    Pod p = fixture.get(Pod.class, "default", pod);
    return p == null || p.getSpec().getNodeName() == null ? null : p.getSpec().getNodeName();
  }

  @Test
  void theClaimIsBoundOnThePodsNodeBeforeThePodAndTheRecreatedPodReturnsThere() {
    fixture.apply("""
        {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data-db-0, namespace: default},
         spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}
        """);
    pod("db-0", "data-db-0", "node-b");

    await().until(() -> nodeOf("db-0") != null);
    assertThat(nodeOf("db-0")).isEqualTo("node-b");
    // the claim was bound before the pod: the cache shows it so as soon as it shows the pod's node
    PersistentVolumeClaim claim = fixture.get(PersistentVolumeClaim.class, "default", "data-db-0");
    assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(claim.getMetadata().getAnnotations()).containsEntry("volume.kubernetes.io/selected-node", "node-b");
    PersistentVolume volume = fixture.get(PersistentVolume.class, null, claim.getSpec().getVolumeName());
    assertThat(volume.getSpec().getHostPath().getPath()).startsWith("/nodes/node-b/local-path-provisioner/pvc-");

    fixture.registry.delete(fixture.registry.types().find("/api/v1", "pods").orElseThrow(), "default", "db-0",
        new DeleteOptions(0L, null, null, null, false)).toCompletableFuture().join();
    await().until(() -> fixture.get(Pod.class, "default", "db-0") == null);
    // made again without the node selector: node-a would win the tie, the volume says node-b
    pod("db-0", "data-db-0", null);
    await().until(() -> nodeOf("db-0") != null);
    assertThat(nodeOf("db-0")).isEqualTo("node-b");
  }
}
