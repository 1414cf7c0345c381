package io.kubeactor.controlplane.controller.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.history.ControllerRevisions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A DaemonSet's history (pkg/controller/daemon/update.go): one ControllerRevision per template it
 * has had, named {@code <ds>-<hash>} and labelled {@code controller-revision-hash}, whose data is
 * the patch that restores the template ({@code {"spec":{"template":{..., "$patch":"replace"}}}},
 * what {@code kubectl rollout undo} applies and {@code kubectl rollout history} shows). The current
 * template's revision has the highest number; old ones beyond revisionHistoryLimit are deleted
 * unless a pod still runs them.
 */
final class DaemonSetHistory {

  /** The current revision and the others. */
  record Revisions(ControllerRevision current, List<ControllerRevision> old) {
    String hash() {
      return current.getMetadata().getLabels().get(DaemonSets.REVISION_HASH_LABEL);
    }
  }

  private final ControllerContext context;
  private final Informer<ControllerRevision> revisions;
  private final Informer<DaemonSet> daemonSets;
  private final DaemonPods daemonPods;

  DaemonSetHistory(ControllerContext context, Informer<ControllerRevision> revisions, Informer<DaemonSet> daemonSets,
      DaemonPods daemonPods) {
    this.context = context;
    this.revisions = revisions;
    this.daemonSets = daemonSets;
    this.daemonPods = daemonPods;
  }

  /**
   * The patch a revision of the DaemonSet holds (getPatch): its template, marked to replace the
   * whole template when applied, with every object's keys sorted as Go's JSON of a map writes them.
   */
  static JsonNode patch(DaemonSet ds) {
    return ControllerRevisions.templatePatch(ds.getSpec().getTemplate());
  }

  /** Whether the revision holds the DaemonSet's current template (Match). */
  static boolean matches(DaemonSet ds, ControllerRevision revision) {
    return ControllerRevisions.equalData(revision.getData(), patch(ds));
  }

  /**
   * constructHistory: claims the DaemonSet's revisions, labels any without a hash, finds the one of
   * the current template (made if missing, duplicates merged) and gives it the highest number.
   */
  CompletionStage<Revisions> construct(DaemonSet ds) {
    return claim(ds).thenCompose(claimed -> {
      List<CompletableFuture<ControllerRevision>> labelled = new ArrayList<>();
      for (ControllerRevision r : claimed) labelled.add(withHashLabel(r).toCompletableFuture());
      return CompletableFuture.allOf(labelled.toArray(CompletableFuture[]::new))
          .thenApply(x -> labelled.stream().map(CompletableFuture::join).toList());
    }).thenCompose(all -> {
      List<ControllerRevision> current = new ArrayList<>();
      List<ControllerRevision> old = new ArrayList<>();
      for (ControllerRevision r : all) (matches(ds, r) ? current : old).add(r);
      long next = old.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0) + 1;
      CompletionStage<ControllerRevision> cur = current.isEmpty() ? snapshot(ds, next)
          : dedup(ds, current).thenCompose(keep -> {
            if (keep.getRevision() != null && keep.getRevision() >= next) return CompletableFuture.completedFuture(keep);
            ControllerRevision renumbered = ControllerRefManager.copy(keep);
            renumbered.setRevision(next);
            return context.writer().update(renumbered);
          });
      return cur.thenApply(c -> new Revisions(c, old));
    });
  }

  private CompletionStage<List<ControllerRevision>> claim(DaemonSet ds) {
    String uid = ds.getMetadata().getUid();
    List<ControllerRevision> candidates = new ArrayList<>();
    for (ControllerRevision r : revisions.list(ds.getMetadata().getNamespace())) {
      var ref = OwnerReferences.controllerOf(r);
      if (ref.isEmpty() || uid.equals(ref.get().getUid())) candidates.add(r);
    }
    return context.refs().claim(ds, DaemonPods.selector(ds), candidates, () -> {
      DaemonSet fresh = daemonSets.get(Informer.keyOf(ds));
      return fresh != null && uid.equals(fresh.getMetadata().getUid()) && !OwnerReferences.beingDeleted(fresh);
    });
  }

  /** A revision without the hash label gets its name as the hash (revisions from before the label). */
  private CompletionStage<ControllerRevision> withHashLabel(ControllerRevision r) {
    Map<String, String> labels = r.getMetadata().getLabels();
    if (labels != null && labels.containsKey(DaemonSets.REVISION_HASH_LABEL)) return CompletableFuture.completedFuture(r);
    ControllerRevision copy = ControllerRefManager.copy(r);
    Map<String, String> l = new HashMap<>(labels == null ? Map.of() : labels);
    l.put(DaemonSets.REVISION_HASH_LABEL, r.getMetadata().getName());
    copy.getMetadata().setLabels(l);
    return context.writer().update(copy);
  }

  /**
   * Several revisions with the current template (dedupCurHistories): the highest-numbered stays,
   * pods of the others are relabelled to its hash, the others are deleted.
   */
  private CompletionStage<ControllerRevision> dedup(DaemonSet ds, List<ControllerRevision> current) {
    if (current.size() == 1) return CompletableFuture.completedFuture(current.get(0));
    ControllerRevision keep = current.get(0);
    for (ControllerRevision r : current) {
      if (rev(r) >= rev(keep)) keep = r;
    }
    ControllerRevision kept = keep;
    String hash = kept.getMetadata().getLabels().get(DaemonSets.REVISION_HASH_LABEL);
    return daemonPods.claim(ds).thenCompose(pods -> {
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (Pod p : pods) {
        if (Objects.equals(PodControl.labels(p).get(DaemonSets.REVISION_HASH_LABEL), hash)) continue;
        ObjectNode patch = Json.object();
        patch.putObject("metadata").putObject("labels").put(DaemonSets.REVISION_HASH_LABEL, hash);
        writes.add(context.writer().patch(Pod.class, p.getMetadata().getNamespace(), p.getMetadata().getName(),
            "application/merge-patch+json", patch).toCompletableFuture());
      }
      return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }).thenCompose(x -> {
      List<CompletableFuture<?>> deletes = new ArrayList<>();
      for (ControllerRevision r : current) {
        if (r != kept) deletes.add(context.writer().delete(r, null).toCompletableFuture());
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }).thenApply(x -> kept);
  }

  private static long rev(ControllerRevision r) {
    return r.getRevision() == null ? 0 : r.getRevision();
  }

  /**
   * Stores a revision of the current template (snapshot). Its name taken by another template is a
   * hash collision: the DaemonSet's status.collisionCount goes up (if the count used is still the
   * stored one) and the sync fails, to be retried with the new count.
   */
  private CompletionStage<ControllerRevision> snapshot(DaemonSet ds, long revision) {
    Map<String, String> templateLabels = ds.getSpec().getTemplate().getMetadata() == null ? null
        : ds.getSpec().getTemplate().getMetadata().getLabels();
    Integer collisionCount = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
    ControllerRevision cr = ControllerRevisions.newRevision(ds, templateLabels, patch(ds), revision, collisionCount);
    Map<String, String> labels = new HashMap<>(cr.getMetadata().getLabels());
    String hash = labels.remove(ControllerRevisions.HASH_LABEL);
    labels.put(DaemonSets.REVISION_HASH_LABEL, hash);
    cr.getMetadata().setLabels(labels);
    if (ds.getMetadata().getAnnotations() != null) cr.getMetadata().setAnnotations(new HashMap<>(ds.getMetadata().getAnnotations()));
    AtomicReference<CompletionStage<?>> bump = new AtomicReference<>(CompletableFuture.completedFuture(null));
    return ControllerRevisions.create(context.writer(), cr, name -> stored(ds.getMetadata().getNamespace(), name), () -> bump.set(bumpCollisionCount(ds)))
        .handle((created, e) -> e == null ? CompletableFuture.completedFuture(created)
            : bump.get().handle((x, e2) -> null).thenCompose(x -> CompletableFuture.<ControllerRevision>failedFuture(e)))
        .thenCompose(f -> f);
  }

  /** The stored revision of that name, read from the store itself: the informer may not have it yet. */
  private ControllerRevision stored(String namespace, String name) {
    ObjectNode stored = context.fresh().get(context.informers().typeOf(ControllerRevision.class), namespace, name);
    return stored == null ? null : Json.fromTree(stored, ControllerRevision.class);
  }

  private CompletionStage<?> bumpCollisionCount(DaemonSet ds) {
    DaemonSet fresh = fresh(ds);
    if (fresh == null || !fresh.getMetadata().getUid().equals(ds.getMetadata().getUid())) return CompletableFuture.completedFuture(null);
    Integer used = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
    Integer now = fresh.getStatus() == null ? null : fresh.getStatus().getCollisionCount();
    if (!Objects.equals(used, now)) return CompletableFuture.completedFuture(null); // stale count: retry with the stored one
    if (fresh.getStatus() == null) fresh.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatus());
    fresh.getStatus().setCollisionCount(now == null ? 1 : now + 1);
    return context.writer().updateStatus(fresh);
  }

  private DaemonSet fresh(DaemonSet ds) {
    ObjectNode stored = context.fresh().get(context.informers().typeOf(DaemonSet.class), ds.getMetadata().getNamespace(),
        ds.getMetadata().getName());
    return stored == null ? null : Json.fromTree(stored, DaemonSet.class);
  }

  /**
   * cleanupHistory: old revisions beyond revisionHistoryLimit go, oldest first, except those a pod
   * (even a finished one being deleted) still carries the hash of.
   */
  CompletionStage<Void> cleanup(DaemonSet ds, List<ControllerRevision> old) {
    int keep = ds.getSpec().getRevisionHistoryLimit() == null ? 10 : ds.getSpec().getRevisionHistoryLimit();
    if (old.size() - keep <= 0) return CompletableFuture.completedFuture(null);
    return daemonPods.byNode(ds, true).thenCompose(byNode -> {
      Set<String> liveHashes = new HashSet<>();
      byNode.values().forEach(pods -> pods.forEach(p -> {
        String h = PodControl.labels(p).get(DaemonSets.REVISION_HASH_LABEL);
        if (h != null && !h.isEmpty()) liveHashes.add(h);
      }));
      int toKill = old.size() - keep;
      List<CompletableFuture<?>> deletes = new ArrayList<>();
      for (ControllerRevision r : ControllerRevisions.sorted(old)) {
        if (toKill <= 0) break;
        Map<String, String> labels = r.getMetadata().getLabels();
        if (labels != null && liveHashes.contains(labels.get(DaemonSets.REVISION_HASH_LABEL))) continue;
        deletes.add(context.writer().delete(r, null).toCompletableFuture());
        toKill--;
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    });
  }
}
