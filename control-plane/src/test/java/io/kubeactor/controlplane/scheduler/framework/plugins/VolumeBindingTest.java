package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.cordoned;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.yamlPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.scheduler.Fixtures;
import io.kubeactor.controlplane.scheduler.SchedulingAlgorithm.Decision;
import io.kubeactor.controlplane.scheduler.SchedulingAlgorithm;
import io.kubeactor.controlplane.scheduler.cache.SchedulerCache;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.VolumeObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod's claims as the VolumeBinding plugin sees them, and the FailedScheduling texts of Kubernetes 1.32. */
class VolumeBindingTest {

  private static final List<Node> THREE_NODES = List.of(
      node("node-a", "2", "2Gi"), node("node-b", "2", "2Gi"), node("node-c", "2", "2Gi"));

  private static final StorageClass STANDARD = read("""
      metadata: {name: standard}
      provisioner: rancher.io/local-path
      volumeBindingMode: WaitForFirstConsumer
      """, StorageClass.class);
  private static final StorageClass IMMEDIATE = read("""
      metadata: {name: immediate}
      provisioner: rancher.io/local-path
      volumeBindingMode: Immediate
      """, StorageClass.class);
  private static final StorageClass LOCAL = read("""
      metadata: {name: local}
      provisioner: kubernetes.io/no-provisioner
      volumeBindingMode: WaitForFirstConsumer
      """, StorageClass.class);
  private static final StorageClass ZONED = read("""
      metadata: {name: zoned}
      provisioner: rancher.io/local-path
      volumeBindingMode: WaitForFirstConsumer
      allowedTopologies: [{matchLabelExpressions: [{key: kubernetes.io/hostname, values: [node-c]}]}]
      """, StorageClass.class);

  private static <T> T read(String yaml, Class<T> type) {
    try {
      return Json.YAML.readValue(yaml, type);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A pod using the claims. */
  private static Pod podWith(String... claims) {
    StringBuilder volumes = new StringBuilder();
    for (String claim : claims) volumes.append("  - {name: ").append(claim).append(", persistentVolumeClaim: {claimName: ")
        .append(claim).append("}}\n");
    return yamlPod("""
        metadata: {name: db-0, namespace: default, uid: uid-db-0}
        spec:
          containers: [{name: db, image: postgres}]
          volumes:
        %s""".formatted(volumes));
  }

  private static PersistentVolumeClaim pending(String name, String storageClass, String... annotations) {
    return read("""
        metadata: {name: %s, namespace: default, uid: uid-%s, annotations: {%s}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: %s}
        status: {phase: Pending}
        """.formatted(name, name, String.join(", ", annotations), storageClass), PersistentVolumeClaim.class);
  }

  private static PersistentVolumeClaim bound(String name, String volume) {
    return read("""
        metadata: {name: %s, namespace: default, uid: uid-%s, annotations: {pv.kubernetes.io/bind-completed: "yes"}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard, volumeName: %s}
        status: {phase: Bound}
        """.formatted(name, name, volume), PersistentVolumeClaim.class);
  }

  /** A volume only usable on the node, bound to the claim (or Available when claim is null). */
  private static PersistentVolume volumeOn(String name, String node, String claim, String storageClass) {
    return read("""
        metadata: {name: %s}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          storageClassName: %s
          hostPath: {path: /data/%s}
          %s
          nodeAffinity:
            required:
              nodeSelectorTerms:
              - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [%s]}]
        status: {phase: %s}
        """.formatted(name, storageClass, name,
        claim == null ? "" : "claimRef: {namespace: default, name: " + claim + ", uid: uid-" + claim + "}",
        node, claim == null ? "Available" : "Bound"), PersistentVolume.class);
  }

  private static Decision schedule(Pod pod, List<Node> nodes, VolumeObjects volumes) {
    return SchedulingAlgorithm.schedule(pod, nodes, List.of(), Map.of(), volumes);
  }

  @Test
  void aMissingClaimRejectsThePodBeforeAnyNodeIsTried() {
    assertThat(schedule(podWith("data"), THREE_NODES, VolumeObjects.NONE).message())
        .isEqualTo("0/3 nodes are available: persistentvolumeclaim \"data\" not found.");
  }

  @Test
  void anUnboundImmediateClaimWaitsForThePvController() {
    VolumeObjects volumes = VolumeObjects.of(List.of(pending("data", "immediate")), List.of(), List.of(IMMEDIATE));
    assertThat(schedule(podWith("data"), THREE_NODES, volumes).message())
        .isEqualTo("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
    // a claim whose class does not exist binds at once too
    VolumeObjects noClass = VolumeObjects.of(List.of(pending("data", "gone")), List.of(), List.of());
    assertThat(schedule(podWith("data"), THREE_NODES, noClass).message())
        .isEqualTo("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
  }

  @Test
  void aBoundClaimTakesThePodToTheNodeOfItsVolume() {
    VolumeObjects volumes = VolumeObjects.of(List.of(bound("data", "pvc-1")),
        List.of(volumeOn("pvc-1", "node-b", "data", "standard")), List.of(STANDARD));
    assertThat(schedule(podWith("data"), THREE_NODES, volumes).nodeName()).isEqualTo("node-b");
    assertThat(schedule(podWith("data"), List.of(THREE_NODES.get(0), THREE_NODES.get(2)), volumes).message())
        .isEqualTo("0/2 nodes are available: 2 node(s) had volume node affinity conflict.");
    List<Node> nodeBCordoned = List.of(THREE_NODES.get(0), cordoned(THREE_NODES.get(1)), THREE_NODES.get(2));
    assertThat(schedule(podWith("data"), nodeBCordoned, volumes).message())
        .isEqualTo("0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict.");
  }

  @Test
  void aClaimBoundToAVolumeThatIsGoneFitsNowhere() {
    VolumeObjects volumes = VolumeObjects.of(List.of(bound("data", "pvc-gone")), List.of(), List.of(STANDARD));
    assertThat(schedule(podWith("data"), THREE_NODES, volumes).message()).isEqualTo(
        "0/3 nodes are available: 3 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s).");
  }

  @Test
  void anUnboundDelayedClaimFitsAnyNodeItsClassCanProvisionOn() {
    VolumeObjects volumes = VolumeObjects.of(List.of(pending("data", "standard")), List.of(), List.of(STANDARD));
    Pod pod = podWith("data");
    assertThat(schedule(pod, THREE_NODES, volumes).nodeName()).isEqualTo("node-a");
    assertThat(VolumeBinding.claimsToBind(pod, volumes)).extracting(c -> c.getMetadata().getName()).containsExactly("data");

    VolumeObjects zoned = VolumeObjects.of(List.of(pending("data", "zoned")), List.of(), List.of(ZONED));
    assertThat(schedule(pod, THREE_NODES, zoned).nodeName()).isEqualTo("node-c");
    assertThat(schedule(pod, THREE_NODES.subList(0, 2), zoned).message())
        .isEqualTo("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");
  }

  @Test
  void aDelayedClaimWhoseNodeWasChosenStaysWithIt() {
    VolumeObjects volumes = VolumeObjects.of(
        List.of(pending("data", "standard", "volume.kubernetes.io/selected-node: node-c")), List.of(), List.of(STANDARD));
    assertThat(schedule(podWith("data"), THREE_NODES, volumes).nodeName()).isEqualTo("node-c");
  }

  @Test
  void aDelayedClaimOfAClassThatCannotProvisionNeedsAnAvailableVolumeOnTheNode() {
    VolumeObjects volumes = VolumeObjects.of(List.of(pending("data", "local")),
        List.of(volumeOn("local-b", "node-b", null, "local"), volumeOn("local-c-taken", "node-c", "other", "local")),
        List.of(LOCAL));
    assertThat(schedule(podWith("data"), THREE_NODES, volumes).nodeName()).isEqualTo("node-b");
    assertThat(schedule(podWith("data"), List.of(THREE_NODES.get(0), THREE_NODES.get(2)), volumes).message())
        .isEqualTo("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");
  }

  @Test
  void boundClaimsAreNotBoundAgainAndPodsWithoutClaimsAreUntouched() {
    VolumeObjects volumes = VolumeObjects.of(List.of(bound("data", "pvc-1"), pending("logs", "standard")),
        List.of(volumeOn("pvc-1", "node-b", "data", "standard")), List.of(STANDARD));
    Pod pod = podWith("data", "logs");
    assertThat(schedule(pod, THREE_NODES, volumes).nodeName()).isEqualTo("node-b");
    assertThat(VolumeBinding.claimsToBind(pod, volumes)).extracting(c -> c.getMetadata().getName()).containsExactly("logs");

    Pod plain = Fixtures.pod("web", "50m", "100Mi");
    CycleState state = new CycleState(SchedulerCache.snapshotOf(THREE_NODES, List.of(), plain, Map.of(), volumes));
    assertThat(new VolumeBinding().preFilter(state, plain)).isEqualTo(PreFilterResult.SKIP);
  }
}
