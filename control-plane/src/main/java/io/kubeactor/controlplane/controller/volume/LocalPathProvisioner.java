package io.kubeactor.controlplane.controller.volume;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.storage.PersistentVolumes;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Expectations;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Rancher's local-path provisioner, as kind runs it for its "standard" class: a claim of a class
 * whose provisioner is {@value #PROVISIONER_NAME}, once the scheduler has chosen the node of its
 * first pod, gets a hostPath volume "pvc-&lt;claim uid&gt;" in a directory of that node, pinned to
 * the node by its node affinity and pre-bound to the claim; the PV controller completes the
 * binding. The directory is under the root the node's agent publishes ({@value #LOCAL_PATH_ROOT});
 * the agent creates it when a pod first mounts the volume (hostPath DirectoryOrCreate). Keys are
 * claims.
 */
public final class LocalPathProvisioner implements Reconciler {

  public static final String PROVISIONER_NAME = "rancher.io/local-path";
  /**
   * The Node annotation with the absolute host directory under which the node keeps local-path
   * volumes; the kubelet-agent publishes it (NodeObject).
   */
  public static final String LOCAL_PATH_ROOT = "kubeactor.io/local-path-root";
  /** On a provisioned volume: the node it was made on, as local-path-provisioner records it. */
  static final String SELECTED_NODE_ANNOTATION = "local.path.provisioner/selected-node";

  private final ControllerContext context;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<PersistentVolume> volumes;
  private final Informer<StorageClass> classes;
  private final Informer<Node> nodes;
  private final Expectations expectations;
  /** The event source, as the external provisioner names itself: provisioner, instance, run. */
  private final String identity = PROVISIONER_NAME + "_local-path-provisioner_" + UUID.randomUUID();

  public LocalPathProvisioner(ControllerContext context) {
    this.context = context;
    this.claims = context.informers().of(PersistentVolumeClaim.class);
    this.volumes = context.informers().of(PersistentVolume.class);
    this.classes = context.informers().of(StorageClass.class);
    this.nodes = context.informers().nodes();
    this.expectations = new Expectations(context.clock());
  }

  @Override
  public String name() {
    return "local-path-provisioner";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(claims, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(volumes, e -> {
      var ref = e.object().getSpec() == null ? null : e.object().getSpec().getClaimRef();
      // a volume bound to no claim by name (a claimRef without one) is no claim's to wait for
      if (ref == null || ref.getName() == null || e.type() != Informer.EventType.ADDED) return List.of();
      String claimKey = Informer.key(ref.getNamespace(), ref.getName());
      expectations.creationObserved(claimKey);
      return List.of(claimKey);
    });
    // a node that starts publishing its root lets the claims waiting for it go on
    queue.watch(nodes, e -> {
      String root = root(e.object());
      if (root == null || (e.previous() != null && root.equals(root(e.previous())))) return List.of();
      String node = e.object().getMetadata().getName();
      return claims.list().stream().filter(c -> node.equals(PersistentVolumes.selectedNode(c))).map(Informer::keyOf).toList();
    });
  }

  @Override
  public Collection<String> keys() {
    return claims.list().stream().map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    PersistentVolumeClaim claim = claims.get(key);
    if (claim == null) {
      expectations.forget(key);
      return done();
    }
    StorageClass storageClass = classes.get(PersistentVolumes.claimClass(claim));
    if (!shouldProvision(claim, storageClass) || !expectations.satisfied(key)) return done();
    String volumeName = "pvc-" + claim.getMetadata().getUid();
    if (volumes.get(volumeName) != null) return done();

    String nodeName = PersistentVolumes.selectedNode(claim);
    if (nodeName == null) {
      // the provisioner makes volumes on a node only: an Immediate claim cannot get one
      if (!PersistentVolumes.isDelayBinding(claim, classes::get)) failed(claim, storageClass, "configuration error, no node was specified");
      return done();
    }
    if (claim.getSpec().getSelector() != null) {
      failed(claim, storageClass, "claim.Spec.Selector is not supported");
      return done();
    }
    Node node = nodes.get(nodeName);
    if (node == null) {
      failed(claim, storageClass, "nodes \"" + nodeName + "\" not found");
      return done();
    }
    String root = root(node);
    if (root == null) {
      failed(claim, storageClass, "node \"" + nodeName + "\" does not publish a local-path directory (annotation "
          + LOCAL_PATH_ROOT + "); is its agent up to date?");
      return done();
    }

    PersistentVolume volume = volume(claim, storageClass, volumeName, nodeName, root);
    record(claim, "Normal", "Provisioning", "External provisioner is provisioning volume for claim \""
        + claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName() + "\"");
    expectations.expect(key, 1, Set.of());
    return context.writer().create(volume).handle((created, error) -> {
      if (error == null) {
        record(claim, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume " + volumeName);
        return Result.done();
      }
      expectations.creationObserved(key);
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof ApiException api && api.code == 409) return Result.done(); // made already
      throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
    });
  }

  /** The claim is unbound, ours to provision, and not being deleted (shouldProvision). */
  private static boolean shouldProvision(PersistentVolumeClaim claim, StorageClass storageClass) {
    return storageClass != null && PROVISIONER_NAME.equals(storageClass.getProvisioner())
        && PersistentVolumes.volumeName(claim).isEmpty()
        && claim.getMetadata().getDeletionTimestamp() == null;
  }

  /** The volume: a directory of the node, only usable there, of the claim's size and modes, pre-bound to it. */
  static PersistentVolume volume(PersistentVolumeClaim claim, StorageClass storageClass, String name, String node, String root) {
    String path = root.replaceAll("/+$", "") + "/" + name + "_" + claim.getMetadata().getNamespace() + "_" + claim.getMetadata().getName();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(SELECTED_NODE_ANNOTATION, node);
    annotations.put(PersistentVolumes.PROVISIONED_BY, PROVISIONER_NAME);
    Quantity size = claim.getSpec().getResources().getRequests().get("storage");
    PersistentVolume pv = new PersistentVolumeBuilder()
        .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", size))
        .withAccessModes(claim.getSpec().getAccessModes())
        .withNewHostPath(path, "DirectoryOrCreate")
        .withNewNodeAffinity().withNewRequired().withNodeSelectorTerms(new NodeSelectorTermBuilder()
            .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("kubernetes.io/hostname").withOperator("In")
                .withValues(node).build())
            .build()).endRequired().endNodeAffinity()
        .withPersistentVolumeReclaimPolicy(Objects.requireNonNullElse(storageClass.getReclaimPolicy(), "Delete"))
        .withStorageClassName(storageClass.getMetadata().getName())
        .withVolumeMode(Objects.requireNonNullElse(claim.getSpec().getVolumeMode(), "Filesystem"))
        .withClaimRef(PersistentVolumes.claimRef(claim))
        .endSpec()
        .build();
    pv.setApiVersion("v1");
    pv.setKind("PersistentVolume");
    return pv;
  }

  private static String root(Node node) {
    return PersistentVolumes.annotation(node.getMetadata().getAnnotations(), LOCAL_PATH_ROOT);
  }

  private void failed(PersistentVolumeClaim claim, StorageClass storageClass, String why) {
    record(claim, "Warning", "ProvisioningFailed",
        "failed to provision volume with StorageClass \"" + storageClass.getMetadata().getName() + "\": " + why);
  }

  private void record(PersistentVolumeClaim claim, String type, String reason, String message) {
    context.events().record(Json.toTree(claim), type, reason, message, identity, null);
  }

  private static CompletionStage<Result> done() {
    return CompletableFuture.completedFuture(Result.done());
  }
}
