package io.kubeactor.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kubeactor.controlplane.client.Informer;
import java.util.List;
import java.util.Optional;

/** metav1's controller-reference helpers: who controls an object, and the reference to set. */
public final class OwnerReferences {
  private OwnerReferences() {}

  /** The reference a controller puts on what it creates: controller and blockOwnerDeletion true. */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The owner reference marked controller, if any. */
  public static Optional<OwnerReference> controllerOf(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    if (refs == null) return Optional.empty();
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  /** Whether the object's controller is the owner with this uid. */
  public static boolean isControlledBy(HasMetadata o, String ownerUid) {
    return controllerOf(o).map(r -> ownerUid.equals(r.getUid())).orElse(false);
  }

  /** The key ("namespace/name") of the object's controller when it is of the kind, else empty. */
  public static Optional<String> controllerKey(HasMetadata o, String kind) {
    return controllerOf(o).filter(r -> kind.equals(r.getKind()))
        .map(r -> Informer.key(o.getMetadata().getNamespace(), r.getName()));
  }

  public static boolean beingDeleted(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }
}
