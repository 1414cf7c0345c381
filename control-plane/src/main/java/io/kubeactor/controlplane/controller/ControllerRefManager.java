package io.kubeactor.controlplane.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.ApiWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Kubernetes' ControllerRefManager: an owner claims the objects it should control. Those it
 * controls that still match its selector are kept, those that no longer match are released (their
 * controller reference removed), and orphans that match are adopted, unless the owner is being
 * deleted. Adoption and release are patches of the object's owner references (as upstream's, which
 * the controllers' roles allow, where they may not update), with its resourceVersion as precondition.
 */
public final class ControllerRefManager {

  private final ApiWriter writer;

  public ControllerRefManager(ApiWriter writer) {
    this.writer = writer;
  }

  /**
   * The candidates the owner controls once the claim is done.
   *
   * @param canAdopt re-checks that the owner still exists, is the same object and is not being
   *     deleted (upstream's RecheckDeletionTimestamp), asked once before the first adoption
   */
  public <T extends HasMetadata> CompletionStage<List<T>> claim(HasMetadata owner, LabelSelector selector,
      List<T> candidates, BooleanSupplier canAdopt) {
    String uid = owner.getMetadata().getUid();
    List<T> claimed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> writes = new ArrayList<>();
    Boolean adoptable = null;
    for (T o : candidates) {
      var ref = OwnerReferences.controllerOf(o);
      boolean matches = selector.matches(labels(o));
      if (ref.isPresent()) {
        if (!uid.equals(ref.get().getUid())) continue;
        if (matches) {
          claimed.add(o);
        } else if (!OwnerReferences.beingDeleted(o) && !OwnerReferences.beingDeleted(owner)) {
          writes.add(patchOwners(release(o, uid)).toCompletableFuture());
        }
        continue;
      }
      if (!matches || OwnerReferences.beingDeleted(o) || OwnerReferences.beingDeleted(owner)) continue;
      if (adoptable == null) adoptable = canAdopt.getAsBoolean();
      if (!adoptable) continue;
      writes.add(patchOwners(adopt(o, owner)).thenAccept(claimed::add).toCompletableFuture());
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(x -> {
      synchronized (claimed) {
        return List.copyOf(claimed);
      }
    });
  }

  /** A merge patch that sets the object's owner references to the changed copy's. */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> CompletionStage<T> patchOwners(T changed) {
    ObjectNode patch = Json.object();
    ObjectNode meta = patch.putObject("metadata");
    meta.put("resourceVersion", changed.getMetadata().getResourceVersion());
    List<OwnerReference> refs = changed.getMetadata().getOwnerReferences();
    if (refs == null) meta.putNull("ownerReferences");
    else meta.set("ownerReferences", Json.MAPPER.valueToTree(refs));
    return writer.patch((Class<T>) changed.getClass(), changed.getMetadata().getNamespace(), changed.getMetadata().getName(),
        "application/merge-patch+json", patch);
  }

  private static Map<String, String> labels(HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  /** A copy of the object with the owner as its controller. */
  public static <T extends HasMetadata> T adopt(T o, HasMetadata owner) {
    T copy = copy(o);
    List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences() == null
        ? List.of() : copy.getMetadata().getOwnerReferences());
    refs.removeIf(r -> owner.getMetadata().getUid().equals(r.getUid()));
    refs.add(OwnerReferences.controllerRef(owner));
    copy.getMetadata().setOwnerReferences(refs);
    return copy;
  }

  /** A copy of the object without the owner's reference. */
  public static <T extends HasMetadata> T release(T o, String ownerUid) {
    T copy = copy(o);
    List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
    refs.removeIf(r -> ownerUid.equals(r.getUid()));
    copy.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
    return copy;
  }

  /** A deep copy: cached objects are shared and never modified in place. */
  @SuppressWarnings("unchecked")
  public static <T extends HasMetadata> T copy(T o) {
    return (T) Json.fromTree(Json.toTree(o), o.getClass());
  }
}
