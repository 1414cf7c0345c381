package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.controlplane.controller.OwnerReferences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Deployment's revisions, kept on its ReplicaSets (rollback.go and deployment_util.go's revision
 * bookkeeping). Each template the Deployment runs is a ReplicaSet with a revision annotation; the
 * new one always has the highest revision, so a template used again (kubectl rollout undo, or
 * re-applying an old manifest) takes the next number and keeps its former ones in
 * revision-history. kubectl reads these for {@code rollout history} and {@code rollout undo},
 * which patches the old template back into the Deployment: the controller itself never rolls back.
 * Old ReplicaSets beyond revisionHistoryLimit are deleted, lowest revision first.
 */
final class RevisionHistory {
  private RevisionHistory() {}

  static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
  static final String LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
  /** extensions/v1beta1's rollback request; never copied, and not used by kubectl 1.32 (it patches the template). */
  static final String DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to";
  /** The revision-history annotation is kept under 2000 characters (~100 revisions). */
  static final int MAX_REVISION_HISTORY_CHARS = 2000;

  /** Annotations the Deployment does not pass on to its ReplicaSets (and kubectl does not restore from them). */
  private static final Set<String> NOT_COPIED = Set.of(LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION,
      REVISION_HISTORY_ANNOTATION, ReplicaSets.DESIRED_REPLICAS_ANNOTATION, ReplicaSets.MAX_REPLICAS_ANNOTATION,
      DEPRECATED_ROLLBACK_TO);

  /** The object's annotations as a mutable map (the object must be the caller's copy). */
  static Map<String, String> annotations(HasMetadata o) {
    if (o.getMetadata().getAnnotations() == null) o.getMetadata().setAnnotations(new HashMap<>());
    else if (!(o.getMetadata().getAnnotations() instanceof HashMap)) {
      o.getMetadata().setAnnotations(new HashMap<>(o.getMetadata().getAnnotations()));
    }
    return o.getMetadata().getAnnotations();
  }

  /** The revision annotation as a number; 0 when absent, null when not a number. */
  static Long revision(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(REVISION_ANNOTATION);
    if (v == null) return 0L;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** MaxRevision: the highest revision among the ReplicaSets (those that do not parse are skipped). */
  static long maxRevision(List<ReplicaSet> rss) {
    long max = 0;
    for (ReplicaSet rs : rss) {
      Long v = revision(rs);
      if (v != null && v > max) max = v;
    }
    return max;
  }

  /** ReplicaSetsByRevision: lowest revision first; by age when a revision does not parse. */
  static final Comparator<ReplicaSet> BY_REVISION = (a, b) -> {
    Long ra = revision(a);
    Long rb = revision(b);
    if (ra == null || rb == null || ra.equals(rb)) return ReplicaSets.BY_CREATION.compare(a, b);
    return Long.compare(ra, rb);
  };

  /**
   * SetNewReplicaSetAnnotations: copies the Deployment's annotations (kubernetes.io/change-cause
   * among them, which {@code kubectl rollout history} shows), raises the revision to
   * {@code newRevision} if it is lower, remembering the former one in revision-history, and for a
   * ReplicaSet about to be created sets the replica annotations. Whether anything changed.
   */
  static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, long newRevision, boolean exists) {
    boolean changed = copyDeploymentAnnotations(d, rs);
    Map<String, String> a = annotations(rs);
    String oldRevision = a.get(REVISION_ANNOTATION);
    long oldRevisionNumber = 0;
    if (oldRevision != null) {
      try {
        oldRevisionNumber = Long.parseLong(oldRevision);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (oldRevisionNumber < newRevision) {
      a.put(REVISION_ANNOTATION, Long.toString(newRevision));
      changed = true;
      if (oldRevision != null) {
        // the ReplicaSet serves the Deployment again: keep the revisions it had
        String history = a.get(REVISION_HISTORY_ANNOTATION);
        if (history == null || history.isEmpty()) {
          a.put(REVISION_HISTORY_ANNOTATION, oldRevision);
        } else {
          List<String> old = new ArrayList<>(Arrays.asList(history.split(",")));
          int total = history.length() + oldRevision.length() + 1;
          int start = 0;
          while (total > MAX_REVISION_HISTORY_CHARS && start < old.size()) {
            total -= old.get(start).length() + 1;
            start++;
          }
          if (total <= MAX_REVISION_HISTORY_CHARS) {
            List<String> kept = new ArrayList<>(old.subList(start, old.size()));
            kept.add(oldRevision);
            a.put(REVISION_HISTORY_ANNOTATION, String.join(",", kept));
          }
        }
      }
    }
    if (!exists && ReplicaSets.setReplicasAnnotations(rs, Deployments.replicas(d),
        Deployments.replicas(d) + Deployments.maxSurge(d))) {
      changed = true;
    }
    return changed;
  }

  private static boolean copyDeploymentAnnotations(Deployment d, ReplicaSet rs) {
    boolean changed = false;
    Map<String, String> from = d.getMetadata().getAnnotations();
    if (from == null) return false;
    Map<String, String> to = annotations(rs);
    for (Map.Entry<String, String> e : from.entrySet()) {
      if (NOT_COPIED.contains(e.getKey()) || e.getValue().equals(to.get(e.getKey()))) continue;
      to.put(e.getKey(), e.getValue());
      changed = true;
    }
    return changed;
  }

  /** SetDeploymentRevision on the caller's copy; whether it changed. */
  static boolean setDeploymentRevision(Deployment d, String revision) {
    if (revision == null) return false;
    Map<String, String> a = annotations(d);
    return !revision.equals(a.put(REVISION_ANNOTATION, revision));
  }

  /**
   * cleanupDeployment: deletes the old ReplicaSets beyond revisionHistoryLimit, lowest revision
   * first, and only those fully scaled down (no replicas asked or reported, the latest spec seen).
   */
  static CompletionStage<Void> cleanup(Rollout r, DeploymentWrites writes, List<ReplicaSet> oldRSs) {
    if (!Deployments.hasRevisionHistoryLimit(r.d)) return CompletableFuture.completedFuture(null);
    List<ReplicaSet> cleanable = new ArrayList<>(oldRSs.stream()
        .filter(rs -> rs != null && !OwnerReferences.beingDeleted(rs)).toList());
    int diff = cleanable.size() - r.d.getSpec().getRevisionHistoryLimit();
    if (diff <= 0) return CompletableFuture.completedFuture(null);
    cleanable.sort(BY_REVISION);
    List<ReplicaSet> doomed = cleanable.subList(0, diff).stream()
        .filter(rs -> ReplicaSets.statusReplicas(rs) == 0 && ReplicaSets.replicas(rs) == 0
            && ReplicaSets.generation(rs) <= ReplicaSets.observedGeneration(rs))
        .toList();
    // one at a time, stopping at the first failure: the API server is not flooded
    return Rollout.eachInTurn(doomed, rs -> writes.deleteReplicaSet(r, rs));
  }
}
