package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.Syntax;
import java.util.List;
import java.util.Optional;

/**
 * Deployments, ReplicaSets, DaemonSets and StatefulSets (pkg/apis/apps/validation/validation.go,
 * and the selector immutability their apps/v1 update strategies add).
 */
public final class WorkloadValidation {
  private WorkloadValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";
  /** The StatefulSet spec fields an update may change. */
  private static final List<String> STATEFUL_SET_MUTABLE =
      List.of("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds");

  public static void deployment(JsonNode deployment, FieldErrors errors) {
    JsonNode spec = deployment.path("spec");
    nonNegative(spec, "replicas", SPEC, errors);
    Optional<LabelSelectors.Selector> selector = requiredSelector(spec, "deployment", errors);
    if (selector.isEmpty()) {
      errors.invalid(SPEC.child("selector"), GoValue.labelSelector(spec.get("selector")), "invalid label selector");
    } else {
      templateForReplicaSet(spec.path("template"), selector.get(), "ReplicaSet", errors);
    }
    deploymentStrategy(spec.path("strategy"), SPEC.child("strategy"), errors);
    nonNegative(spec, "minReadySeconds", SPEC, errors);
    nonNegative(spec, "revisionHistoryLimit", SPEC, errors);
    if (Nodes.has(spec, "progressDeadlineSeconds")) {
      long deadline = Nodes.number(spec, "progressDeadlineSeconds");
      nonNegative(spec, "progressDeadlineSeconds", SPEC, errors);
      if (deadline <= Nodes.number(spec, "minReadySeconds")) {
        errors.invalid(SPEC.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
      }
    }
  }

  public static void replicaSet(JsonNode replicaSet, FieldErrors errors) {
    JsonNode spec = replicaSet.path("spec");
    nonNegative(spec, "replicas", SPEC, errors);
    nonNegative(spec, "minReadySeconds", SPEC, errors);
    // Kubernetes says "deployment" here too.
    Optional<LabelSelectors.Selector> selector = requiredSelector(spec, "deployment", errors);
    if (selector.isEmpty()) {
      errors.invalid(SPEC.child("selector"), GoValue.labelSelector(spec.get("selector")), "invalid label selector");
    } else {
      templateForReplicaSet(spec.path("template"), selector.get(), "ReplicaSet", errors);
    }
  }

  /** ValidateReplicationControllerSpec: a selector of labels (not a LabelSelector) and a template. */
  public static void replicationController(JsonNode controller, FieldErrors errors) {
    JsonNode spec = controller.path("spec");
    JsonNode selector = spec.get("selector");
    if (Nodes.absent(selector) || selector.isEmpty()) errors.required(SPEC.child("selector"), "");
    else MetadataValidation.labels(selector, SPEC.child("selector"), errors);
    nonNegative(spec, "replicas", SPEC, errors);
    nonNegative(spec, "minReadySeconds", SPEC, errors);
    JsonNode template = spec.get("template");
    if (Nodes.absent(template)) {
      errors.required(SPEC.child("template"), "");
      return;
    }
    JsonNode labels = template.path("metadata").get("labels");
    if (!Nodes.absent(selector) && !selector.isEmpty()
        && LabelSelectors.convert(io.kubeactor.common.Json.object().set("matchLabels", selector)).map(s -> !s.matches(labels)).orElse(false)) {
      errors.invalid(SPEC.child("template").child("metadata").child("labels"), GoValue.stringMap(labels), SELECTOR_MISMATCH);
    }
    PodSpecValidation.podTemplate(template, SPEC.child("template"), errors);
    templateRestartAndDeadline(template, SPEC.child("template"), "ReplicationController", errors);
  }

  public static void daemonSet(JsonNode daemonSet, FieldErrors errors) {
    JsonNode spec = daemonSet.path("spec");
    JsonNode selectorNode = spec.get("selector");
    LabelSelectors.validate(selectorNode, SPEC.child("selector"), errors);
    JsonNode template = spec.path("template");
    JsonNode labels = template.path("metadata").get("labels");
    Optional<LabelSelectors.Selector> selector = LabelSelectors.convert(selectorNode);
    if (selector.isPresent() && !selector.get().matches(labels)) {
      errors.invalid(SPEC.child("template").child("metadata").child("labels"), GoValue.stringMap(labels), SELECTOR_MISMATCH);
    }
    if (!Nodes.absent(selectorNode) && Nodes.size(selectorNode, "matchLabels") + Nodes.size(selectorNode, "matchExpressions") == 0) {
      errors.invalid(SPEC.child("selector"), GoValue.labelSelector(selectorNode), "empty selector is invalid for daemonset");
    }
    PodSpecValidation.podTemplate(template, SPEC.child("template"), errors);
    templateRestartAndDeadline(template, SPEC.child("template"), "DaemonSet", errors);
    nonNegative(spec, "minReadySeconds", SPEC, errors);
    daemonSetStrategy(spec.path("updateStrategy"), SPEC.child("updateStrategy"), errors);
    nonNegative(spec, "revisionHistoryLimit", SPEC, errors);
  }

  public static void statefulSet(JsonNode statefulSet, FieldErrors errors) {
    JsonNode spec = statefulSet.path("spec");
    String management = text(spec, "podManagementPolicy");
    switch (management) {
      case "" -> errors.required(SPEC.child("podManagementPolicy"), "");
      case "OrderedReady", "Parallel" -> { }
      default -> errors.invalid(SPEC.child("podManagementPolicy"), management, "must be 'OrderedReady' or 'Parallel'");
    }
    statefulSetStrategy(spec.path("updateStrategy"), SPEC.child("updateStrategy"), errors);
    JsonNode retention = spec.get("persistentVolumeClaimRetentionPolicy");
    if (!Nodes.absent(retention)) {
      for (String field : List.of("whenDeleted", "whenScaled")) {
        String policy = text(retention, field);
        if (!policy.equals("Retain") && !policy.equals("Delete")) {
          errors.notSupported(SPEC.child("persistentVolumeClaimRetentionPolicy").child(field), policy, List.of("Retain", "Delete"));
        }
      }
    }
    nonNegative(spec, "replicas", SPEC, errors);
    nonNegative(spec, "minReadySeconds", SPEC, errors);
    if (Nodes.has(spec, "ordinals") && Nodes.number(spec.get("ordinals"), "start") < 0) {
      errors.invalid(SPEC.child("ordinals.start"), Nodes.number(spec.get("ordinals"), "start"), Syntax.IS_NEGATIVE);
    }
    Optional<LabelSelectors.Selector> selector = requiredSelector(spec, "statefulset", errors);
    JsonNode template = spec.path("template");
    if (selector.isEmpty()) {
      errors.invalid(SPEC.child("selector"), GoValue.labelSelector(spec.get("selector")), "");
    } else {
      // Kubernetes leaves a StatefulSet's pod spec to be checked when its pods are created.
      FieldPath templatePath = SPEC.child("template");
      JsonNode labels = template.path("metadata").get("labels");
      if (!selector.get().isEmpty() && !selector.get().matches(labels)) {
        errors.invalid(templatePath.child("metadata").child("labels"), GoValue.stringMap(labels), SELECTOR_MISMATCH);
      }
      MetadataValidation.labels(labels, templatePath.child("labels"), errors);
      MetadataValidation.annotations(template.path("metadata").get("annotations"), templatePath.child("annotations"), errors);
    }
    templateRestartAndDeadline(template, SPEC.child("template"), "StatefulSet", errors);
    statefulSetReadable(template.path("spec"), SPEC.child("template").child("spec"), errors);
  }

  /**
   * Stricter than kube-apiserver, which leaves a StatefulSet's pod spec to its pods: the required
   * fields without which clients that check them (the Python client) cannot read the StatefulSet,
   * as its pods would be refused for them: its containers' mounts and devices, and the pod's and
   * containers' seccomp and AppArmor profiles. The volumes mounts name may come from
   * volumeClaimTemplates, so names are not matched against the template's volumes.
   */
  private static void statefulSetReadable(JsonNode podSpec, FieldPath at, FieldErrors errors) {
    PodSpecValidation.securityProfiles(podSpec.get("securityContext"), at.child("securityContext"), errors);
    for (String kind : List.of("initContainers", "containers")) {
      List<ObjectNode> containers = Nodes.objects(podSpec, kind);
      for (int i = 0; i < containers.size(); i++) {
        FieldPath container = at.child(kind).index(i);
        PodSpecValidation.securityProfiles(containers.get(i).get("securityContext"), container.child("securityContext"), errors);
        List<ObjectNode> mounts = Nodes.objects(containers.get(i), "volumeMounts");
        for (int m = 0; m < mounts.size(); m++) {
          if (Nodes.text(mounts.get(m), "name").isEmpty()) errors.required(container.child("volumeMounts").index(m).child("name"), "");
          if (Nodes.text(mounts.get(m), "mountPath").isEmpty()) {
            errors.required(container.child("volumeMounts").index(m).child("mountPath"), "");
          }
        }
        List<ObjectNode> devices = Nodes.objects(containers.get(i), "volumeDevices");
        for (int d = 0; d < devices.size(); d++) {
          if (Nodes.text(devices.get(d), "name").isEmpty()) errors.required(container.child("volumeDevices").index(d).child("name"), "");
          if (Nodes.text(devices.get(d), "devicePath").isEmpty()) {
            errors.required(container.child("volumeDevices").index(d).child("devicePath"), "");
          }
        }
      }
    }
  }

  /** apps/v1 never lets a workload's selector change after creation. */
  public static void selectorUnchanged(JsonNode object, JsonNode old, FieldErrors errors) {
    JsonNode now = object.path("spec").get("selector");
    if (!JsonDiff.same(now, old.path("spec").get("selector"))) {
      errors.invalid(SPEC.child("selector"), Nodes.absent(now) ? null : GoValue.labelSelector(now), Syntax.FIELD_IMMUTABLE);
    }
  }

  public static void statefulSetUpdate(JsonNode statefulSet, JsonNode old, FieldErrors errors) {
    ObjectNode now = statefulSet.path("spec").deepCopy();
    ObjectNode before = old.path("spec").deepCopy();
    now.remove(STATEFUL_SET_MUTABLE);
    before.remove(STATEFUL_SET_MUTABLE);
    if (!JsonDiff.same(now, before)) {
      errors.forbidden(SPEC, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
          + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }
  }

  /** A required, non-empty selector, converted; empty when conversion fails. */
  private static Optional<LabelSelectors.Selector> requiredSelector(JsonNode spec, String kindWord, FieldErrors errors) {
    JsonNode selector = spec.get("selector");
    if (Nodes.absent(selector)) {
      errors.required(SPEC.child("selector"), "");
    } else {
      LabelSelectors.validate(selector, SPEC.child("selector"), errors);
      if (Nodes.size(selector, "matchLabels") + Nodes.size(selector, "matchExpressions") == 0) {
        errors.invalid(SPEC.child("selector"), GoValue.labelSelector(selector), "empty selector is invalid for " + kindWord);
      }
    }
    return LabelSelectors.convert(selector);
  }

  /** ValidatePodTemplateSpecForReplicaSet, used by Deployments and ReplicaSets. */
  private static void templateForReplicaSet(JsonNode template, LabelSelectors.Selector selector, String kind, FieldErrors errors) {
    FieldPath path = SPEC.child("template");
    JsonNode labels = template.path("metadata").get("labels");
    if (!selector.isEmpty() && !selector.matches(labels)) {
      errors.invalid(path.child("metadata").child("labels"), GoValue.stringMap(labels), SELECTOR_MISMATCH);
    }
    PodSpecValidation.podTemplate(template, path, errors);
    templateRestartAndDeadline(template, path, kind, errors);
  }

  /** Controllers keep their pods running: restartPolicy Always, no deadline. */
  private static void templateRestartAndDeadline(JsonNode template, FieldPath path, String kind, FieldErrors errors) {
    JsonNode podSpec = template.path("spec");
    String restartPolicy = text(podSpec, "restartPolicy");
    if (!restartPolicy.equals("Always")) {
      errors.notSupported(path.child("spec").child("restartPolicy"), restartPolicy, List.of("Always"));
    }
    if (Nodes.has(podSpec, "activeDeadlineSeconds")) {
      errors.forbidden(path.child("spec").child("activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported");
    }
  }

  private static void deploymentStrategy(JsonNode strategy, FieldPath path, FieldErrors errors) {
    String type = text(strategy, "type");
    JsonNode rollingUpdate = strategy.get("rollingUpdate");
    switch (type) {
      case "Recreate" -> {
        if (!Nodes.absent(rollingUpdate)) {
          errors.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
        }
      }
      case "RollingUpdate" -> {
        if (Nodes.absent(rollingUpdate)) {
          errors.required(path.child("rollingUpdate"), "this should be defaulted and never be nil");
          return;
        }
        FieldPath rollingPath = path.child("rollingUpdate");
        JsonNode maxUnavailable = rollingUpdate.get("maxUnavailable");
        JsonNode maxSurge = rollingUpdate.get("maxSurge");
        positiveIntOrPercent(maxUnavailable, rollingPath.child("maxUnavailable"), errors);
        positiveIntOrPercent(maxSurge, rollingPath.child("maxSurge"), errors);
        if (intOrPercent(maxUnavailable) == 0 && intOrPercent(maxSurge) == 0) {
          errors.invalid(rollingPath.child("maxUnavailable"), GoValue.intOrString(maxUnavailable), "may not be 0 when `maxSurge` is 0");
        }
        notMoreThan100Percent(maxUnavailable, rollingPath.child("maxUnavailable"), errors);
      }
      default -> errors.notSupported(path, new GoValue.Literal("apps.DeploymentStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:" + (Nodes.absent(rollingUpdate) ? "(*apps.RollingUpdateDeployment)(nil)" : "(*apps.RollingUpdateDeployment)(0xc000000000)")
          + "}"), List.of("Recreate", "RollingUpdate"));
    }
  }

  private static void daemonSetStrategy(JsonNode strategy, FieldPath path, FieldErrors errors) {
    String type = text(strategy, "type");
    JsonNode rollingUpdate = strategy.get("rollingUpdate");
    switch (type) {
      case "OnDelete" -> { }
      case "RollingUpdate" -> {
        if (Nodes.absent(rollingUpdate)) {
          errors.required(path.child("rollingUpdate"), "");
          return;
        }
        FieldPath rollingPath = path.child("rollingUpdate");
        JsonNode maxUnavailable = rollingUpdate.get("maxUnavailable");
        JsonNode maxSurge = rollingUpdate.get("maxSurge");
        positiveIntOrPercent(maxUnavailable, rollingPath.child("maxUnavailable"), errors);
        positiveIntOrPercent(maxSurge, rollingPath.child("maxSurge"), errors);
        notMoreThan100Percent(maxUnavailable, rollingPath.child("maxUnavailable"), errors);
        notMoreThan100Percent(maxSurge, rollingPath.child("maxSurge"), errors);
        boolean hasUnavailable = intOrPercent(maxUnavailable) != 0;
        boolean hasSurge = intOrPercent(maxSurge) != 0;
        if (hasUnavailable && hasSurge) {
          errors.invalid(rollingPath.child("maxSurge"), GoValue.intOrString(maxSurge), "may not be set when maxUnavailable is non-zero");
        } else if (!hasUnavailable && !hasSurge) {
          errors.required(rollingPath.child("maxUnavailable"), "cannot be 0 when maxSurge is 0");
        }
      }
      default -> errors.notSupported(path, new GoValue.Literal("apps.DaemonSetUpdateStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:" + (Nodes.absent(rollingUpdate) ? "(*apps.RollingUpdateDaemonSet)(nil)" : "(*apps.RollingUpdateDaemonSet)(0xc000000000)")
          + "}"), List.of("RollingUpdate", "OnDelete"));
    }
  }

  private static void statefulSetStrategy(JsonNode strategy, FieldPath path, FieldErrors errors) {
    String type = text(strategy, "type");
    JsonNode rollingUpdate = strategy.get("rollingUpdate");
    switch (type) {
      case "" -> errors.required(path, "");
      case "OnDelete" -> {
        if (!Nodes.absent(rollingUpdate)) {
          errors.invalid(path.child("rollingUpdate"), new GoValue.Literal("apps.RollingUpdateStatefulSetStrategy{Partition:"
              + Nodes.number(rollingUpdate, "partition") + ", MaxUnavailable:(*intstr.IntOrString)(nil)}"),
              "only allowed for updateStrategy 'RollingUpdate'");
        }
      }
      case "RollingUpdate" -> {
        if (!Nodes.absent(rollingUpdate) && Nodes.number(rollingUpdate, "partition") < 0) {
          errors.invalid(path.child("rollingUpdate").child("partition"), Nodes.number(rollingUpdate, "partition"), Syntax.IS_NEGATIVE);
        }
      }
      default -> errors.invalid(path, new GoValue.Literal("apps.StatefulSetUpdateStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:" + (Nodes.absent(rollingUpdate) ? "(*apps.RollingUpdateStatefulSetStrategy)(nil)" : "(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)")
          + "}"), "must be 'RollingUpdate' or 'OnDelete'");
    }
  }

  static void positiveIntOrPercent(JsonNode value, FieldPath path, FieldErrors errors) {
    if (value != null && value.isTextual()) {
      errors.invalidEach(path, GoValue.intOrString(value), Syntax.percent(value.asText()));
    } else {
      long number = Nodes.absent(value) ? 0 : value.asLong();
      if (number < 0) errors.invalid(path, number, Syntax.IS_NEGATIVE);
    }
  }

  static void notMoreThan100Percent(JsonNode value, FieldPath path, FieldErrors errors) {
    if (value != null && value.isTextual() && Syntax.percent(value.asText()).isEmpty() && intOrPercent(value) > 100) {
      errors.invalid(path, GoValue.intOrString(value), "must not be greater than 100%");
    }
  }

  /** The number of an IntOrString: "25%" → 25, 3 → 3, anything else → 0 (getIntOrPercentValue). */
  private static long intOrPercent(JsonNode value) {
    if (Nodes.absent(value)) return 0;
    if (!value.isTextual()) return value.asLong();
    String text = value.asText();
    String digits = Syntax.percent(text).isEmpty() ? text.substring(0, text.length() - 1) : text;
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void nonNegative(JsonNode spec, String field, FieldPath path, FieldErrors errors) {
    long value = Nodes.number(spec, field);
    if (value < 0) errors.invalid(path.child(field), value, Syntax.IS_NEGATIVE);
  }
}
