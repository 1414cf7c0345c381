package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.Syntax;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * StorageClasses (pkg/apis/storage/validation: ValidateStorageClass, ValidateStorageClassUpdate)
 * and PersistentVolumes (the spec rules of ValidatePersistentVolume that do not depend on a volume
 * plugin) as Kubernetes v1.32 checks them.
 */
public final class StorageValidation {
  private StorageValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final int MAX_PARAMETERS = 512;
  private static final int MAX_PARAMETERS_SIZE = 256 * 1024;
  private static final List<String> CLASS_RECLAIM_POLICIES = List.of("Delete", "Retain");
  private static final List<String> VOLUME_RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");
  private static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");
  private static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  /** The persistent volume sources, in the order Kubernetes counts them. */
  private static final List<String> VOLUME_SOURCES = List.of("gcePersistentDisk", "awsElasticBlockStore", "hostPath",
      "glusterfs", "flexVolume", "nfs", "rbd", "quobyte", "cinder", "cephfs", "iscsi", "fc", "flocker", "azureFile",
      "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi");

  /** ValidateStorageClass, and on update the fields that may not change. */
  public static void storageClass(JsonNode storageClass, JsonNode old, FieldErrors errors) {
    if (old != null) {
      if (!JsonDiff.same(emptyAsAbsent(storageClass.get("parameters")), emptyAsAbsent(old.get("parameters")))) {
        errors.forbidden(FieldPath.root("parameters"), "updates to parameters are forbidden.");
      }
      if (!text(storageClass, "provisioner").equals(text(old, "provisioner"))) {
        errors.forbidden(FieldPath.root("provisioner"), "updates to provisioner are forbidden.");
      }
      if (!text(storageClass, "reclaimPolicy").equals(text(old, "reclaimPolicy"))) {
        errors.forbidden(FieldPath.root("reclaimPolicy"), "updates to reclaimPolicy are forbidden.");
      }
      if (!text(storageClass, "volumeBindingMode").equals(text(old, "volumeBindingMode"))) {
        errors.invalid(FieldPath.root("volumeBindingMode"), text(storageClass, "volumeBindingMode"), Syntax.FIELD_IMMUTABLE);
      }
    }
    String provisioner = text(storageClass, "provisioner");
    FieldPath provisionerPath = FieldPath.root("provisioner");
    if (provisioner.isEmpty()) errors.required(provisionerPath, "");
    else errors.invalidEach(provisionerPath, provisioner.toLowerCase(), Syntax.qualifiedName(provisioner.toLowerCase()));
    parameters(storageClass.get("parameters"), errors);
    String reclaimPolicy = text(storageClass, "reclaimPolicy");
    if (!reclaimPolicy.isEmpty() && !CLASS_RECLAIM_POLICIES.contains(reclaimPolicy)) {
      errors.notSupported(FieldPath.root("reclaimPolicy"), reclaimPolicy, CLASS_RECLAIM_POLICIES);
    }
    if (!Nodes.has(storageClass, "volumeBindingMode")) {
      errors.required(FieldPath.root("volumeBindingMode"), "");
    } else if (!BINDING_MODES.contains(text(storageClass, "volumeBindingMode"))) {
      errors.notSupported(FieldPath.root("volumeBindingMode"), text(storageClass, "volumeBindingMode"), BINDING_MODES);
    }
    List<com.fasterxml.jackson.databind.node.ObjectNode> topologies = Nodes.objects(storageClass, "allowedTopologies");
    for (int i = 0; i < topologies.size(); i++) {
      FieldPath termPath = FieldPath.root("allowedTopologies").index(i);
      List<com.fasterxml.jackson.databind.node.ObjectNode> expressions = Nodes.objects(topologies.get(i), "matchLabelExpressions");
      if (expressions.isEmpty()) errors.required(termPath, "must have at least one label key expression");
      for (int j = 0; j < expressions.size(); j++) {
        FieldPath expressionPath = termPath.child("matchLabelExpressions").index(j);
        String key = text(expressions.get(j), "key");
        errors.invalidEach(expressionPath.child("key"), key, Syntax.qualifiedName(key));
        if (Nodes.size(expressions.get(j), "values") == 0) {
          errors.required(expressionPath.child("values"), "must specify as least one value to match an expression");
        }
      }
    }
  }

  private static void parameters(JsonNode parameters, FieldErrors errors) {
    if (Nodes.absent(parameters)) return;
    FieldPath path = FieldPath.root("parameters");
    if (parameters.size() > MAX_PARAMETERS) {
      errors.tooLong(path, MAX_PARAMETERS);
      return;
    }
    long total = 0;
    for (var it = parameters.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().isEmpty()) errors.invalid(path, "", "field can not be empty.");
      total += Syntax.length(e.getKey()) + Syntax.length(e.getValue().asText());
    }
    if (total > MAX_PARAMETERS_SIZE) errors.tooLong(path, MAX_PARAMETERS_SIZE);
  }

  /** The spec rules of ValidatePersistentVolume that every volume must satisfy. */
  public static void persistentVolume(JsonNode volume, FieldErrors errors) {
    JsonNode spec = volume.path("spec");
    List<String> modes = MetadataValidation.strings(spec.get("accessModes"));
    if (modes.isEmpty()) errors.required(SPEC.child("accessModes"), "");
    for (String mode : modes) {
      if (!ACCESS_MODES.contains(mode)) errors.notSupported(SPEC.child("accessModes"), mode, ACCESS_MODES);
    }
    if (modes.contains("ReadWriteOncePod") && modes.stream().anyMatch(m -> ACCESS_MODES.contains(m) && !m.equals("ReadWriteOncePod"))) {
      errors.forbidden(SPEC.child("accessModes"), "may not use ReadWriteOncePod with other access modes");
    }
    JsonNode capacity = spec.get("capacity");
    FieldPath capacityPath = SPEC.child("capacity");
    if (Nodes.size(spec, "capacity") == 0) errors.required(capacityPath, "");
    if (!Nodes.absent(capacity)) {
      for (var it = capacity.fields(); it.hasNext(); ) {
        var e = it.next();
        Optional<BigDecimal> value = Quantities.value(e.getValue().asText());
        if (value.isEmpty()) continue;
        FieldPath path = capacityPath.key(e.getKey());
        // validateBasicResource shows the value in whole units, rounded up as Quantity.Value() rounds.
        if (value.get().signum() < 0) {
          errors.invalid(path, value.get().setScale(0, RoundingMode.CEILING).longValueExact(), "must be a valid resource quantity");
        }
        if (value.get().signum() <= 0) errors.invalid(path, Quantities.canonical(e.getValue().asText()), "must be greater than zero");
      }
    }
    String reclaimPolicy = text(spec, "persistentVolumeReclaimPolicy");
    if (!reclaimPolicy.isEmpty() && !VOLUME_RECLAIM_POLICIES.contains(reclaimPolicy)) {
      errors.notSupported(SPEC.child("persistentVolumeReclaimPolicy"), reclaimPolicy, VOLUME_RECLAIM_POLICIES);
    }
    String storageClass = text(spec, "storageClassName");
    if (!storageClass.isEmpty()) errors.invalidEach(SPEC.child("storageClassName"), storageClass, Syntax.dns1123Subdomain(storageClass));
    if (Nodes.has(spec, "volumeMode") && !VOLUME_MODES.contains(text(spec, "volumeMode"))) {
      errors.notSupported(SPEC.child("volumeMode"), text(spec, "volumeMode"), VOLUME_MODES);
    }
    String first = null;
    for (String source : VOLUME_SOURCES) {
      JsonNode s = spec.get(source);
      if (Nodes.absent(s)) continue;
      if (first != null) {
        errors.forbidden(SPEC.child(source), "may not specify more than 1 volume type");
        continue;
      }
      first = source;
      switch (source) {
        case "hostPath", "local" -> {
          if (text(s, "path").isEmpty()) errors.required(SPEC.child(source).child("path"), "");
        }
        case "nfs" -> {
          if (text(s, "server").isEmpty()) errors.required(SPEC.child("nfs").child("server"), "");
          if (text(s, "path").isEmpty()) errors.required(SPEC.child("nfs").child("path"), "");
          else if (!text(s, "path").startsWith("/")) errors.invalid(SPEC.child("nfs").child("path"), text(s, "path"), "must be an absolute path");
        }
        case "csi" -> {
          if (text(s, "driver").isEmpty()) errors.required(SPEC.child("csi").child("driver"), "");
          if (text(s, "volumeHandle").isEmpty()) errors.required(SPEC.child("csi").child("volumeHandle"), "");
        }
        default -> { }
      }
    }
    if (first == null) errors.required(SPEC, "must specify a volume type");
  }

  private static JsonNode emptyAsAbsent(JsonNode node) {
    return Nodes.absent(node) || node.isEmpty() ? null : node;
  }
}
