package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.objects;
import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.Syntax;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods and pod templates as pkg/apis/core/validation/validation.go checks them (ValidatePodCreate,
 * ValidatePodUpdate, ValidatePodSpec, ValidateVolumes, ValidateTolerations), in the same order; affinity,
 * topology spread and host aliases are in {@link SchedulingValidation}.
 */
public final class PodSpecValidation {
  private PodSpecValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  /** Volume sources in the order Kubernetes counts them, with the path it names each by. */
  private static final Map<String, String> VOLUME_SOURCES = volumeSources();

  /** ValidatePodCreate: the spec of a Pod object and what only pods must satisfy. */
  public static void podCreate(JsonNode pod, FieldErrors errors) {
    JsonNode spec = pod.path("spec");
    podSpec(spec, SPEC, true, errors);
    onlyForPod(spec, errors);
    if (Nodes.size(spec, "ephemeralContainers") > 0) {
      errors.forbidden(SPEC.child("ephemeralContainers"), "cannot be set on create");
    }
    if (!text(spec, "nodeName").isEmpty() && Nodes.size(spec, "schedulingGates") > 0) {
      errors.forbidden(SPEC.child("nodeName"), "cannot be set until all schedulingGates have been cleared");
    }
  }

  /** ValidatePodUpdate: a pod's spec may change only in images, deadline, tolerations and gates. */
  public static void podUpdate(JsonNode pod, JsonNode oldPod, FieldErrors errors) {
    JsonNode spec = pod.path("spec");
    JsonNode oldSpec = oldPod.path("spec");
    podSpec(spec, SPEC, true, errors);
    onlyForPod(spec, errors);
    for (String list : List.of("containers", "initContainers")) {
      if (Nodes.size(spec, list) != Nodes.size(oldSpec, list)) {
        errors.forbidden(SPEC.child(list), "pod updates may not add or remove containers");
        return;
      }
      List<ObjectNode> containers = objects(spec, list);
      for (int i = 0; i < containers.size(); i++) {
        String image = text(containers.get(i), "image");
        if (image.isEmpty()) errors.required(SPEC.child(list).index(i).child("image"), "");
        if (!image.equals(image.strip())) {
          errors.invalid(SPEC.child(list).index(i).child("image"), image, "must not have leading or trailing whitespace");
        }
      }
    }
    if (Nodes.has(spec, "activeDeadlineSeconds")) {
      long deadline = Nodes.number(spec, "activeDeadlineSeconds");
      if (deadline < 0 || deadline > Integer.MAX_VALUE) {
        errors.invalid(SPEC.child("activeDeadlineSeconds"), deadline, Syntax.inclusiveRangeError(0, Integer.MAX_VALUE));
        return;
      }
      if (Nodes.has(oldSpec, "activeDeadlineSeconds") && Nodes.number(oldSpec, "activeDeadlineSeconds") < deadline) {
        errors.invalid(SPEC.child("activeDeadlineSeconds"), deadline, "must be less than or equal to previous value");
        return;
      }
    } else if (Nodes.has(oldSpec, "activeDeadlineSeconds")) {
      errors.invalid(SPEC.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value");
    }
    onlyAddedTolerations(spec, oldSpec, errors);

    ObjectNode munged = spec.deepCopy();
    for (String list : List.of("containers", "initContainers")) {
      List<ObjectNode> now = objects(munged, list);
      List<ObjectNode> before = objects(oldSpec, list);
      for (int i = 0; i < now.size(); i++) now.get(i).set("image", before.get(i).get("image"));
    }
    for (String field : List.of("activeDeadlineSeconds", "schedulingGates", "tolerations")) copyField(oldSpec, munged, field);
    if (Nodes.number(oldSpec, "terminationGracePeriodSeconds") < 0 && Nodes.number(munged, "terminationGracePeriodSeconds") == 1) {
      copyField(oldSpec, munged, "terminationGracePeriodSeconds");
    }
    if (!JsonDiff.same(munged, oldSpec)) {
      errors.forbidden(SPEC, "pod updates may not change fields other than "
          + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
          + "`spec.tolerations` (only additions to existing tolerations),"
          + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
          + JsonDiff.describe(oldSpec, munged));
    }
  }

  /** ValidatePodTemplateSpec: the template of a workload. */
  static void podTemplate(JsonNode template, FieldPath path, FieldErrors errors) {
    JsonNode meta = template.path("metadata");
    MetadataValidation.labels(meta.get("labels"), path.child("labels"), errors);
    MetadataValidation.annotations(meta.get("annotations"), path.child("annotations"), errors);
    podSpec(template.path("spec"), path.child("spec"), false, errors);
    if (Nodes.size(template.path("spec"), "ephemeralContainers") > 0) {
      errors.forbidden(path.child("spec").child("ephemeralContainers"), "ephemeral containers not allowed in pod template");
    }
  }

  /** ValidatePodSpec. */
  static void podSpec(JsonNode spec, FieldPath path, boolean isPod, FieldErrors errors) {
    if (!Nodes.has(spec, "terminationGracePeriodSeconds")) errors.required(path.child("terminationGracePeriodSeconds"), "");
    Long gracePeriod = Nodes.has(spec, "terminationGracePeriodSeconds") ? Nodes.number(spec, "terminationGracePeriodSeconds") : null;
    Map<String, String> volumes = volumes(spec, path.child("volumes"), errors);
    ContainerValidation.containers(spec, volumes, gracePeriod, path.child("containers"), errors);
    ContainerValidation.initContainers(spec, volumes, gracePeriod, path.child("initContainers"), errors);
    ContainerValidation.ephemeralContainers(spec, volumes, path.child("ephemeralContainers"), errors);
    if (spec.path("hostNetwork").asBoolean(false)) hostNetworkPorts(spec, path, isPod, errors);
    restartPolicy(text(spec, "restartPolicy"), path.child("restartPolicy"), errors);
    String dnsPolicy = text(spec, "dnsPolicy");
    if (dnsPolicy.isEmpty()) errors.required(path.child("dnsPolicy"), "");
    else if (!DNS_POLICIES.contains(dnsPolicy)) errors.notSupported(path.child("dnsPolicy"), dnsPolicy, DNS_POLICIES);
    MetadataValidation.labels(spec.get("nodeSelector"), path.child("nodeSelector"), errors);
    SchedulingValidation.affinity(spec.get("affinity"), path.child("affinity"), errors);
    securityProfiles(spec.get("securityContext"), path.child("securityContext"), errors);
    if (dnsPolicy.equals("None")) {
      if (!Nodes.has(spec, "dnsConfig")) {
        errors.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
      } else if (Nodes.size(spec.get("dnsConfig"), "nameservers") == 0) {
        errors.required(path.child("dnsConfig").child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None");
      }
    }
    List<ObjectNode> gates = objects(spec, "readinessGates");
    for (int i = 0; i < gates.size(); i++) {
      String type = text(gates.get(i), "conditionType");
      errors.invalidEach(path.child("readinessGates").index(i).child("conditionType"), type, Syntax.qualifiedName(type));
    }
    SchedulingValidation.topologySpreadConstraints(spec, path.child("topologySpreadConstraints"), errors);
    nameField(spec, "serviceAccountName", path, errors);
    nameField(spec, "nodeName", path, errors);
    if (Nodes.has(spec, "activeDeadlineSeconds")) {
      long deadline = Nodes.number(spec, "activeDeadlineSeconds");
      if (deadline < 1 || deadline > Integer.MAX_VALUE) {
        errors.invalid(path.child("activeDeadlineSeconds"), deadline, Syntax.inclusiveRangeError(1, Integer.MAX_VALUE));
      }
    }
    for (String field : List.of("hostname", "subdomain")) {
      String value = text(spec, field);
      if (!value.isEmpty()) errors.invalidEach(path.child(field), value, Syntax.dns1123Label(value));
    }
    tolerations(spec, path.child("tolerations"), errors);
    SchedulingValidation.hostAliases(spec, path.child("hostAliases"), errors);
    nameField(spec, "priorityClassName", path, errors);
    if (Nodes.has(spec, "preemptionPolicy")) {
      String policy = text(spec, "preemptionPolicy");
      List<String> supported = List.of("PreemptLowerPriority", "Never");
      if (policy.isEmpty()) errors.required(path.child("preemptionPolicy"), "");
      else if (!supported.contains(policy)) errors.notSupported(path.child("preemptionPolicy"), policy, supported);
    }
  }

  static void restartPolicy(String policy, FieldPath path, FieldErrors errors) {
    if (policy.isEmpty()) errors.required(path, "");
    else if (!RESTART_POLICIES.contains(policy)) errors.notSupported(path, policy, RESTART_POLICIES);
  }

  private static void onlyForPod(JsonNode spec, FieldErrors errors) {
    for (String list : List.of("containers", "initContainers")) {
      List<ObjectNode> containers = objects(spec, list);
      for (int i = 0; i < containers.size(); i++) {
        String image = text(containers.get(i), "image");
        if (!image.equals(image.strip())) {
          errors.invalid(SPEC.child(list).index(i).child("image"), image, "must not have leading or trailing whitespace");
        }
      }
    }
  }

  private static void nameField(JsonNode spec, String field, FieldPath path, FieldErrors errors) {
    String value = text(spec, field);
    if (!value.isEmpty()) errors.invalidEach(path.child(field), value, Syntax.dns1123Subdomain(value));
  }

  // ---- security profiles

  private static final List<String> PROFILE_TYPES = List.of("Localhost", "RuntimeDefault", "Unconfined");

  /** A pod's or container's seccompProfile and appArmorProfile: a type of the three, and Localhost's profile. */
  static void securityProfiles(JsonNode securityContext, FieldPath path, FieldErrors errors) {
    if (Nodes.absent(securityContext)) return;
    profile(securityContext.get("seccompProfile"), path.child("seccompProfile"), "seccompProfile", "seccomp", errors);
    profile(securityContext.get("appArmorProfile"), path.child("appArmorProfile"), "appArmorProfile", "AppArmor", errors);
  }

  private static void profile(JsonNode profile, FieldPath path, String field, String kind, FieldErrors errors) {
    if (Nodes.absent(profile)) return;
    String type = text(profile, "type");
    if (type.isEmpty()) errors.required(path.child("type"), "type is required when " + field + " is set");
    else if (!PROFILE_TYPES.contains(type)) errors.notSupported(path.child("type"), type, PROFILE_TYPES);
    if (type.equals("Localhost") && text(profile, "localhostProfile").isEmpty()) {
      errors.required(path.child("localhostProfile"), "must be set when " + kind + " type is Localhost");
    }
  }

  // ---- volumes

  /** The valid volumes by name, with the source each uses. */
  private static Map<String, String> volumes(JsonNode spec, FieldPath path, FieldErrors errors) {
    Map<String, String> valid = new LinkedHashMap<>();
    List<ObjectNode> volumes = objects(spec, "volumes");
    for (int i = 0; i < volumes.size(); i++) {
      ObjectNode volume = volumes.get(i);
      FieldPath idx = path.index(i);
      String name = text(volume, "name");
      FieldErrors own = new FieldErrors();
      String source = volumeSource(volume, idx, own);
      if (name.isEmpty()) own.required(idx.child("name"), "");
      else own.invalidEach(idx.child("name"), name, Syntax.dns1123Label(name));
      if (valid.containsKey(name)) own.duplicate(idx.child("name"), name);
      if (own.size() == 0) valid.put(name, source);
      else errors.addAll(own);
    }
    return valid;
  }

  private static String volumeSource(ObjectNode volume, FieldPath path, FieldErrors errors) {
    String first = null;
    for (var source : VOLUME_SOURCES.entrySet()) {
      JsonNode s = volume.get(source.getKey());
      if (Nodes.absent(s)) continue;
      if (first != null) {
        errors.forbidden(path.child(source.getValue()), "may not specify more than 1 volume type");
        continue;
      }
      first = source.getKey();
      FieldPath sourcePath = path.child(source.getKey());
      switch (source.getKey()) {
        case "hostPath" -> {
          if (text(s, "path").isEmpty()) errors.required(sourcePath.child("path"), "");
        }
        case "secret" -> {
          if (text(s, "secretName").isEmpty()) errors.required(sourcePath.child("secretName"), "");
          fileMode(s, sourcePath, errors);
        }
        case "configMap" -> {
          if (text(s, "name").isEmpty()) errors.required(sourcePath.child("name"), "");
          fileMode(s, sourcePath, errors);
        }
        case "persistentVolumeClaim" -> {
          if (text(s, "claimName").isEmpty()) errors.required(sourcePath.child("claimName"), "");
        }
        case "emptyDir" -> Quantities.value(text(s, "sizeLimit")).filter(q -> q.signum() < 0)
            .ifPresent(q -> errors.forbidden(sourcePath.child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
        default -> { }
      }
    }
    if (first == null) errors.required(path, "must specify a volume type");
    return first;
  }

  private static void fileMode(JsonNode source, FieldPath path, FieldErrors errors) {
    if (Nodes.has(source, "defaultMode")) {
      long mode = Nodes.number(source, "defaultMode");
      if (mode < 0 || mode > 0777) {
        errors.invalid(path.child("defaultMode"), mode, "must be a number between 0 and 0777 (octal), both inclusive");
      }
    }
  }

  private static void hostNetworkPorts(JsonNode spec, FieldPath path, boolean isPod, FieldErrors errors) {
    List<ObjectNode> containers = objects(spec, "containers");
    for (int i = 0; i < containers.size(); i++) {
      List<ObjectNode> ports = objects(containers.get(i), "ports");
      for (int j = 0; j < ports.size(); j++) {
        long hostPort = Nodes.number(ports.get(j), "hostPort");
        long containerPort = Nodes.number(ports.get(j), "containerPort");
        if ((isPod || hostPort != 0) && hostPort != containerPort) {
          errors.invalid(path.child("containers").index(i).child("ports").index(j).child("hostPort"), hostPort,
              "must match `containerPort` when `hostNetwork` is true");
        }
      }
    }
  }

  // ---- tolerations

  static void tolerations(JsonNode spec, FieldPath path, FieldErrors errors) {
    List<ObjectNode> tolerations = objects(spec, "tolerations");
    for (int i = 0; i < tolerations.size(); i++) {
      ObjectNode toleration = tolerations.get(i);
      FieldPath idx = path.index(i);
      String key = text(toleration, "key");
      String operator = text(toleration, "operator");
      String effect = text(toleration, "effect");
      String value = text(toleration, "value");
      if (!key.isEmpty()) errors.invalidEach(idx.child("key"), key, Syntax.qualifiedName(key));
      if (key.isEmpty() && !operator.equals("Exists")) {
        errors.invalid(idx.child("operator"), operator,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
      }
      if (Nodes.has(toleration, "tolerationSeconds") && !effect.equals("NoExecute")) {
        errors.invalid(idx.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
      }
      switch (operator) {
        case "Equal", "" -> {
          List<String> msgs = Syntax.labelValue(value);
          if (!msgs.isEmpty()) errors.invalid(idx.child("operator"), value, String.join(";", msgs));
        }
        case "Exists" -> {
          if (!value.isEmpty()) errors.invalid(idx.child("operator"), value, "value must be empty when `operator` is 'Exists'");
        }
        default -> errors.notSupported(idx.child("operator"), operator, List.of("Equal", "Exists"));
      }
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) errors.notSupported(idx.child("effect"), effect, TAINT_EFFECTS);
    }
  }

  private static void onlyAddedTolerations(JsonNode spec, JsonNode oldSpec, FieldErrors errors) {
    List<ObjectNode> now = objects(spec, "tolerations");
    for (ObjectNode old : objects(oldSpec, "tolerations")) {
      boolean kept = now.stream().anyMatch(t -> {
        ObjectNode a = old.deepCopy();
        ObjectNode b = t.deepCopy();
        a.remove("tolerationSeconds");
        b.remove("tolerationSeconds");
        return JsonDiff.same(a, b);
      });
      if (!kept) {
        errors.forbidden(SPEC.child("tolerations"), "existing toleration can not be modified except its tolerationSeconds");
        return;
      }
    }
  }

  private static void copyField(JsonNode from, ObjectNode to, String field) {
    if (Nodes.absent(from.get(field))) to.remove(field);
    else to.set(field, from.get(field).deepCopy());
  }

  private static Map<String, String> volumeSources() {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String s : List.of("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
        "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI", "fc",
        "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk",
        "storageos", "projected", "scaleIO", "csi", "ephemeral", "image")) {
      sources.put(s, s);
    }
    // Kubernetes names these two differently in its "more than 1 volume type" errors.
    sources.put("cephfs", "cephFS");
    sources.put("downwardAPI", "downwarAPI");
    return sources;
  }
}
