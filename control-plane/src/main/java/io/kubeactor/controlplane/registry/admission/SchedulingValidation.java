package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.Syntax;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of a pod spec that steer scheduling, as pkg/apis/core/validation of Kubernetes v1.32
 * checks them: affinity (validateAffinity, ValidateNodeSelector, validatePodAffinityTerm),
 * topologySpreadConstraints and hostAliases.
 */
final class SchedulingValidation {
  private SchedulingValidation() {}

  private static final String NOT_POSITIVE = "must be greater than zero";
  private static final String WEIGHT_RANGE = "must be in the range 1-100";
  private static final List<String> SCHEDULE_ACTIONS = List.of("DoNotSchedule", "ScheduleAnyway");
  private static final List<String> NODE_INCLUSION_POLICIES = List.of("Honor", "Ignore");

  static void affinity(JsonNode affinity, FieldPath path, FieldErrors errors) {
    if (Nodes.absent(affinity)) return;
    JsonNode node = affinity.get("nodeAffinity");
    if (!Nodes.absent(node)) {
      FieldPath nodePath = path.child("nodeAffinity");
      JsonNode required = node.get("requiredDuringSchedulingIgnoredDuringExecution");
      if (!Nodes.absent(required)) nodeSelector(required, nodePath.child("requiredDuringSchedulingIgnoredDuringExecution"), errors);
      List<ObjectNode> preferred = Nodes.objects(node, "preferredDuringSchedulingIgnoredDuringExecution");
      FieldPath preferredPath = nodePath.child("preferredDuringSchedulingIgnoredDuringExecution");
      for (int i = 0; i < preferred.size(); i++) {
        weight(preferred.get(i), preferredPath.index(i).child("weight"), errors);
        nodeSelectorTerm(preferred.get(i).path("preference"), preferredPath.index(i).child("preference"), errors);
      }
    }
    for (String kind : List.of("podAffinity", "podAntiAffinity")) {
      JsonNode pod = affinity.get(kind);
      if (Nodes.absent(pod)) continue;
      FieldPath podPath = path.child(kind);
      FieldPath requiredPath = podPath.child("requiredDuringSchedulingIgnoredDuringExecution");
      List<ObjectNode> required = Nodes.objects(pod, "requiredDuringSchedulingIgnoredDuringExecution");
      for (int i = 0; i < required.size(); i++) podAffinityTerm(required.get(i), requiredPath.index(i), errors);
      FieldPath preferredPath = podPath.child("preferredDuringSchedulingIgnoredDuringExecution");
      List<ObjectNode> preferred = Nodes.objects(pod, "preferredDuringSchedulingIgnoredDuringExecution");
      for (int i = 0; i < preferred.size(); i++) {
        weight(preferred.get(i), preferredPath.index(i).child("weight"), errors);
        podAffinityTerm(preferred.get(i).path("podAffinityTerm"), preferredPath.index(i).child("podAffinityTerm"), errors);
      }
    }
  }

  private static void weight(JsonNode term, FieldPath path, FieldErrors errors) {
    long weight = Nodes.number(term, "weight");
    if (weight <= 0 || weight > 100) errors.invalid(path, weight, WEIGHT_RANGE);
  }

  /** ValidateNodeSelector: at least one term, each of valid requirements. */
  static void nodeSelector(JsonNode selector, FieldPath path, FieldErrors errors) {
    FieldPath termsPath = path.child("nodeSelectorTerms");
    List<ObjectNode> terms = Nodes.objects(selector, "nodeSelectorTerms");
    if (terms.isEmpty()) {
      errors.required(termsPath, "must have at least one node selector term");
      return;
    }
    for (int i = 0; i < terms.size(); i++) nodeSelectorTerm(terms.get(i), termsPath.index(i), errors);
  }

  private static void nodeSelectorTerm(JsonNode term, FieldPath path, FieldErrors errors) {
    List<ObjectNode> expressions = Nodes.objects(term, "matchExpressions");
    for (int j = 0; j < expressions.size(); j++) {
      nodeSelectorRequirement(expressions.get(j), path.child("matchExpressions").index(j), errors);
    }
    List<ObjectNode> fields = Nodes.objects(term, "matchFields");
    for (int j = 0; j < fields.size(); j++) nodeFieldSelectorRequirement(fields.get(j), path.child("matchFields").index(j), errors);
  }

  private static void nodeSelectorRequirement(JsonNode requirement, FieldPath path, FieldErrors errors) {
    String operator = text(requirement, "operator");
    int values = Nodes.size(requirement, "values");
    switch (operator) {
      case "In", "NotIn" -> {
        if (values == 0) errors.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
      }
      case "Exists", "DoesNotExist" -> {
        if (values > 0) errors.forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      }
      case "Gt", "Lt" -> {
        if (values != 1) errors.required(path.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
      }
      default -> errors.invalid(path.child("operator"), operator, "not a valid selector operator");
    }
    String key = text(requirement, "key");
    errors.invalidEach(path.child("key"), key, Syntax.qualifiedName(key));
    List<String> valueList = MetadataValidation.strings(requirement.get("values"));
    for (int v = 0; v < valueList.size(); v++) {
      errors.invalidEach(path.child("values").index(v), valueList.get(v), Syntax.labelValue(valueList.get(v)));
    }
  }

  /** ValidateNodeFieldSelectorRequirement: only metadata.name, with In or NotIn and one node name. */
  private static void nodeFieldSelectorRequirement(JsonNode requirement, FieldPath path, FieldErrors errors) {
    String operator = text(requirement, "operator");
    if (operator.equals("In") || operator.equals("NotIn")) {
      if (Nodes.size(requirement, "values") != 1) {
        errors.required(path.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
      }
    } else {
      errors.invalid(path.child("operator"), operator, "not a valid selector operator");
    }
    String key = text(requirement, "key");
    if (!key.equals("metadata.name")) {
      errors.invalid(path.child("key"), key, "not a valid field selector key");
      return;
    }
    List<String> values = MetadataValidation.strings(requirement.get("values"));
    for (int i = 0; i < values.size(); i++) {
      errors.invalidEach(path.child("values").index(i), values.get(i), Syntax.dns1123Subdomain(values.get(i)));
    }
  }

  /** validatePodAffinityTerm: selectors, namespaces, label keys and a topology key that is a label name. */
  private static void podAffinityTerm(JsonNode term, FieldPath path, FieldErrors errors) {
    JsonNode labelSelector = term.get("labelSelector");
    LabelSelectors.validate(labelSelector, path.child("labelSelector"), errors);
    LabelSelectors.validate(term.get("namespaceSelector"), path.child("namespaceSelector"), errors);
    for (String namespace : MetadataValidation.strings(term.get("namespaces"))) {
      // Kubernetes names this path in the singular.
      errors.invalidEach(path.child("namespace"), namespace, Syntax.NameRule.DNS1123_LABEL.check(namespace, false));
    }
    List<String> matchLabelKeys = MetadataValidation.strings(term.get("matchLabelKeys"));
    List<String> mismatchLabelKeys = MetadataValidation.strings(term.get("mismatchLabelKeys"));
    labelKeys(matchLabelKeys, labelSelector, path.child("matchLabelKeys"), errors);
    labelKeys(mismatchLabelKeys, labelSelector, path.child("mismatchLabelKeys"), errors);
    if (!Nodes.absent(labelSelector)) {
      Set<String> selectorKeys = new HashSet<>();
      labelSelector.path("matchLabels").fieldNames().forEachRemaining(selectorKeys::add);
      for (JsonNode expression : Nodes.objects(labelSelector, "matchExpressions")) {
        String key = text(expression, "key");
        int i = matchLabelKeys.lastIndexOf(key);
        // Kubernetes reports this on the term's path with the key's index.
        if (i >= 0 && selectorKeys.contains(key)) errors.invalid(path.index(i), key, "exists in both matchLabelKeys and labelSelector");
        selectorKeys.add(key);
      }
    }
    for (int i = 0; i < matchLabelKeys.size(); i++) {
      if (mismatchLabelKeys.contains(matchLabelKeys.get(i))) {
        errors.invalid(path.child("matchLabelKeys").index(i), matchLabelKeys.get(i), "exists in both matchLabelKeys and mismatchLabelKeys");
      }
    }
    String topologyKey = text(term, "topologyKey");
    if (topologyKey.isEmpty()) errors.required(path.child("topologyKey"), "can not be empty");
    errors.invalidEach(path.child("topologyKey"), topologyKey, Syntax.qualifiedName(topologyKey));
  }

  private static void labelKeys(List<String> keys, JsonNode labelSelector, FieldPath path, FieldErrors errors) {
    if (keys.isEmpty()) return;
    if (Nodes.absent(labelSelector)) {
      errors.forbidden(path, "must not be specified when labelSelector is not set");
      return;
    }
    for (int i = 0; i < keys.size(); i++) errors.invalidEach(path.index(i), keys.get(i), Syntax.qualifiedName(keys.get(i)));
  }

  /** validateTopologySpreadConstraints. */
  static void topologySpreadConstraints(JsonNode spec, FieldPath path, FieldErrors errors) {
    List<ObjectNode> constraints = Nodes.objects(spec, "topologySpreadConstraints");
    for (int i = 0; i < constraints.size(); i++) {
      ObjectNode constraint = constraints.get(i);
      FieldPath idx = path.index(i);
      long maxSkew = Nodes.number(constraint, "maxSkew");
      if (maxSkew <= 0) errors.invalid(idx.child("maxSkew"), maxSkew, NOT_POSITIVE);
      String topologyKey = text(constraint, "topologyKey");
      if (topologyKey.isEmpty()) errors.required(idx.child("topologyKey"), "can not be empty");
      String action = text(constraint, "whenUnsatisfiable");
      if (!SCHEDULE_ACTIONS.contains(action)) errors.notSupported(idx.child("whenUnsatisfiable"), action, SCHEDULE_ACTIONS);
      for (int j = i + 1; j < constraints.size(); j++) {
        if (topologyKey.equals(text(constraints.get(j), "topologyKey")) && action.equals(text(constraints.get(j), "whenUnsatisfiable"))) {
          errors.duplicate(idx.child("{topologyKey, whenUnsatisfiable}"), "{" + topologyKey + ", " + action + "}");
          break;
        }
      }
      if (Nodes.has(constraint, "minDomains")) {
        long minDomains = Nodes.number(constraint, "minDomains");
        if (minDomains <= 0) errors.invalid(idx.child("minDomains"), minDomains, NOT_POSITIVE);
        if (!action.equals("DoNotSchedule")) {
          errors.invalid(idx.child("minDomains"), minDomains, "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not " + action);
        }
      }
      for (String policy : List.of("nodeAffinityPolicy", "nodeTaintsPolicy")) {
        if (Nodes.has(constraint, policy) && !NODE_INCLUSION_POLICIES.contains(text(constraint, policy))) {
          errors.notSupported(idx.child(policy), text(constraint, policy), NODE_INCLUSION_POLICIES);
        }
      }
      matchLabelKeysInTopologySpread(constraint, idx.child("matchLabelKeys"), errors);
      LabelSelectors.validate(constraint.get("labelSelector"), idx.child("labelSelector"), errors);
    }
  }

  private static void matchLabelKeysInTopologySpread(JsonNode constraint, FieldPath path, FieldErrors errors) {
    List<String> keys = MetadataValidation.strings(constraint.get("matchLabelKeys"));
    if (keys.isEmpty()) return;
    JsonNode selector = constraint.get("labelSelector");
    Set<String> selectorKeys = new HashSet<>();
    if (Nodes.absent(selector)) {
      errors.forbidden(path, "must not be specified when labelSelector is not set");
    } else {
      selector.path("matchLabels").fieldNames().forEachRemaining(selectorKeys::add);
      Nodes.objects(selector, "matchExpressions").forEach(e -> selectorKeys.add(text(e, "key")));
    }
    for (int i = 0; i < keys.size(); i++) {
      errors.invalidEach(path.index(i), keys.get(i), Syntax.qualifiedName(keys.get(i)));
      if (selectorKeys.contains(keys.get(i))) errors.invalid(path.index(i), keys.get(i), "exists in both matchLabelKeys and labelSelector");
    }
  }

  /** ValidateHostAliases: an IP address and DNS names. */
  static void hostAliases(JsonNode spec, FieldPath path, FieldErrors errors) {
    List<ObjectNode> aliases = Nodes.objects(spec, "hostAliases");
    for (int i = 0; i < aliases.size(); i++) {
      String ip = text(aliases.get(i), "ip");
      if (!IpAddresses.isValid(ip)) errors.invalid(path.index(i).child("ip"), ip, IpAddresses.INVALID_IP);
      List<String> hostnames = MetadataValidation.strings(aliases.get(i).get("hostnames"));
      for (int j = 0; j < hostnames.size(); j++) {
        errors.invalidEach(path.index(i).child("hostnames").index(j), hostnames.get(j), Syntax.dns1123Subdomain(hostnames.get(j)));
      }
    }
  }
}
