package io.kubeactor.controlplane.api.storage;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.scheduling.NodeSelectors;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What binding a claim to a volume means, shared by the PV controller, the provisioner and the
 * scheduler's VolumeBinding plugin (upstream k8s.io/component-helpers/storage/volume): the
 * annotations of the binding protocol, a claim's class and binding mode, and which volume
 * satisfies a claim.
 */
public final class PersistentVolumes {
  private PersistentVolumes() {}

  /** On a claim: the node the scheduler chose for its first consumer, where a volume is to be provisioned. */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  /** On a claim: the binding completed once (its volumeName is no longer a request). */
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  /** On a claim or volume: the controller, not the user, set the binding. */
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  /** On a volume: the provisioner that created it. */
  public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  /** On a claim: the external provisioner asked to provision a volume for it. */
  public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
  /** The beta annotation that, when present, names the class instead of spec.storageClassName. */
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
  /** The provisioner of classes whose volumes are only ever created by hand (local volumes). */
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

  /** The class a claim asks for ("" for none): the beta annotation, else spec.storageClassName. */
  public static String claimClass(PersistentVolumeClaim claim) {
    String beta = annotation(claim.getMetadata().getAnnotations(), BETA_STORAGE_CLASS);
    if (beta != null) return beta;
    return claim.getSpec() == null || claim.getSpec().getStorageClassName() == null ? "" : claim.getSpec().getStorageClassName();
  }

  /** The class of a volume ("" for none). */
  public static String volumeClass(PersistentVolume volume) {
    String beta = annotation(volume.getMetadata().getAnnotations(), BETA_STORAGE_CLASS);
    if (beta != null) return beta;
    return volume.getSpec() == null || volume.getSpec().getStorageClassName() == null ? "" : volume.getSpec().getStorageClassName();
  }

  /** Whether binding waits for the claim's first pod (its class is WaitForFirstConsumer); a missing class binds at once. */
  public static boolean isDelayBinding(PersistentVolumeClaim claim, Function<String, StorageClass> classes) {
    String name = claimClass(claim);
    if (name.isEmpty()) return false;
    StorageClass c = classes.apply(name);
    return c != null && WAIT_FOR_FIRST_CONSUMER.equals(c.getVolumeBindingMode());
  }

  /** The node the scheduler chose for the claim, or null. */
  public static String selectedNode(PersistentVolumeClaim claim) {
    return annotation(claim.getMetadata().getAnnotations(), SELECTED_NODE);
  }

  /** The volume's claimRef names this claim (and, if it carries a uid, this very claim). */
  public static boolean isBoundToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
    ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    if (ref == null) return false;
    if (!Objects.equals(ref.getName(), claim.getMetadata().getName())
        || !Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())) {
      return false;
    }
    return ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid());
  }

  /** The claim has a volume and the controller finished binding it (isPVCFullyBound). */
  public static boolean isFullyBound(PersistentVolumeClaim claim) {
    return !volumeName(claim).isEmpty() && annotation(claim.getMetadata().getAnnotations(), BIND_COMPLETED) != null;
  }

  public static String volumeName(PersistentVolumeClaim claim) {
    return claim.getSpec() == null || claim.getSpec().getVolumeName() == null ? "" : claim.getSpec().getVolumeName();
  }

  /** The reference a volume keeps to the claim bound to it. */
  public static ObjectReference claimRef(PersistentVolumeClaim claim) {
    return new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
        .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion()).build();
  }

  /** The storage the claim requests, in bytes. */
  public static BigDecimal requested(PersistentVolumeClaim claim) {
    var resources = claim.getSpec() == null ? null : claim.getSpec().getResources();
    return bytes(resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage"));
  }

  /** The volume's storage capacity, in bytes. */
  public static BigDecimal capacity(PersistentVolume volume) {
    Map<String, Quantity> capacity = volume.getSpec() == null ? null : volume.getSpec().getCapacity();
    return bytes(capacity == null ? null : capacity.get("storage"));
  }

  private static BigDecimal bytes(Quantity q) {
    if (q == null) return BigDecimal.ZERO;
    try {
      return Quantity.getAmountInBytes(q);
    } catch (RuntimeException e) {
      return BigDecimal.ZERO;
    }
  }

  /** The volume offers every access mode the claim asks for. */
  public static boolean accessModesSatisfied(PersistentVolumeClaim claim, PersistentVolume volume) {
    List<String> wanted = claim.getSpec() == null || claim.getSpec().getAccessModes() == null ? List.of() : claim.getSpec().getAccessModes();
    List<String> offered = volume.getSpec().getAccessModes() == null ? List.of() : volume.getSpec().getAccessModes();
    return offered.containsAll(wanted);
  }

  /** Block claims need block volumes and filesystem claims filesystem ones (unset is Filesystem). */
  public static boolean volumeModeMismatch(PersistentVolumeClaim claim, PersistentVolume volume) {
    String claimMode = claim.getSpec() == null || claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode();
    String volumeMode = volume.getSpec().getVolumeMode() == null ? "Filesystem" : volume.getSpec().getVolumeMode();
    return !claimMode.equals(volumeMode);
  }

  /** Whether the volume can be used on the node: no required node affinity, or one the node matches. */
  public static boolean nodeAffinityAllows(PersistentVolume volume, Node node) {
    var affinity = volume.getSpec() == null ? null : volume.getSpec().getNodeAffinity();
    if (affinity == null || affinity.getRequired() == null) return true;
    return node != null && NodeSelectors.anyMatches(affinity.getRequired().getNodeSelectorTerms(), node);
  }

  /**
   * Why a volume the claim names cannot be bound to it (checkVolumeSatisfyClaim), or null if it can.
   */
  public static String unsatisfied(PersistentVolume volume, PersistentVolumeClaim claim) {
    if (volume.getMetadata().getDeletionTimestamp() != null) return "the volume is marked for deletion \"" + volume.getMetadata().getName() + "\"";
    if (capacity(volume).compareTo(requested(claim)) < 0) return "requested PV is too small";
    if (!volumeClass(volume).equals(claimClass(claim))) return "storageClassName does not match";
    if (volumeModeMismatch(claim, volume)) return "incompatible volumeMode";
    if (!accessModesSatisfied(claim, volume)) return "incompatible accessMode";
    return null;
  }

  /**
   * The volume a claim should bind to (FindMatchingVolume): one already bound to it, else the
   * smallest Available volume of its class, access modes, volume mode and selector that is large
   * enough. With a node, only volumes usable on that node count; a delayed claim without a node
   * takes only a volume already bound to it, since its node is not chosen yet.
   *
   * @param excluded names of volumes already chosen for other claims of the same pod
   */
  public static PersistentVolume findMatchingVolume(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
      boolean delayBinding, Node node, Set<String> excluded) {
    BigDecimal requested = requested(claim);
    String requestedClass = claimClass(claim);
    LabelSelector selector = claim.getSpec() == null || claim.getSpec().getSelector() == null ? null
        : selector(claim);
    PersistentVolume smallest = null;
    for (PersistentVolume volume : volumes.stream().sorted(Comparator.comparing(v -> v.getMetadata().getName())).toList()) {
      if (excluded.contains(volume.getMetadata().getName())) continue;
      if (!accessModesSatisfied(claim, volume)) continue;
      BigDecimal capacity = capacity(volume);
      if (capacity.compareTo(requested) < 0) continue;
      if (volumeModeMismatch(claim, volume)) continue;
      if (volume.getMetadata().getDeletionTimestamp() != null) continue;
      boolean usableOnNode = node == null || nodeAffinityAllows(volume, node);
      if (isBoundToClaim(volume, claim)) return usableOnNode ? volume : null;
      if (node == null && delayBinding) continue;
      String phase = volume.getStatus() == null ? null : volume.getStatus().getPhase();
      if (!"Available".equals(phase) || volume.getSpec().getClaimRef() != null) continue;
      if (selector != null && !selector.matches(volume.getMetadata().getLabels())) continue;
      if (!volumeClass(volume).equals(requestedClass) || !usableOnNode) continue;
      if (smallest == null || capacity(smallest).compareTo(capacity) > 0) smallest = volume;
    }
    return smallest;
  }

  private static LabelSelector selector(PersistentVolumeClaim claim) {
    try {
      return LabelSelector.fromJson(Json.toTree(claim.getSpec().getSelector()));
    } catch (RuntimeException e) {
      return LabelSelector.nothing();
    }
  }

  public static String annotation(Map<String, String> annotations, String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
