package io.kubeactor.controlplane.controller.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * sync.go: finding (and creating) the new ReplicaSet with its revision, scaling — a scaling event
 * or a paused Deployment scales its ReplicaSets proportionally, without rolling out — the
 * ScalingReplicaSet events, and the status every kubectl view of a Deployment reads.
 */
final class DeploymentSync {

  private final DeploymentWrites writes;
  private final Clock clock;

  DeploymentSync(DeploymentWrites writes, Clock clock) {
    this.writes = writes;
    this.clock = clock;
  }

  /** syncStatusOnly: a Deployment being deleted only has its status kept current. */
  CompletionStage<Void> statusOnly(Rollout r) {
    return newAndOld(r, false).thenCompose(s -> syncStatus(r, s.latest(r)));
  }

  /** sync: a scaling event, or a paused Deployment. Scales; cleans up old revisions while paused. */
  CompletionStage<Void> sync(Rollout r) {
    return newAndOld(r, false)
        .thenCompose(s -> scale(r, s).thenApply(x -> s.latest(r)))
        .thenCompose(s -> (Deployments.paused(r.d) ? RevisionHistory.cleanup(r, writes, s.oldRSs())
            : CompletableFuture.<Void>completedFuture(null)).thenApply(x -> s.latest(r)))
        .thenCompose(s -> syncStatus(r, s));
  }

  /**
   * checkPausedConditions: pausing and resuming are recorded as an Unknown Progressing condition,
   * so that the time spent paused never counts towards the progress deadline. A deadline already
   * reported stays.
   */
  CompletionStage<Void> checkPausedConditions(Rollout r) {
    Deployment d = r.d;
    if (!Deployments.hasProgressDeadline(d)) return CompletableFuture.completedFuture(null);
    var cond = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    if (cond.isPresent() && DeploymentConditions.TIMED_OUT.equals(cond.get().getReason())) {
      return CompletableFuture.completedFuture(null);
    }
    boolean pausedCondition = cond.isPresent() && DeploymentConditions.PAUSED.equals(cond.get().getReason());
    DeploymentCondition next;
    if (Deployments.paused(d) && !pausedCondition) {
      next = DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "Unknown", DeploymentConditions.PAUSED,
          "Deployment is paused", clock.instant());
    } else if (!Deployments.paused(d) && pausedCondition) {
      next = DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "Unknown", DeploymentConditions.RESUMED,
          "Deployment is resumed", clock.instant());
    } else {
      return CompletableFuture.completedFuture(null);
    }
    DeploymentConditions.set(d.getStatus(), next);
    return writes.updateStatus(r).thenApply(x -> null);
  }

  /**
   * isScalingEvent: a ReplicaSet with replicas was last sized for another spec.replicas than the
   * Deployment's (its desired-replicas annotation), so the Deployment was scaled.
   */
  CompletionStage<Boolean> isScalingEvent(Rollout r) {
    return newAndOld(r, false).thenApply(s -> {
      for (ReplicaSet rs : ReplicaSets.active(s.latest(r).all())) {
        Integer desired = ReplicaSets.intAnnotation(rs, ReplicaSets.DESIRED_REPLICAS_ANNOTATION);
        if (desired != null && desired != Deployments.replicas(r.d)) return true;
      }
      return false;
    });
  }

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked and missing) with the
   * revision above every old one, the Deployment's revision set to it, and the old ReplicaSets.
   */
  CompletionStage<NewAndOld> newAndOld(Rollout r, boolean create) {
    List<ReplicaSet> rsList = List.copyOf(r.replicaSets);
    List<ReplicaSet> oldRSs = Deployments.findOld(r.d, rsList);
    return newReplicaSet(r, rsList, oldRSs, create).thenApply(newRS -> new NewAndOld(newRS, r.latest(oldRSs)));
  }

  private CompletionStage<ReplicaSet> newReplicaSet(Rollout r, List<ReplicaSet> rsList, List<ReplicaSet> oldRSs,
      boolean create) {
    Deployment d = r.d;
    ReplicaSet existing = Deployments.findNew(d, rsList);
    long newRevision = RevisionHistory.maxRevision(oldRSs) + 1;
    if (existing != null) {
      ReplicaSet copy = ControllerRefManager.copy(existing);
      boolean annotationsChanged = RevisionHistory.setNewReplicaSetAnnotations(d, copy, newRevision, true);
      int minReady = Deployments.minReadySeconds(d);
      boolean minReadyChanged = nz(copy.getSpec().getMinReadySeconds()) != minReady;
      CompletionStage<ReplicaSet> synced = annotationsChanged || minReadyChanged
          ? writes.patchReplicaSet(r, existing, null, minReadyChanged ? minReady : null,
              annotationsChanged ? copy.getMetadata().getAnnotations() : null)
          : CompletableFuture.completedFuture(existing);
      return synced.thenCompose(rs -> {
        boolean revisionChanged = RevisionHistory.setDeploymentRevision(r.d,
            ReplicaSets.annotation(rs, RevisionHistory.REVISION_ANNOTATION));
        boolean statusChanged = false;
        // a Deployment that starts caring about progress takes the new ReplicaSet as found now
        if (Deployments.hasProgressDeadline(r.d)
            && DeploymentConditions.get(r.d.getStatus(), DeploymentConditions.PROGRESSING).isEmpty()) {
          DeploymentConditions.set(r.d.getStatus(), DeploymentConditions.condition(DeploymentConditions.PROGRESSING,
              "True", DeploymentConditions.FOUND_NEW_RS, "Found new replica set \"" + rs.getMetadata().getName() + "\"",
              clock.instant()));
          statusChanged = true;
        }
        if (!revisionChanged && !statusChanged) return CompletableFuture.completedFuture(rs);
        return writes.writeDeployment(r, revisionChanged, statusChanged).thenApply(x -> rs);
      });
    }
    if (!create) return CompletableFuture.completedFuture(null);

    ReplicaSet newRS = newReplicaSetFor(d);
    List<ReplicaSet> all = new ArrayList<>(oldRSs);
    all.add(newRS);
    int newReplicas = Deployments.newRSNewReplicas(d, all, newRS);
    newRS.getSpec().setReplicas(newReplicas);
    RevisionHistory.setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    String name = newRS.getMetadata().getName();
    return writes.createReplicaSet(r, newRS)
        .handle((created, e) -> {
          if (e == null) return afterCreate(r, created, false, newReplicas, newRevision);
          if (DeploymentWrites.isAlreadyExists(e)) return alreadyExists(r, name, e, newReplicas, newRevision);
          return createFailed(r, name, e);
        })
        .thenCompose(x -> x);
  }

  /** The ReplicaSet for the Deployment's template: named and labelled by the template's hash, owned by it. */
  private static ReplicaSet newReplicaSetFor(Deployment d) {
    PodTemplateSpec template = Json.fromTree(Json.toTree(d.getSpec().getTemplate()), PodTemplateSpec.class);
    Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = PodTemplates.hash(d.getSpec().getTemplate(), collisionCount);
    if (template.getMetadata() == null) template.setMetadata(new ObjectMeta());
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels() == null
        ? Map.of() : template.getMetadata().getLabels());
    labels.put(PodTemplates.HASH_LABEL, hash);
    template.getMetadata().setLabels(labels);
    LabelSelector selector = Json.fromTree(Json.toTree(d.getSpec().getSelector()), LabelSelector.class);
    Map<String, String> matchLabels = new HashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
    matchLabels.put(PodTemplates.HASH_LABEL, hash);
    selector.setMatchLabels(matchLabels);

    ReplicaSet rs = new ReplicaSet();
    rs.setApiVersion("apps/v1");
    rs.setKind("ReplicaSet");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(d.getMetadata().getName() + "-" + hash);
    meta.setNamespace(d.getMetadata().getNamespace());
    meta.setOwnerReferences(List.of(OwnerReferences.controllerRef(d)));
    meta.setLabels(new HashMap<>(labels));
    rs.setMetadata(meta);
    ReplicaSetSpec spec = new ReplicaSetSpec();
    spec.setReplicas(0);
    spec.setMinReadySeconds(Deployments.minReadySeconds(d));
    spec.setSelector(selector);
    spec.setTemplate(template);
    rs.setSpec(spec);
    return rs;
  }

  private CompletionStage<ReplicaSet> afterCreate(Rollout r, ReplicaSet created, boolean alreadyExisted, int newReplicas,
      long newRevision) {
    if (!alreadyExisted && newReplicas > 0) {
      writes.event(r.d, "Normal", "ScalingReplicaSet",
          "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + newReplicas);
    }
    boolean revisionChanged = RevisionHistory.setDeploymentRevision(r.d, Long.toString(newRevision));
    boolean statusChanged = false;
    if (!alreadyExisted && Deployments.hasProgressDeadline(r.d)) {
      DeploymentStatus before = Json.fromTree(Json.toTree(r.d.getStatus()), DeploymentStatus.class);
      DeploymentConditions.set(r.d.getStatus(), DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
          DeploymentConditions.NEW_REPLICA_SET, "Created new replica set \"" + created.getMetadata().getName() + "\"",
          clock.instant()));
      statusChanged = !Json.toTree(before).equals(Json.toTree(r.d.getStatus()));
    }
    if (!revisionChanged && !statusChanged) return CompletableFuture.completedFuture(created);
    return writes.writeDeployment(r, revisionChanged, statusChanged).thenApply(x -> created);
  }

  /**
   * The name is taken: by this Deployment's own ReplicaSet for this template (a cache behind our
   * own creation), or by another one, a hash collision, which raises collisionCount so the next
   * attempt hashes to another name.
   */
  private CompletionStage<ReplicaSet> alreadyExists(Rollout r, String name, Throwable e, int newReplicas, long newRevision) {
    var context = writes.context();
    ObjectNode stored = context.fresh().get(context.informers().typeOf(ReplicaSet.class), r.d.getMetadata().getNamespace(), name);
    if (stored == null) return CompletableFuture.failedFuture(DeploymentWrites.cause(e));
    ReplicaSet rs = Json.fromTree(stored, ReplicaSet.class);
    if (OwnerReferences.isControlledBy(rs, r.d.getMetadata().getUid())
        && PodTemplates.equalIgnoreHash(r.d.getSpec().getTemplate(), rs.getSpec().getTemplate())) {
      r.written(rs);
      return afterCreate(r, rs, true, newReplicas, newRevision);
    }
    Integer count = r.d.getStatus().getCollisionCount();
    r.d.getStatus().setCollisionCount(count == null ? 1 : count + 1);
    return writes.updateStatus(r).thenCompose(x -> CompletableFuture.failedFuture(DeploymentWrites.cause(e)));
  }

  private CompletionStage<ReplicaSet> createFailed(Rollout r, String name, Throwable e) {
    String msg = "Failed to create new replica set \"" + name + "\": " + DeploymentWrites.cause(e).getMessage();
    CompletionStage<?> reported = CompletableFuture.completedFuture(null);
    if (Deployments.hasProgressDeadline(r.d)) {
      DeploymentConditions.set(r.d.getStatus(), DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "False",
          DeploymentConditions.FAILED_RS_CREATE, msg, clock.instant()));
      // the failure to create is the news; a failure to report it changes nothing
      reported = writes.updateStatus(r).handle((x, ignored) -> null);
    }
    writes.event(r.d, "Warning", DeploymentConditions.FAILED_RS_CREATE, msg);
    return reported.thenCompose(x -> CompletableFuture.failedFuture(DeploymentWrites.cause(e)));
  }

  /**
   * scale: with one ReplicaSet running (or none: the newest), it takes all the replicas; with a
   * saturated new ReplicaSet the old ones go to 0; otherwise, in a rolling update, the replicas
   * added or removed are shared among the running ReplicaSets in proportion to their size, so a
   * scaling event mid-rollout neither hastens nor holds back the rollout.
   */
  CompletionStage<Void> scale(Rollout r, NewAndOld s) {
    Deployment d = r.d;
    ReplicaSet activeOrLatest = Deployments.findActiveOrLatest(s.newRS(), s.oldRSs());
    if (activeOrLatest != null) {
      if (ReplicaSets.replicas(activeOrLatest) == Deployments.replicas(d)) return CompletableFuture.completedFuture(null);
      return scaleAndRecordEvent(r, activeOrLatest, Deployments.replicas(d)).thenApply(x -> null);
    }
    if (Deployments.isSaturated(d, s.newRS())) {
      return Rollout.eachInTurn(ReplicaSets.active(s.oldRSs()), old -> scaleAndRecordEvent(r, old, 0));
    }
    if (!Deployments.isRollingUpdate(d)) return CompletableFuture.completedFuture(null);

    List<ReplicaSet> all = new ArrayList<>(ReplicaSets.active(s.all()));
    int allowed = Deployments.replicas(d) > 0 ? Deployments.replicas(d) + Deployments.maxSurge(d) : 0;
    int toAdd = allowed - ReplicaSets.specTotal(all);
    if (toAdd > 0) all.sort(ReplicaSets.BY_SIZE_NEWER);
    else if (toAdd < 0) all.sort(ReplicaSets.BY_SIZE_OLDER);
    Map<String, Integer> sizes = new HashMap<>();
    int added = 0;
    for (ReplicaSet rs : all) {
      int proportion = toAdd != 0 ? Deployments.proportion(rs, d, toAdd, added) : 0;
      sizes.put(rs.getMetadata().getName(), ReplicaSets.replicas(rs) + proportion);
      added += proportion;
    }
    if (!all.isEmpty() && toAdd != 0) {
      // what rounding left over goes to (or comes from) the largest
      String largest = all.get(0).getMetadata().getName();
      sizes.put(largest, Math.max(0, sizes.get(largest) + toAdd - added));
    }
    return Rollout.eachInTurn(all, rs -> scaleReplicaSet(r, rs, sizes.get(rs.getMetadata().getName())));
  }

  /** scaleReplicaSetAndRecordEvent: scales if the size differs. */
  CompletionStage<Scaled> scaleAndRecordEvent(Rollout r, ReplicaSet rs, int newScale) {
    ReplicaSet current = r.latest(rs);
    if (ReplicaSets.replicas(current) == newScale) return CompletableFuture.completedFuture(new Scaled(false, current));
    return scaleReplicaSet(r, current, newScale);
  }

  /**
   * scaleReplicaSet: sets the size and the replica annotations (desired-replicas, max-replicas),
   * and records "Scaled up replica set web-5d59d67564 from 0 to 2" when the size changed.
   */
  CompletionStage<Scaled> scaleReplicaSet(Rollout r, ReplicaSet rs, int newScale) {
    ReplicaSet current = r.latest(rs);
    Deployment d = r.d;
    int desired = Deployments.replicas(d);
    int max = desired + Deployments.maxSurge(d);
    int oldScale = ReplicaSets.replicas(current);
    boolean sizeChanges = oldScale != newScale;
    if (!sizeChanges && !ReplicaSets.replicasAnnotationsNeedUpdate(current, desired, max)) {
      return CompletableFuture.completedFuture(new Scaled(false, current));
    }
    Map<String, String> annotations = Map.of(ReplicaSets.DESIRED_REPLICAS_ANNOTATION, Integer.toString(desired),
        ReplicaSets.MAX_REPLICAS_ANNOTATION, Integer.toString(max));
    return writes.patchReplicaSet(r, current, newScale, null, annotations).thenApply(updated -> {
      if (sizeChanges) {
        writes.event(r.d, "Normal", "ScalingReplicaSet", "Scaled " + (oldScale < newScale ? "up" : "down")
            + " replica set " + updated.getMetadata().getName() + " from " + oldScale + " to " + newScale);
      }
      return new Scaled(sizeChanges, updated);
    });
  }

  /** syncDeploymentStatus: writes the status calculated from the ReplicaSets if it differs. */
  CompletionStage<Void> syncStatus(Rollout r, NewAndOld s) {
    DeploymentStatus next = calculateStatus(s.all(), s.newRS(), r.d);
    if (sameStatus(r.d.getStatus(), next)) return CompletableFuture.completedFuture(null);
    r.d.setStatus(next);
    return writes.updateStatus(r).thenApply(x -> null);
  }

  /**
   * calculateStatus: the counts kubectl shows (READY, UP-TO-DATE, AVAILABLE; rollout status reads
   * the same), the observed generation, and the Available condition: at least replicas -
   * maxUnavailable pods available. Zero counts are left out, as Go's omitempty does.
   */
  DeploymentStatus calculateStatus(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    int available = ReplicaSets.availableTotal(all);
    int unavailable = Math.max(0, ReplicaSets.specTotal(all) - available);
    DeploymentStatus status = new DeploymentStatus();
    long generation = Deployments.generation(d);
    status.setObservedGeneration(generation == 0 ? null : generation);
    status.setReplicas(omitZero(ReplicaSets.actualTotal(all)));
    status.setUpdatedReplicas(omitZero(newRS == null ? 0 : ReplicaSets.statusReplicas(newRS)));
    status.setReadyReplicas(omitZero(ReplicaSets.readyTotal(all)));
    status.setAvailableReplicas(omitZero(available));
    status.setUnavailableReplicas(omitZero(unavailable));
    status.setCollisionCount(d.getStatus() == null ? null : d.getStatus().getCollisionCount());
    status.setConditions(d.getStatus() == null || d.getStatus().getConditions() == null
        ? new ArrayList<>() : new ArrayList<>(d.getStatus().getConditions()));
    if (available >= Deployments.replicas(d) - Deployments.maxUnavailable(d)) {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.AVAILABLE, "True",
          DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", clock.instant()));
    } else {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.AVAILABLE, "False",
          DeploymentConditions.MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.",
          clock.instant()));
    }
    return status;
  }

  static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return tree(a).equals(tree(b));
  }

  private static Object tree(DeploymentStatus s) {
    return s == null ? Json.object() : Json.toTree(s);
  }

  private static Integer omitZero(int n) {
    return n == 0 ? null : n;
  }

  private static int nz(Integer n) {
    return n == null ? 0 : n;
  }
}
