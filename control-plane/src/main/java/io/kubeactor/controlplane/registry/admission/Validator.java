package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.Syntax;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The field errors Kubernetes v1.32 finds in an object about to be stored, worded as it words them
 * (pkg/apis/core/validation, pkg/apis/apps/validation, pkg/apis/networking/validation,
 * pkg/apis/policy/validation, pkg/apis/storage/validation, pkg/apis/coordination/validation,
 * apimachinery's objectmeta.go). Here are the rules of the kinds without a class of their own
 * (Namespace, PersistentVolumeClaim, Node, HorizontalPodAutoscaler, Lease); the others are in
 * {@link MetadataValidation}, {@link PodSpecValidation}, {@link WorkloadValidation}, {@link
 * ServiceValidation} and their siblings. Each kind's strategy (registry/strategy) runs its rules on
 * the defaulted object, and the registry answers errors with a 422 Invalid.
 *
 * <p>Not yet checked, where upstream checks more: a pod's security contexts, dnsConfig details,
 * imagePullSecrets, scheduling gates, overhead, os, resource claims and most volume sources'
 * details; a StatefulSet's volumeClaimTemplates; a PVC's dataSource(Ref) and limits; a
 * PersistentVolume's claimRef, mountOptions, a local volume's nodeAffinity and update rules; an
 * HPA's metrics and behavior; a Namespace's finalizers; a Node's taints and update rules; the
 * status of Ingresses and PDBs.
 */
public final class Validator {
  private Validator() {}

  private static final FieldPath SPEC = FieldPath.root("spec");

  /** A Node's taints and its deprecated configSource. */
  public static void node(JsonNode node, FieldErrors errors) {
    nodeTaints(node.path("spec"), errors);
    nodeConfigSource(node.path("spec"), errors);
  }

  /**
   * validateNodeConfigSourceSpec: the deprecated spec.configSource, when set, names exactly one
   * ConfigMap by namespace, name and kubeletConfigKey, without uid or resourceVersion.
   */
  private static void nodeConfigSource(JsonNode spec, FieldErrors errors) {
    JsonNode source = spec.get("configSource");
    if (Nodes.absent(source)) return;
    FieldPath path = SPEC.child("configSource");
    JsonNode configMap = source.get("configMap");
    if (Nodes.absent(configMap)) {
      errors.invalid(path, new GoValue.Literal("core.NodeConfigSource{ConfigMap:(*core.ConfigMapNodeConfigSource)(nil)}"),
          "exactly one reference subfield must be non-nil");
      return;
    }
    FieldPath cm = path.child("configMap");
    if (!Nodes.text(configMap, "uid").isEmpty()) errors.forbidden(cm.child("uid"), "uid must not be set in spec");
    if (!Nodes.text(configMap, "resourceVersion").isEmpty()) {
      errors.forbidden(cm.child("resourceVersion"), "resourceVersion must not be set in spec");
    }
    if (Nodes.text(configMap, "namespace").isEmpty()) errors.required(cm.child("namespace"), "namespace must be set");
    if (Nodes.text(configMap, "name").isEmpty()) errors.required(cm.child("name"), "name must be set");
    if (Nodes.text(configMap, "kubeletConfigKey").isEmpty()) {
      errors.required(cm.child("kubeletConfigKey"), "kubeletConfigKey must be set");
    }
  }

  /** A new Namespace's spec.finalizers. */
  public static void namespace(JsonNode namespace, FieldErrors errors) {
    FieldPath path = SPEC.child("finalizers");
    for (String finalizer : MetadataValidation.strings(namespace.path("spec").get("finalizers"))) {
      errors.invalidEach(path, finalizer, Syntax.qualifiedName(finalizer));
      MetadataValidation.standardFinalizer(finalizer, path, errors);
    }
  }

  public static void persistentVolumeClaim(JsonNode claim, FieldErrors errors) {
    JsonNode spec = claim.path("spec");
    List<String> supported = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    List<String> modes = MetadataValidation.strings(spec.get("accessModes"));
    if (modes.isEmpty()) errors.required(SPEC.child("accessModes"), "at least 1 access mode is required");
    LabelSelectors.validate(spec.get("selector"), SPEC.child("selector"), errors);
    for (String mode : modes) {
      if (!supported.contains(mode)) errors.notSupported(SPEC.child("accessModes"), mode, supported);
    }
    if (modes.contains("ReadWriteOncePod") && modes.stream().anyMatch(m -> supported.contains(m) && !m.equals("ReadWriteOncePod"))) {
      errors.forbidden(SPEC.child("accessModes"), "may not use ReadWriteOncePod with other access modes");
    }
    FieldPath storagePath = SPEC.child("resources").key("storage");
    String storage = text(spec.path("resources").path("requests"), "storage");
    Optional<BigDecimal> value = Quantities.value(storage);
    if (!Nodes.has(spec.path("resources").path("requests"), "storage")) {
      errors.required(storagePath, "");
    } else if (value.isPresent() && value.get().signum() <= 0) {
      errors.invalid(storagePath, Quantities.canonical(storage), "must be greater than zero");
    }
    String storageClass = text(spec, "storageClassName");
    if (!storageClass.isEmpty()) {
      errors.invalidEach(SPEC.child("storageClassName"), storageClass, Syntax.dns1123Subdomain(storageClass));
    }
    String volumeMode = text(spec, "volumeMode");
    if (Nodes.has(spec, "volumeMode") && !volumeMode.equals("Block") && !volumeMode.equals("Filesystem")) {
      errors.notSupported(SPEC.child("volumeMode"), volumeMode, List.of("Block", "Filesystem"));
    }
  }

  // A claim's spec is fixed once created, but for binding it to a volume and growing a bound claim.
  public static void persistentVolumeClaimUpdate(JsonNode claim, JsonNode old, FieldErrors errors) {
    ObjectNode now = claim.path("spec").deepCopy();
    ObjectNode before = old.path("spec").deepCopy();
    if (text(before, "volumeName").isEmpty()) {
      now.remove("volumeName");
      before.remove("volumeName");
    }
    if (text(claim.path("status"), "phase").equals("Bound")) {
      Nodes.object(Nodes.object(now, "resources"), "requests").remove("storage");
      Nodes.object(Nodes.object(before, "resources"), "requests").remove("storage");
    }
    if (!JsonDiff.same(now, before)) {
      errors.forbidden(SPEC, "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n"
          + JsonDiff.describe(old.path("spec"), claim.path("spec")));
    }
    Optional<BigDecimal> newSize = Quantities.value(text(claim.path("spec").path("resources").path("requests"), "storage"));
    Optional<BigDecimal> oldSize = Quantities.value(text(old.path("spec").path("resources").path("requests"), "storage"));
    if (newSize.isPresent() && oldSize.isPresent() && newSize.get().compareTo(oldSize.get()) < 0) {
      errors.forbidden(SPEC.child("resources").child("requests").child("storage"), "field can not be less than previous value");
    }
  }

  // Kubernetes reports taint errors under metadata.taints, although taints live in the spec.
  private static void nodeTaints(JsonNode spec, FieldErrors errors) {
    FieldPath path = FieldPath.root("metadata").child("taints");
    List<String> effects = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    Set<String> seen = new HashSet<>();
    List<ObjectNode> taints = Nodes.objects(spec, "taints");
    for (int i = 0; i < taints.size(); i++) {
      JsonNode taint = taints.get(i);
      FieldPath idx = path.index(i);
      String key = text(taint, "key");
      String value = text(taint, "value");
      String effect = text(taint, "effect");
      errors.invalidEach(idx.child("key"), key, Syntax.qualifiedName(key));
      List<String> valueErrors = Syntax.labelValue(value);
      if (!valueErrors.isEmpty()) errors.invalid(idx.child("value"), value, String.join(";", valueErrors));
      if (effect.isEmpty()) errors.required(idx.child("effect"), "");
      else if (!effects.contains(effect)) errors.notSupported(idx.child("effect"), effect, effects);
      if (!seen.add(effect + "\u0000" + key)) {
        errors.duplicate(idx, new GoValue.Literal("core.Taint{Key:" + GoValue.quote(key) + ", Value:" + GoValue.quote(value)
            + ", Effect:" + GoValue.quote(effect) + ", TimeAdded:(*v1.Time)(nil)}"), "taints must be unique by key and effect pair");
      }
    }
  }

  /** What a Node's update may not change: its podCIDRs and providerID, once set. */
  public static void nodeUpdate(JsonNode node, JsonNode old, FieldErrors errors) {
    JsonNode spec = node.path("spec");
    JsonNode oldSpec = old.path("spec");
    List<String> oldCidrs = MetadataValidation.strings(oldSpec.get("podCIDRs"));
    if (!oldCidrs.isEmpty() && !oldCidrs.equals(MetadataValidation.strings(spec.get("podCIDRs")))) {
      errors.forbidden(SPEC.child("podCIDRs"), "node updates may not change podCIDR except from \"\" to valid");
    }
    String oldProvider = text(oldSpec, "providerID");
    if (!oldProvider.isEmpty() && !oldProvider.equals(text(spec, "providerID"))) {
      errors.forbidden(SPEC.child("providerID"), "node updates may not change providerID except from \"\" to valid");
    }
  }

  /** ValidateLeaseSpec (coordination/validation). */
  public static void lease(JsonNode lease, FieldErrors errors) {
    JsonNode spec = lease.path("spec");
    if (Nodes.has(spec, "leaseDurationSeconds") && Nodes.number(spec, "leaseDurationSeconds") <= 0) {
      errors.invalid(SPEC.child("leaseDurationSeconds"), Nodes.number(spec, "leaseDurationSeconds"), "must be greater than 0");
    }
    if (Nodes.has(spec, "leaseTransitions") && Nodes.number(spec, "leaseTransitions") < 0) {
      errors.invalid(SPEC.child("leaseTransitions"), Nodes.number(spec, "leaseTransitions"), Syntax.IS_NEGATIVE);
    }
  }

  public static void horizontalPodAutoscaler(JsonNode hpa, FieldErrors errors) {
    JsonNode spec = hpa.path("spec");
    long max = Nodes.number(spec, "maxReplicas");
    if (Nodes.has(spec, "minReplicas") && Nodes.number(spec, "minReplicas") < 1) {
      errors.invalid(SPEC.child("minReplicas"), Nodes.number(spec, "minReplicas"), "must be greater than or equal to 1");
    }
    if (max < 1) errors.invalid(SPEC.child("maxReplicas"), max, "must be greater than 0");
    if (Nodes.has(spec, "minReplicas") && max < Nodes.number(spec, "minReplicas")) {
      errors.invalid(SPEC.child("maxReplicas"), max, "must be greater than or equal to `minReplicas`");
    }
    JsonNode ref = spec.path("scaleTargetRef");
    for (String field : List.of("kind", "name")) {
      if (text(ref, field).isEmpty()) errors.required(SPEC.child("scaleTargetRef").child(field), "");
    }
  }
}
