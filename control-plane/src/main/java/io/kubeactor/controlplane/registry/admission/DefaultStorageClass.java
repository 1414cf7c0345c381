package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The DefaultStorageClass admission plugin (plugin/pkg/admission/storage/storageclass/setdefault):
 * a PersistentVolumeClaim created without a class gets the cluster's default one. A claim that
 * names a class, even "" (no class: only static volumes without one), or that carries the beta
 * class annotation keeps what it asked for. With several default classes the newest wins, then
 * the first by name (GetDefaultClass).
 */
public final class DefaultStorageClass {
  private DefaultStorageClass() {}

  public static final String IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_IS_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
  /** The beta annotation that, when present, names a claim's class instead of spec.storageClassName. */
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

  /** Sets the default class on a claim being created that asks for none; storageClasses as stored. */
  public static void admit(ObjectNode claim, Collection<? extends JsonNode> storageClasses) {
    if (claim.path("spec").has("storageClassName") && !claim.path("spec").get("storageClassName").isNull()) return;
    if (claim.path("metadata").path("annotations").has(BETA_STORAGE_CLASS)) return;
    defaultClass(storageClasses).ifPresent(name -> Nodes.object(claim, "spec").put("storageClassName", name));
  }

  /** The name of the default class, if any class is marked as the default. */
  public static Optional<String> defaultClass(Collection<? extends JsonNode> storageClasses) {
    return DefaultClasses.newest(storageClasses, DefaultStorageClass::isDefault);
  }

  public static boolean isDefault(JsonNode storageClass) {
    JsonNode annotations = storageClass.path("metadata").path("annotations");
    return List.of(IS_DEFAULT_CLASS, BETA_IS_DEFAULT_CLASS).stream()
        .anyMatch(a -> annotations.path(a).asText("").equals("true"));
  }
}
