package io.kubeactor.controlplane.controller.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.history.ControllerRevisions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A StatefulSet's history (stateful_set_control.go, stateful_set_utils.go): each pod template it
 * had is a ControllerRevision {@code <set>-<hash>} whose data is the patch
 * {@code {"spec":{"template":{...,"$patch":"replace"}}}} that restores it, numbered in the order the
 * templates were in force. The current revision is what pods were made from before the update in
 * progress; the update revision is the set's template now. Going back to an earlier template
 * renumbers its revision rather than making a new one.
 */
final class StatefulSetRevisions {

  /** The current and update revisions, and the collision count their names were found with. */
  record Resolved(ControllerRevision current, ControllerRevision update, int collisionCount) {}

  /** The collision count a revision name clashes are resolved with gives up after this many. */
  private static final int MAX_COLLISIONS = 100;

  private final ApiWriter writer;
  private final Informer<ControllerRevision> revisions;

  StatefulSetRevisions(ApiWriter writer, Informer<ControllerRevision> revisions) {
    this.writer = writer;
    this.revisions = revisions;
  }

  /**
   * The patch that restores the set's template. It is read back from its bytes, so its numbers are
   * the nodes a stored revision's are and the two compare equal.
   */
  static ObjectNode patch(StatefulSet set) {
    return (ObjectNode) ControllerRevisions.templatePatch(set.getSpec().getTemplate());
  }

  /** A revision (not stored) of the set's template, with the set's annotations as upstream copies them. */
  static ControllerRevision newRevision(StatefulSet set, long revision, int collisionCount) {
    var templateMeta = set.getSpec().getTemplate().getMetadata();
    ControllerRevision cr = ControllerRevisions.newRevision(set, templateMeta == null ? null : templateMeta.getLabels(),
        patch(set), revision, collisionCount);
    if (set.getMetadata().getAnnotations() != null && !set.getMetadata().getAnnotations().isEmpty()) {
      cr.getMetadata().setAnnotations(new HashMap<>(set.getMetadata().getAnnotations()));
    }
    return cr;
  }

  /** The set as it was at the revision: a copy with the revision's template (ApplyRevision). */
  static StatefulSet apply(StatefulSet set, ControllerRevision revision) {
    StatefulSet copy = ControllerRefManager.copy(set);
    JsonNode template = Json.MAPPER.valueToTree(revision.getData()).path("spec").path("template");
    if (template.isObject()) {
      ObjectNode t = ((ObjectNode) template).deepCopy();
      t.remove("$patch");
      copy.getSpec().setTemplate(Json.fromTree(t, PodTemplateSpec.class));
    }
    return copy;
  }

  /** The revisions of the set: those its selector matches that it controls or nobody does, oldest first. */
  List<ControllerRevision> list(StatefulSet set) {
    LabelSelector selector = LabelSelector.fromJson(Json.toTree(set.getSpec().getSelector()));
    String uid = set.getMetadata().getUid();
    List<ControllerRevision> owned = new ArrayList<>();
    for (ControllerRevision r : revisions.list(set.getMetadata().getNamespace())) {
      var labels = r.getMetadata().getLabels();
      if (!selector.matches(labels == null ? java.util.Map.of() : labels)) continue;
      var ref = OwnerReferences.controllerOf(r);
      if (ref.isEmpty() || uid.equals(ref.get().getUid())) owned.add(r);
    }
    return ControllerRevisions.sorted(owned);
  }

  /** Makes the set the controller of the orphans among its revisions. */
  CompletionStage<Void> adopt(StatefulSet set, List<ControllerRevision> orphans) {
    CompletableFuture<?>[] writes = orphans.stream()
        .map(r -> writer.update(ControllerRefManager.adopt(r, set)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(writes);
  }

  /**
   * The current and update revisions (getStatefulSetRevisions): the update revision is the stored
   * revision equal to the set's template — the latest one, or an earlier one renumbered as the
   * latest (a rollback) — or a new one. The current revision is the one status names, or the update
   * revision for a new set.
   */
  CompletionStage<Resolved> resolve(StatefulSet set, List<ControllerRevision> history) {
    int collisionCount = set.getStatus() == null || set.getStatus().getCollisionCount() == null
        ? 0 : set.getStatus().getCollisionCount();
    long next = ControllerRevisions.nextRevision(history);
    ControllerRevision wanted = newRevision(set, next, collisionCount);
    List<ControllerRevision> equal = ControllerRevisions.findEqual(history, wanted);
    CompletionStage<Resolved> update;
    if (!equal.isEmpty() && ControllerRevisions.equal(history.get(history.size() - 1), equal.get(equal.size() - 1))) {
      update = CompletableFuture.completedFuture(new Resolved(null, history.get(history.size() - 1), collisionCount));
    } else if (!equal.isEmpty()) {
      ControllerRevision earlier = equal.get(equal.size() - 1);
      update = renumber(earlier, next).thenApply(r -> new Resolved(null, r, collisionCount));
    } else {
      update = create(set, next, collisionCount);
    }
    String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
    return update.thenApply(r -> {
      ControllerRevision current = history.stream()
          .filter(h -> h.getMetadata().getName().equals(currentName)).findFirst().orElse(r.update());
      return new Resolved(current, r.update(), r.collisionCount());
    });
  }

  private CompletionStage<ControllerRevision> renumber(ControllerRevision revision, long number) {
    if (revision.getRevision() != null && revision.getRevision() == number) return CompletableFuture.completedFuture(revision);
    ControllerRevision copy = ControllerRefManager.copy(revision);
    copy.setRevision(number);
    return writer.update(copy);
  }

  /** Stores a new revision; a name taken by other data (a hash collision) is retried with the next count. */
  private CompletionStage<Resolved> create(StatefulSet set, long number, int collisionCount) {
    ControllerRevision revision = newRevision(set, number, collisionCount);
    boolean[] collided = new boolean[1];
    String ns = set.getMetadata().getNamespace();
    return ControllerRevisions.create(writer, revision, name -> revisions.get(ns, name), () -> collided[0] = true)
        .thenApply(created -> new Resolved(null, created, collisionCount))
        .exceptionallyCompose(e -> {
          if (!collided[0] || collisionCount >= MAX_COLLISIONS) {
            return CompletableFuture.failedFuture(io.kubeactor.controlplane.api.ApiException.unwrap(e));
          }
          return create(set, number, collisionCount + 1);
        });
  }

  /**
   * Deletes the oldest revisions beyond revisionHistoryLimit, never one in use: the current and
   * update revisions and those of existing pods are live (truncateHistory).
   */
  CompletionStage<Void> truncate(StatefulSet set, List<Pod> pods, List<ControllerRevision> history,
      ControllerRevision current, ControllerRevision update) {
    Set<String> live = new HashSet<>();
    if (current != null) live.add(current.getMetadata().getName());
    if (update != null) live.add(update.getMetadata().getName());
    for (Pod p : pods) live.add(StatefulPods.revisionOf(p));
    List<ControllerRevision> old = history.stream().filter(r -> !live.contains(r.getMetadata().getName())).toList();
    Integer limitValue = set.getSpec().getRevisionHistoryLimit();
    int limit = limitValue == null ? 10 : limitValue;
    if (limit < 0 || old.size() <= limit) return CompletableFuture.completedFuture(null);
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (ControllerRevision r : old.subList(0, old.size() - limit)) {
      chain = chain.thenCompose(x -> writer.delete(r, null).exceptionally(e -> {
        if (notFound(e)) return null;
        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
      }));
    }
    return chain;
  }

  static boolean notFound(Throwable e) {
    return io.kubeactor.controlplane.api.ApiException.hasCode(e, 404);
  }
}
