package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
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
 * apimachinery's objectmeta.go). Run it on the
 * defaulted object; the server turns a non-empty list into {@link ApiException#invalid}.
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

  /** Field errors of an object (oldObject null on create); empty if valid. */
  public static List<ApiException.Cause> validate(ResourceType type, ObjectNode object, ObjectNode oldObject) {
    FieldErrors errors = new FieldErrors();
    boolean create = oldObject == null;
    JsonNode meta = object.path("metadata");
    if (create) MetadataValidation.create(meta, type.namespaced(), nameRule(type), errors);
    else MetadataValidation.update(meta, oldObject.path("metadata"), errors);

    switch (type.qualifiedKind()) {
      case "Pod" -> {
        if (create) PodSpecValidation.podCreate(object, errors);
        else PodSpecValidation.podUpdate(object, oldObject, errors);
      }
      case "Deployment.apps" -> WorkloadValidation.deployment(object, errors);
      case "ReplicaSet.apps" -> WorkloadValidation.replicaSet(object, errors);
      case "DaemonSet.apps" -> WorkloadValidation.daemonSet(object, errors);
      case "StatefulSet.apps" -> {
        WorkloadValidation.statefulSet(object, errors);
        if (!create) WorkloadValidation.statefulSetUpdate(object, oldObject, errors);
      }
      case "Service" -> {
        if (!create) ServiceValidation.serviceUpdate(object, oldObject, errors);
        ServiceValidation.service(object, errors);
      }
      case "Endpoints" -> EndpointsValidation.endpoints(object, errors);
      case "EndpointSlice.discovery.k8s.io" -> EndpointsValidation.endpointSlice(object, oldObject, errors);
      case "ConfigMap" -> {
        if (!create) ConfigValidation.configMapUpdate(object, oldObject, errors);
        ConfigValidation.configMap(object, errors);
      }
      case "Secret" -> {
        if (!create) ConfigValidation.secretUpdate(object, oldObject, errors);
        ConfigValidation.secret(object, errors);
      }
      case "Namespace" -> {
        if (create) namespaceFinalizers(object, errors);
      }
      case "PersistentVolumeClaim" -> {
        persistentVolumeClaim(object.path("spec"), errors);
        if (!create) persistentVolumeClaimUpdate(object, oldObject, errors);
      }
      case "Node" -> {
        nodeTaints(object.path("spec"), errors);
        nodeConfigSource(object.path("spec"), errors);
        if (!create) nodeUpdate(object.path("spec"), oldObject.path("spec"), errors);
      }
      case "HorizontalPodAutoscaler.autoscaling" -> horizontalPodAutoscaler(object.path("spec"), errors);
      case "Ingress.networking.k8s.io" -> NetworkingValidation.ingress(object, oldObject, errors);
      case "IngressClass.networking.k8s.io" -> NetworkingValidation.ingressClass(object, oldObject, errors);
      case "PodDisruptionBudget.policy" -> PolicyValidation.podDisruptionBudget(object, errors);
      case "StorageClass.storage.k8s.io" -> StorageValidation.storageClass(object, oldObject, errors);
      case "PersistentVolume" -> StorageValidation.persistentVolume(object, errors);
      case "Lease.coordination.k8s.io" -> lease(object.path("spec"), errors);
      default -> { }
    }
    // apps/v1 update strategies freeze the selector; a StatefulSet's is covered by its spec rule.
    if (!create && List.of("Deployment.apps", "ReplicaSet.apps", "DaemonSet.apps").contains(type.qualifiedKind())) {
      WorkloadValidation.selectorUnchanged(object, oldObject, errors);
    }
    // Stricter than kube-apiserver, which leaves a template's owner references unchecked: an empty one
    // is stored there and then breaks the clients that read it (the Python client refuses to list it).
    JsonNode templateMeta = object.path("spec").path("template").path("metadata");
    if (templateMeta.has("ownerReferences")) {
      MetadataValidation.ownerReferences(templateMeta, SPEC.child("template").child("metadata"), errors);
    }
    return errors.causes();
  }

  /**
   * Field errors of a status update (the status strategies' ValidateUpdate); empty if valid, and
   * for kinds whose status Kubernetes does not check beyond its metadata.
   */
  public static List<ApiException.Cause> validateStatusUpdate(ResourceType type, ObjectNode object, ObjectNode oldObject) {
    FieldErrors errors = new FieldErrors();
    if (type.qualifiedKind().equals("Service")) {
      MetadataValidation.update(object.path("metadata"), oldObject.path("metadata"), errors);
      ServiceValidation.status(object, errors);
    }
    return errors.causes();
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

  /** The ValidateNameFunc each kind uses for metadata.name. */
  private static Syntax.NameRule nameRule(ResourceType type) {
    return switch (type.qualifiedKind()) {
      case "Namespace", "StatefulSet.apps" -> Syntax.NameRule.DNS1123_LABEL;
      case "Service" -> Syntax.NameRule.DNS1035_LABEL;
      default -> Syntax.NameRule.DNS1123_SUBDOMAIN;
    };
  }

  private static void namespaceFinalizers(JsonNode namespace, FieldErrors errors) {
    FieldPath path = SPEC.child("finalizers");
    for (String finalizer : MetadataValidation.strings(namespace.path("spec").get("finalizers"))) {
      errors.invalidEach(path, finalizer, Syntax.qualifiedName(finalizer));
      MetadataValidation.standardFinalizer(finalizer, path, errors);
    }
  }

  private static void persistentVolumeClaim(JsonNode spec, FieldErrors errors) {
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
  private static void persistentVolumeClaimUpdate(JsonNode claim, JsonNode old, FieldErrors errors) {
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

  private static void nodeUpdate(JsonNode spec, JsonNode oldSpec, FieldErrors errors) {
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
  private static void lease(JsonNode spec, FieldErrors errors) {
    if (Nodes.has(spec, "leaseDurationSeconds") && Nodes.number(spec, "leaseDurationSeconds") <= 0) {
      errors.invalid(SPEC.child("leaseDurationSeconds"), Nodes.number(spec, "leaseDurationSeconds"), "must be greater than 0");
    }
    if (Nodes.has(spec, "leaseTransitions") && Nodes.number(spec, "leaseTransitions") < 0) {
      errors.invalid(SPEC.child("leaseTransitions"), Nodes.number(spec, "leaseTransitions"), Syntax.IS_NEGATIVE);
    }
  }

  private static void horizontalPodAutoscaler(JsonNode spec, FieldErrors errors) {
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
