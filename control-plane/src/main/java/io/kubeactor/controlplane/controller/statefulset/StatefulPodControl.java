package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The StatefulSet controller's writes of pods and claims (stateful_pod_control.go): a pod's claims
 * are created before the pod, a pod that lost its identity or storage is mended, claims carry the
 * owner references the retention policy asks for. Each write is recorded as an event on the set, in
 * upstream's words ("create Pod web-0 in StatefulSet web successful").
 */
final class StatefulPodControl {

  static final String COMPONENT = "statefulset-controller";

  private final ControllerContext context;
  private final Informer<PersistentVolumeClaim> claims;

  StatefulPodControl(ControllerContext context, Informer<PersistentVolumeClaim> claims) {
    this.context = context;
    this.claims = claims;
  }

  /** Creates the pod's missing claims, then the pod, then sets the claims' retention references. */
  CompletionStage<Void> createPod(StatefulSet set, Pod pod) {
    return createClaims(set, pod)
        .whenComplete((x, e) -> {
          if (e != null) recordPodEvent("create", set, pod, e);
        })
        .thenCompose(x -> context.writer().create(pod).handle((created, e) -> {
          if (e != null) {
            // a pod of that name exists already: the cache will show it; no event, as upstream
            if (!alreadyExists(e)) recordPodEvent("create", set, pod, e);
            return CompletableFuture.<Void>failedFuture(cause(e));
          }
          return updateClaimsForRetention(set, created)
              .whenComplete((y, f) -> recordPodEvent(f == null ? "create" : "update", set, pod, f));
        }).thenCompose(f -> f));
  }

  /**
   * Mends a pod whose identity labels, claim volumes or claims' references differ from what the set
   * asks (UpdateStatefulPod). A conflict fails the stage; the reconcile is retried from fresh state.
   */
  CompletionStage<Void> updatePod(StatefulSet set, Pod current) {
    Pod pod = ControllerRefManager.copy(current);
    boolean consistent = true;
    if (!StatefulIdentity.identityMatches(set, pod)) {
      StatefulIdentity.updateIdentity(set, pod);
      consistent = false;
    }
    CompletionStage<Void> before = CompletableFuture.completedFuture(null);
    if (!StatefulIdentity.storageMatches(set, pod)) {
      StatefulIdentity.updateStorage(set, pod);
      consistent = false;
      before = createClaims(set, pod);
    }
    if (!claimsMatchRetention(set, pod)) {
      consistent = false;
      before = before.thenCompose(x -> updateClaimsForRetention(set, pod));
    }
    if (consistent) return CompletableFuture.completedFuture(null);
    return before
        .whenComplete((x, e) -> {
          if (e != null) recordPodEvent("update", set, pod, e);
        })
        .thenCompose(x -> context.writer().update(pod)
            .whenComplete((updated, e) -> recordPodEvent("update", set, pod, e))
            .thenApply(updated -> (Void) null));
  }

  /** Deletes the pod (if it is still that pod). */
  CompletionStage<Void> deletePod(StatefulSet set, Pod pod) {
    return context.writer().delete(pod, null).whenComplete((x, e) -> recordPodEvent("delete", set, pod, e));
  }

  /** Whether each existing claim of the pod has the references the retention policy asks. */
  boolean claimsMatchRetention(StatefulSet set, Pod pod) {
    int ordinal = StatefulIdentity.ordinalOf(pod);
    for (PersistentVolumeClaim template : StatefulIdentity.templates(set)) {
      PersistentVolumeClaim claim = claims.get(set.getMetadata().getNamespace(), StatefulIdentity.claimName(set, template, ordinal));
      if (claim != null && !ClaimRetention.upToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** Rewrites the references of the pod's claims that differ from the retention policy. */
  CompletionStage<Void> updateClaimsForRetention(StatefulSet set, Pod pod) {
    int ordinal = StatefulIdentity.ordinalOf(pod);
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (PersistentVolumeClaim template : StatefulIdentity.templates(set)) {
      String name = StatefulIdentity.claimName(set, template, ordinal);
      PersistentVolumeClaim claim = claims.get(set.getMetadata().getNamespace(), name);
      if (claim == null) continue; // made later, mended then
      if (ClaimRetention.hasUnexpectedController(claim, set, pod)) {
        event(set, "Warning", "ConflictingController", "PersistentVolumeClaim " + name
            + " has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim");
      }
      if (ClaimRetention.upToDate(claim, set, pod)) continue;
      PersistentVolumeClaim copy = ControllerRefManager.copy(claim);
      ClaimRetention.update(copy, set, pod);
      writes.add(context.writer().update(copy).handle((u, e) -> {
        if (e != null) throw new CompletionException(new IllegalStateException(
            "could not update claim " + name + " for delete policy ownerRefs: " + message(e), cause(e)));
        return u;
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /**
   * A claim of the pod still belongs to an earlier pod of its name (scaled down with whenScaled
   * Delete, and not yet collected): the pod must wait for it to go (PodClaimIsStale).
   */
  boolean claimIsStale(StatefulSet set, Pod pod) {
    if (ClaimRetention.RETAIN.equals(ClaimRetention.policy(set).whenScaled())) return false;
    for (PersistentVolumeClaim claim : StatefulIdentity.claimsFor(set, pod).values()) {
      PersistentVolumeClaim existing = claims.get(claim.getMetadata().getNamespace(), claim.getMetadata().getName());
      if (existing != null && ClaimRetention.hasStalePodRef(existing, pod)) return true;
    }
    return false;
  }

  /** The pod's claims, then their retention references (createMissingPersistentVolumeClaims). */
  CompletionStage<Void> createMissingClaims(StatefulSet set, Pod pod) {
    return createClaims(set, pod).thenCompose(x -> updateClaimsForRetention(set, pod)
        .whenComplete((y, e) -> {
          if (e != null) recordPodEvent("update", set, pod, e);
        }));
  }

  /**
   * Creates the pod's claims that do not exist. Fails, after trying each, if any could not be made
   * or one is being deleted (the pod must not start on a claim that is going away).
   */
  CompletionStage<Void> createClaims(StatefulSet set, Pod pod) {
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (PersistentVolumeClaim claim : StatefulIdentity.claimsFor(set, pod).values()) {
      String name = claim.getMetadata().getName();
      PersistentVolumeClaim existing = claims.get(claim.getMetadata().getNamespace(), name);
      if (existing == null) {
        writes.add(context.writer().create(claim).handle((created, e) -> {
          if (e != null) errors.add("failed to create PVC " + name + ": " + message(e));
          if (e == null || !alreadyExists(e)) recordClaimEvent("create", set, pod, claim, e);
          return null;
        }).toCompletableFuture());
      } else if (existing.getMetadata().getDeletionTimestamp() != null) {
        errors.add("pvc " + name + " is being deleted");
      }
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenCompose(x -> {
      if (errors.isEmpty()) return CompletableFuture.<Void>completedFuture(null);
      return CompletableFuture.failedFuture(new IllegalStateException(aggregate(errors)));
    });
  }

  /** utilerrors.NewAggregate's wording: one message alone, several in brackets. */
  static String aggregate(List<String> messages) {
    return messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
  }

  private void recordPodEvent(String verb, StatefulSet set, Pod pod, Throwable error) {
    String name = pod.getMetadata().getName();
    String setName = set.getMetadata().getName();
    if (error == null) {
      event(set, "Normal", "Successful" + title(verb), verb + " Pod " + name + " in StatefulSet " + setName + " successful");
    } else {
      event(set, "Warning", "Failed" + title(verb),
          verb + " Pod " + name + " in StatefulSet " + setName + " failed error: " + message(error));
    }
  }

  private void recordClaimEvent(String verb, StatefulSet set, Pod pod, PersistentVolumeClaim claim, Throwable error) {
    String claimName = claim.getMetadata().getName();
    String name = pod.getMetadata().getName();
    String setName = set.getMetadata().getName();
    if (error == null) {
      event(set, "Normal", "Successful" + title(verb),
          verb + " Claim " + claimName + " Pod " + name + " in StatefulSet " + setName + " success");
    } else {
      event(set, "Warning", "Failed" + title(verb),
          verb + " Claim " + claimName + " for Pod " + name + " in StatefulSet " + setName + " failed error: " + message(error));
    }
  }

  void event(StatefulSet set, String type, String reason, String message) {
    context.events().record(Json.toTree(set), type, reason, message, COMPONENT, null);
  }

  private static String title(String verb) {
    return Character.toUpperCase(verb.charAt(0)) + verb.substring(1);
  }

  static Throwable cause(Throwable e) {
    Throwable c = e;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }

  static String message(Throwable e) {
    return cause(e).getMessage();
  }

  static boolean alreadyExists(Throwable e) {
    return cause(e) instanceof ApiException api && "AlreadyExists".equals(api.reason);
  }

  static boolean notFound(Throwable e) {
    return cause(e) instanceof ApiException api && api.code == 404;
  }
}
