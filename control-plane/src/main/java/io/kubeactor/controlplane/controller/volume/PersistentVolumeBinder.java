package io.kubeactor.controlplane.controller.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.storage.PersistentVolumes;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's PersistentVolume controller (pkg/controller/volume/persistentvolume):
 * binds claims to volumes and reclaims the volumes of deleted claims. An Immediate claim binds to
 * the smallest Available volume that satisfies it (class, access modes, size, selector, volume
 * mode) or to the one it names; a WaitForFirstConsumer claim waits until the scheduler writes the
 * node of its first pod ({@value PersistentVolumes#SELECTED_NODE}), then binds to a volume usable
 * there. A claim no volume satisfies is handed to its class's external provisioner. Binding writes
 * the volume's claimRef and phase first, then the claim's volumeName and phase, so that a binding
 * cut short is completed by the next sync. A volume whose claim is gone is Released, then deleted
 * (reclaim policy Delete) or kept (Retain).
 *
 * <p>Keys are claims ("namespace/name") and volumes ("name", volumes being cluster-scoped), as the
 * informers key them.
 */
public final class PersistentVolumeBinder implements Reconciler {

  static final String COMPONENT = "persistentvolume-controller";
  /** Volumes by the claim their claimRef names; pods by the claims they use ("namespace/name"). */
  private static final String BY_CLAIM = "claim";

  private final ControllerContext context;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<PersistentVolume> volumes;
  private final Informer<StorageClass> classes;
  private final Informer<Node> nodes;
  private final Informer<Pod> pods;
  private volatile Queue queue;

  public PersistentVolumeBinder(ControllerContext context) {
    this.context = context;
    this.claims = context.informers().of(PersistentVolumeClaim.class);
    this.volumes = context.informers().of(PersistentVolume.class);
    this.classes = context.informers().of(StorageClass.class);
    this.nodes = context.informers().nodes();
    this.pods = context.informers().pods();
  }

  @Override
  public String name() {
    return "persistentvolume-binder-controller";
  }

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    volumes.addIndex(BY_CLAIM, v -> {
      var ref = v.getSpec() == null ? null : v.getSpec().getClaimRef();
      return ref == null || ref.getName() == null ? List.of() : List.of(Informer.key(ref.getNamespace(), ref.getName()));
    });
    pods.addIndex(BY_CLAIM, PersistentVolumeBinder::claimKeysOf);
    queue.watch(claims, e -> {
      List<String> keys = new ArrayList<>(List.of(Informer.keyOf(e.object())));
      if (e.type() == Informer.EventType.DELETED) {
        // its volumes are released
        volumes.byIndex(BY_CLAIM, Informer.keyOf(e.object())).forEach(v -> keys.add(v.getMetadata().getName()));
        String volumeName = PersistentVolumes.volumeName(e.object());
        if (!volumeName.isEmpty()) keys.add(volumeName);
      }
      return keys;
    });
    queue.watch(volumes, e -> {
      List<String> keys = new ArrayList<>(List.of(e.object().getMetadata().getName()));
      var ref = e.object().getSpec() == null ? null : e.object().getSpec().getClaimRef();
      if (ref != null) keys.add(Informer.key(ref.getNamespace(), ref.getName()));
      return keys;
    });
    // a class that appears may let its pending claims provision
    queue.watch(classes, e -> e.type() != Informer.EventType.ADDED ? List.of() : claims.list().stream()
        .filter(c -> PersistentVolumes.volumeName(c).isEmpty()
            && PersistentVolumes.claimClass(c).equals(e.object().getMetadata().getName()))
        .map(Informer::keyOf).toList());
  }

  @Override
  public Collection<String> keys() {
    List<String> keys = new ArrayList<>();
    claims.list().forEach(c -> keys.add(Informer.keyOf(c)));
    volumes.list().forEach(v -> keys.add(v.getMetadata().getName()));
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    CompletionStage<?> sync;
    if (key.contains("/")) {
      PersistentVolumeClaim claim = claims.get(key);
      sync = claim == null ? done() : hasAnnotation(claim, PersistentVolumes.BIND_COMPLETED)
          ? syncBoundClaim(claim) : syncUnboundClaim(claim);
    } else {
      PersistentVolume volume = volumes.get(key);
      sync = volume == null ? done() : syncVolume(volume);
    }
    return sync.thenApply(x -> Result.done());
  }

  // ---- claims ----

  private CompletionStage<?> syncUnboundClaim(PersistentVolumeClaim claim) {
    String volumeName = PersistentVolumes.volumeName(claim);
    if (volumeName.isEmpty()) {
      boolean delayBinding = PersistentVolumes.isDelayBinding(claim, classes::get);
      String selected = PersistentVolumes.selectedNode(claim);
      Node node = delayBinding && selected != null ? node(selected) : null;
      PersistentVolume volume = PersistentVolumes.findMatchingVolume(claim, volumes.list(), delayBinding, node, Set.of());
      if (volume != null) return bind(volume, claim);
      if (delayBinding && selected == null) {
        waitingForFirstConsumer(claim);
      } else if (!PersistentVolumes.claimClass(claim).isEmpty()) {
        return provision(claim);
      } else {
        record(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
      }
      return claimStatus(claim, "Pending", null);
    }
    // the user asked for this volume
    PersistentVolume volume = volumes.get(volumeName);
    if (volume == null) return claimStatus(claim, "Pending", null);
    if (volume.getSpec().getClaimRef() == null) {
      String unsatisfied = PersistentVolumes.unsatisfied(volume, claim);
      if (unsatisfied == null) return bind(volume, claim);
      record(claim, "Warning", "VolumeMismatch", "Cannot bind to requested volume \"" + volumeName + "\": " + unsatisfied);
      return claimStatus(claim, "Pending", null);
    }
    if (PersistentVolumes.isBoundToClaim(volume, claim)) return bind(volume, claim);
    record(claim, "Warning", "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
    return claimStatus(claim, "Pending", null);
  }

  private CompletionStage<?> syncBoundClaim(PersistentVolumeClaim claim) {
    String volumeName = PersistentVolumes.volumeName(claim);
    if (volumeName.isEmpty()) {
      return lost(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
    }
    PersistentVolume volume = volumes.get(volumeName);
    if (volume == null) return lost(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    var ref = volume.getSpec().getClaimRef();
    if (ref == null || Objects.equals(ref.getUid(), claim.getMetadata().getUid())) return bind(volume, claim);
    return lost(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
  }

  /** A delayed claim waits for the scheduler; it says for which pods, if any use it yet. */
  private void waitingForFirstConsumer(PersistentVolumeClaim claim) {
    List<String> waiting = pods.byIndex(BY_CLAIM, Informer.keyOf(claim)).stream()
        .filter(p -> !Pods.isTerminal(p) && (p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty()))
        .map(p -> p.getMetadata().getName()).sorted().toList();
    if (waiting.isEmpty()) {
      record(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
    } else if (waiting.size() == 1) {
      record(claim, "Normal", "WaitForPodScheduled", "waiting for pod " + waiting.get(0) + " to be scheduled");
    } else {
      record(claim, "Normal", "WaitForPodScheduled", "waiting for pods " + String.join(",", waiting) + " to be scheduled");
    }
  }

  /**
   * No volume satisfies the claim: its class's provisioner is to make one. Provisioners are
   * external (none is built in), so the claim is marked for the provisioner and waits.
   */
  private CompletionStage<?> provision(PersistentVolumeClaim claim) {
    String className = PersistentVolumes.claimClass(claim);
    StorageClass storageClass = classes.get(className);
    if (storageClass == null) {
      record(claim, "Warning", "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
      return claimStatus(claim, "Pending", null);
    }
    String provisioner = storageClass.getProvisioner();
    if (provisioner.startsWith("kubernetes.io/")) {
      // in-tree plugins, kubernetes.io/no-provisioner among them, provision nothing here
      record(claim, "Warning", "ProvisioningFailed", "no volume plugin matched name: " + provisioner);
      return claimStatus(claim, "Pending", null);
    }
    Map<String, String> annotations = claim.getMetadata().getAnnotations();
    CompletionStage<PersistentVolumeClaim> marked;
    if (provisioner.equals(PersistentVolumes.annotation(annotations, PersistentVolumes.STORAGE_PROVISIONER))
        && provisioner.equals(PersistentVolumes.annotation(annotations, PersistentVolumes.BETA_STORAGE_PROVISIONER))) {
      marked = CompletableFuture.completedFuture(claim);
    } else {
      PersistentVolumeClaim copy = copy(claim);
      annotate(copy, PersistentVolumes.STORAGE_PROVISIONER, provisioner);
      annotate(copy, PersistentVolumes.BETA_STORAGE_PROVISIONER, provisioner);
      marked = context.writer().update(copy);
    }
    return marked.thenAccept(c -> record(c, "Normal", "ExternalProvisioning",
        "Waiting for a volume to be created either by the external provisioner '" + provisioner
            + "' or manually by the system administrator. If volume creation is delayed, please verify that the"
            + " provisioner is running and correctly registered."));
  }

  /**
   * Binds both ways, volume first: claimRef, volume phase, claim volumeName and annotations, claim
   * phase. Each step writes only if something changes, so a partly done binding is completed.
   */
  private CompletionStage<?> bind(PersistentVolume volume, PersistentVolumeClaim claim) {
    return bindVolumeToClaim(volume, claim)
        .thenCompose(v -> volumePhase(v, "Bound"))
        .thenCompose(v -> bindClaimToVolume(claim, v).thenCompose(c -> claimStatus(c, "Bound", v)));
  }

  private CompletionStage<PersistentVolume> bindVolumeToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
    var ref = volume.getSpec().getClaimRef();
    if (ref != null && Objects.equals(ref.getName(), claim.getMetadata().getName())
        && Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
        && Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
      return CompletableFuture.completedFuture(volume);
    }
    PersistentVolume copy = copy(volume);
    // a volume the user reserved for this claim (no uid yet) stays the user's binding
    if (!PersistentVolumes.isBoundToClaim(volume, claim)) annotate(copy, PersistentVolumes.BOUND_BY_CONTROLLER, "yes");
    copy.getSpec().setClaimRef(PersistentVolumes.claimRef(claim));
    return context.writer().update(copy);
  }

  private CompletionStage<PersistentVolumeClaim> bindClaimToVolume(PersistentVolumeClaim claim, PersistentVolume volume) {
    PersistentVolumeClaim copy = copy(claim);
    boolean dirty = false;
    if (!volume.getMetadata().getName().equals(PersistentVolumes.volumeName(claim))) {
      copy.getSpec().setVolumeName(volume.getMetadata().getName());
      if (!hasAnnotation(claim, PersistentVolumes.BOUND_BY_CONTROLLER)) annotate(copy, PersistentVolumes.BOUND_BY_CONTROLLER, "yes");
      dirty = true;
    }
    if (!hasAnnotation(claim, PersistentVolumes.BIND_COMPLETED)) {
      annotate(copy, PersistentVolumes.BIND_COMPLETED, "yes");
      dirty = true;
    }
    return dirty ? context.writer().update(copy) : CompletableFuture.completedFuture(claim);
  }

  /**
   * The claim's phase, with the access modes and (when it becomes Bound) the capacity of its
   * volume; without a volume both are cleared.
   */
  private CompletionStage<PersistentVolumeClaim> claimStatus(PersistentVolumeClaim claim, String phase, PersistentVolume volume) {
    PersistentVolumeClaim copy = copy(claim);
    if (copy.getStatus() == null) copy.setStatus(new PersistentVolumeClaimStatus());
    PersistentVolumeClaimStatus status = copy.getStatus();
    String before = status.getPhase();
    boolean dirty = false;
    if (!phase.equals(before)) {
      status.setPhase(phase);
      dirty = true;
    }
    if (volume == null) {
      if (!empty(status.getAccessModes()) || !empty(status.getCapacity())) {
        status.setAccessModes(null);
        status.setCapacity(null);
        dirty = true;
      }
    } else {
      List<String> modes = volume.getSpec().getAccessModes();
      if (!Objects.equals(emptyToNull(status.getAccessModes()), emptyToNull(modes))) {
        status.setAccessModes(modes == null ? null : new ArrayList<>(modes));
        dirty = true;
      }
      // the capacity is the volume's when the claim becomes bound (later a resize may make them differ)
      Quantity capacity = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
      Quantity current = status.getCapacity() == null ? null : status.getCapacity().get("storage");
      if (!phase.equals(before) && capacity != null
          && (current == null || Quantity.getAmountInBytes(current).compareTo(Quantity.getAmountInBytes(capacity)) != 0)) {
        status.setCapacity(new HashMap<>(Map.of("storage", capacity)));
        dirty = true;
      }
    }
    return dirty ? context.writer().updateStatus(copy) : CompletableFuture.completedFuture(claim);
  }

  /** The claim's volume is gone or belongs to another claim: it is Lost, which is said once. */
  private CompletionStage<?> lost(PersistentVolumeClaim claim, String reason, String message) {
    if (claim.getStatus() != null && "Lost".equals(claim.getStatus().getPhase())) return done();
    return claimStatus(claim, "Lost", null).thenAccept(c -> record(c, "Warning", reason, message));
  }

  // ---- volumes ----

  private CompletionStage<?> syncVolume(PersistentVolume volume) {
    var ref = volume.getSpec().getClaimRef();
    if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
      // unused, or reserved for a claim that has not bound to it yet
      return volumePhase(volume, "Available");
    }
    String claimKey = Informer.key(ref.getNamespace(), ref.getName());
    PersistentVolumeClaim claim = claims.get(claimKey);
    if (claim != null && !ref.getUid().equals(claim.getMetadata().getUid())) claim = null; // a new claim of the same name
    if (claim == null) {
      String phase = phase(volume);
      CompletionStage<PersistentVolume> released = phase.equals("Released") || phase.equals("Failed")
          ? CompletableFuture.completedFuture(volume) : volumePhase(volume, "Released");
      return released.thenCompose(this::reclaim);
    }
    String boundTo = PersistentVolumes.volumeName(claim);
    if (boundTo.isEmpty()) {
      // the claim has yet to take this volume (e.g. one provisioned for it): its sync binds
      queue.add(claimKey);
      return done();
    }
    if (boundTo.equals(volume.getMetadata().getName())) return volumePhase(volume, "Bound");
    // the claim went to another volume
    if (hasAnnotation(volume, PersistentVolumes.PROVISIONED_BY) && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
      String phase = phase(volume);
      CompletionStage<PersistentVolume> released = phase.equals("Released") || phase.equals("Failed")
          ? CompletableFuture.completedFuture(volume) : volumePhase(volume, "Released");
      return released.thenCompose(this::reclaim);
    }
    return unbind(volume);
  }

  /** What the reclaim policy says to do with a volume whose claim is gone. */
  private CompletionStage<?> reclaim(PersistentVolume volume) {
    String policy = Objects.requireNonNullElse(volume.getSpec().getPersistentVolumeReclaimPolicy(), "Retain");
    return switch (policy) {
      case "Retain" -> done();
      case "Delete" -> context.writer().delete(volume, null).exceptionally(e -> {
        Throwable cause = ApiException.unwrap(e);
        if (cause instanceof ApiException api && api.code == 404) return null; // gone already
        throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
      });
      case "Recycle" -> failed(volume, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
      default -> failed(volume, "VolumeUnknownReclaimPolicy", "Volume has unrecognized PersistentVolumeReclaimPolicy");
    };
  }

  /** The controller bound the volume to a claim that took another: it is free again (a user's reservation stays). */
  private CompletionStage<?> unbind(PersistentVolume volume) {
    PersistentVolume copy = copy(volume);
    if (hasAnnotation(volume, PersistentVolumes.BOUND_BY_CONTROLLER)) {
      copy.getSpec().setClaimRef(null);
      copy.getMetadata().getAnnotations().remove(PersistentVolumes.BOUND_BY_CONTROLLER);
    } else {
      copy.getSpec().getClaimRef().setUid(null);
    }
    return context.writer().update(copy).thenCompose(v -> volumePhase(v, "Available"));
  }

  private CompletionStage<PersistentVolume> volumePhase(PersistentVolume volume, String phase) {
    if (phase.equals(phase(volume))) return CompletableFuture.completedFuture(volume);
    PersistentVolume copy = copy(volume);
    if (copy.getStatus() == null) copy.setStatus(new PersistentVolumeStatus());
    copy.getStatus().setPhase(phase);
    copy.getStatus().setMessage(null);
    return context.writer().updateStatus(copy);
  }

  /** Marks the volume Failed, saying why once. */
  private CompletionStage<?> failed(PersistentVolume volume, String reason, String message) {
    if ("Failed".equals(phase(volume))) return done();
    return volumePhase(volume, "Failed").thenAccept(v -> record(v, "Warning", reason, message));
  }

  // ---- helpers ----

  /** The claims a pod's volumes use, as "namespace/name" (generic ephemeral volumes' claims included). */
  private static List<String> claimKeysOf(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) return List.of();
    List<String> keys = new ArrayList<>();
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null) {
        keys.add(Informer.key(pod.getMetadata().getNamespace(), v.getPersistentVolumeClaim().getClaimName()));
      } else if (v.getEphemeral() != null) {
        keys.add(Informer.key(pod.getMetadata().getNamespace(), pod.getMetadata().getName() + "-" + v.getName()));
      }
    }
    return keys;
  }

  /** The node by name; one the cluster does not know is a node with no labels. */
  private Node node(String name) {
    Node node = nodes.get(name);
    return node != null ? node : new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static String phase(PersistentVolume volume) {
    return volume.getStatus() == null || volume.getStatus().getPhase() == null ? "" : volume.getStatus().getPhase();
  }

  private static boolean hasAnnotation(HasMetadata o, String key) {
    return PersistentVolumes.annotation(o.getMetadata().getAnnotations(), key) != null;
  }

  private static void annotate(HasMetadata o, String key, String value) {
    if (o.getMetadata().getAnnotations() == null) o.getMetadata().setAnnotations(new HashMap<>());
    o.getMetadata().getAnnotations().put(key, value);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    context.events().record(Json.toTree(object), type, reason, message, COMPONENT, null);
  }

  private static boolean empty(Collection<?> c) {
    return c == null || c.isEmpty();
  }

  private static boolean empty(Map<?, ?> m) {
    return m == null || m.isEmpty();
  }

  private static <T> List<T> emptyToNull(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T copy(T object) {
    return (T) Json.fromTree(Json.toTree(object), object.getClass());
  }

  private static CompletionStage<Object> done() {
    return CompletableFuture.completedFuture(null);
  }
}
