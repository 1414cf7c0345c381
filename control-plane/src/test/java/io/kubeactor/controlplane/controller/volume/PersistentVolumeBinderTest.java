package io.kubeactor.controlplane.controller.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PV controller and the local-path provisioner together, over a real store, without nodes' agents. */
class PersistentVolumeBinderTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static ActorRef<Controller.Command> binder;
  static ActorRef<Controller.Command> provisioner;

  @BeforeAll
  static void start() throws Exception {
    StandardStorageClass.ensure(fixture.context.writer(), fixture.context.fresh(), fixture.registry.types()).toCompletableFuture().get();
    fixture.apply("""
        {apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: fast},
         provisioner: kubernetes.io/no-provisioner, volumeBindingMode: Immediate}
        """);
    fixture.apply("""
        apiVersion: v1
        kind: Node
        metadata:
          name: node-a
          labels: {kubernetes.io/hostname: node-a}
          annotations: {kubeactor.io/local-path-root: /data/nodes/node-a/local-path-provisioner}
        """);
    binder = fixture.start(new PersistentVolumeBinder(fixture.context));
    provisioner = fixture.start(new LocalPathProvisioner(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static void volume(String name, String size, String accessMode, String className, String policy) {
    fixture.apply("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: %s}
        spec:
          capacity: {storage: %s}
          accessModes: [%s]
          storageClassName: "%s"
          persistentVolumeReclaimPolicy: %s
          hostPath: {path: /srv/%s}
        """.formatted(name, size, accessMode, className, policy, name));
  }

  private static void claim(String name, String size, String className) {
    fixture.apply("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: %s}}
          %s
        """.formatted(name, size, className == null ? "" : "storageClassName: \"" + className + "\""));
  }

  private static PersistentVolumeClaim claim(String name) {
    return fixture.get(PersistentVolumeClaim.class, "default", name);
  }

  private static PersistentVolume volume(String name) {
    return fixture.get(PersistentVolume.class, null, name);
  }

  private static String phase(PersistentVolumeClaim claim) {
    return claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
  }

  private static String phase(PersistentVolume volume) {
    return volume == null || volume.getStatus() == null ? null : volume.getStatus().getPhase();
  }

  private static List<String> events(String involvedName) {
    return fixture.list(Event.class, "default").stream()
        .filter(e -> e.getInvolvedObject().getName().equals(involvedName))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  @Test
  void anImmediateClaimBindsToTheSmallestStaticVolumeThatSatisfiesIt() {
    volume("static-big", "10Gi", "ReadWriteOnce", "", "Retain");
    volume("static-small", "2Gi", "ReadWriteOnce", "", "Retain");
    volume("static-tiny", "500Mi", "ReadWriteOnce", "", "Retain");
    volume("static-rox", "2Gi", "ReadOnlyMany", "", "Retain");
    await().until(() -> "Available".equals(phase(volume("static-small"))));
    claim("static-claim", "1Gi", "");

    await().until(() -> "Bound".equals(phase(claim("static-claim"))));
    PersistentVolumeClaim claim = claim("static-claim");
    assertThat(claim.getSpec().getVolumeName()).isEqualTo("static-small");
    assertThat(claim.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
        .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
    assertThat(claim.getStatus().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
    assertThat(claim.getStatus().getAccessModes()).containsExactly("ReadWriteOnce");

    await().until(() -> "Bound".equals(phase(volume("static-small"))));
    PersistentVolume volume = volume("static-small");
    assertThat(volume.getSpec().getClaimRef().getName()).isEqualTo("static-claim");
    assertThat(volume.getSpec().getClaimRef().getNamespace()).isEqualTo("default");
    assertThat(volume.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
    assertThat(volume.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
    assertThat(phase(volume("static-big"))).isEqualTo("Available");
    assertThat(phase(volume("static-rox"))).isEqualTo("Available");
  }

  @Test
  void aClaimThatNamesAVolumeBindsToIt() {
    volume("named", "1Gi", "ReadWriteOnce", "fast", "Retain");
    fixture.apply("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: named-claim, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
          storageClassName: fast
          volumeName: named
        """);
    await().until(() -> "Bound".equals(phase(claim("named-claim"))) && "Bound".equals(phase(volume("named"))));
    // the user chose the volume: the claim's binding is not the controller's
    assertThat(claim("named-claim").getMetadata().getAnnotations()).doesNotContainKey("pv.kubernetes.io/bound-by-controller");
  }

  @Test
  void anImmediateClaimWithoutAVolumeOrAProvisionerStaysPending() {
    claim("nothing-fits", "1Gi", "fast");
    await().until(() -> events("nothing-fits").contains(
        "ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner"));
    claim("no-class", "100Ti", "");
    await().until(() -> events("no-class").contains(
        "FailedBinding: no persistent volumes available for this claim and no storage class is set"));
    assertThat(phase(claim("no-class"))).isEqualTo("Pending");
  }

  @Test
  void aDelayedClaimWaitsForItsFirstConsumerThenGetsAVolumeOnTheSelectedNode() {
    claim("data-web-0", "1Gi", null);
    PersistentVolumeClaim pending = claim("data-web-0");
    assertThat(pending.getSpec().getStorageClassName()).isEqualTo("standard"); // DefaultStorageClass admission
    await().until(() -> events("data-web-0").contains("WaitForFirstConsumer: waiting for first consumer to be created before binding"));
    fixture.awaitReconciled(binder, "default/data-web-0");
    fixture.awaitReconciled(provisioner, "default/data-web-0");
    assertThat(volume("pvc-" + pending.getMetadata().getUid())).isNull();
    assertThat(phase(claim("data-web-0"))).isEqualTo("Pending");

    // the scheduler chose node-a for its pod
    fixture.change("v1", "PersistentVolumeClaim", "default", "data-web-0", c -> {
      c.with("metadata").with("annotations").put("volume.kubernetes.io/selected-node", "node-a");
      return c;
    });

    String volumeName = "pvc-" + pending.getMetadata().getUid();
    await().until(() -> "Bound".equals(phase(claim("data-web-0"))));
    PersistentVolumeClaim bound = claim("data-web-0");
    assertThat(bound.getSpec().getVolumeName()).isEqualTo(volumeName);
    assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("1Gi"));
    assertThat(bound.getMetadata().getAnnotations())
        .containsEntry("volume.kubernetes.io/storage-provisioner", "rancher.io/local-path")
        .containsEntry("volume.beta.kubernetes.io/storage-provisioner", "rancher.io/local-path")
        .containsEntry("pv.kubernetes.io/bind-completed", "yes");

    await().until(() -> "Bound".equals(phase(volume(volumeName))));
    PersistentVolume volume = volume(volumeName);
    assertThat(volume.getSpec().getHostPath().getPath())
        .isEqualTo("/data/nodes/node-a/local-path-provisioner/" + volumeName + "_default_data-web-0");
    assertThat(volume.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
    var term = volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
    assertThat(List.of(term.getKey(), term.getOperator(), term.getValues())).containsExactly("kubernetes.io/hostname", "In", List.of("node-a"));
    assertThat(volume.getSpec().getCapacity()).containsEntry("storage", new Quantity("1Gi"));
    assertThat(volume.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(volume.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(volume.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(volume.getSpec().getClaimRef().getUid()).isEqualTo(pending.getMetadata().getUid());
    assertThat(volume.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/provisioned-by", "rancher.io/local-path");

    await().until(() -> events("data-web-0").containsAll(List.of(
        "Provisioning: External provisioner is provisioning volume for claim \"default/data-web-0\"",
        "ProvisioningSucceeded: Successfully provisioned volume " + volumeName)));
    assertThat(events("data-web-0")).anyMatch(e -> e.startsWith(
        "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path'"));
  }

  @Test
  void aDeletedClaimReleasesItsVolumeWhichIsDeletedOrRetainedByPolicy() {
    volume("keep-me", "1Gi", "ReadWriteOnce", "", "Retain");
    volume("drop-me", "1Gi", "ReadWriteMany", "", "Delete");
    await().until(() -> "Available".equals(phase(volume("keep-me"))) && "Available".equals(phase(volume("drop-me"))));
    fixture.apply("""
        {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: keeper, namespace: default},
         spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: "", volumeName: keep-me}}
        """);
    fixture.apply("""
        {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: dropper, namespace: default},
         spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}, storageClassName: "", volumeName: drop-me}}
        """);
    await().until(() -> "Bound".equals(phase(claim("keeper"))) && "Bound".equals(phase(claim("dropper"))));

    fixture.delete("v1", "PersistentVolumeClaim", "default", "keeper", null);
    fixture.delete("v1", "PersistentVolumeClaim", "default", "dropper", null);

    await().until(() -> volume("drop-me") == null);
    await().until(() -> "Released".equals(phase(volume("keep-me"))));
    fixture.awaitReconciled(binder, "keep-me");
    assertThat(volume("keep-me")).isNotNull();
    assertThat(phase(volume("keep-me"))).isEqualTo("Released");
    assertThat(volume("keep-me").getSpec().getClaimRef().getName()).isEqualTo("keeper");
  }

  @Test
  void aProvisionedVolumeIsDeletedWithItsClaim() {
    claim("scratch", "1Gi", null);
    fixture.change("v1", "PersistentVolumeClaim", "default", "scratch", c -> {
      c.with("metadata").with("annotations").put("volume.kubernetes.io/selected-node", "node-a");
      return c;
    });
    await().until(() -> "Bound".equals(phase(claim("scratch"))));
    String volumeName = claim("scratch").getSpec().getVolumeName();
    await().until(() -> "Bound".equals(phase(volume(volumeName))));
    fixture.delete("v1", "PersistentVolumeClaim", "default", "scratch", null);
    await().until(() -> volume(volumeName) == null);
  }
}
