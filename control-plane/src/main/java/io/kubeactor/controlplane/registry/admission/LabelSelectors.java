package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.Syntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** metav1.LabelSelector: its validation, and matching labels as LabelSelectorAsSelector does. */
final class LabelSelectors {
  private LabelSelectors() {}

  private record Requirement(String key, String operator, Set<String> values) {
    boolean matches(JsonNode labels) {
      boolean has = labels != null && labels.has(key);
      String value = has ? labels.get(key).asText() : null;
      return switch (operator) {
        case "In" -> has && values.contains(value);
        case "NotIn" -> !has || !values.contains(value);
        case "Exists" -> has;
        default -> !has; // DoesNotExist
      };
    }
  }

  /** A converted selector: a nil selector selects nothing, an empty one everything. */
  record Selector(boolean nothing, List<Requirement> requirements) {
    boolean isEmpty() {
      return !nothing && requirements.isEmpty();
    }

    boolean matches(JsonNode labels) {
      return !nothing && requirements.stream().allMatch(r -> r.matches(Nodes.absent(labels) ? null : labels));
    }
  }

  /** ValidateLabelSelector with label values checked strictly. */
  static void validate(JsonNode selector, FieldPath path, FieldErrors errors) {
    if (Nodes.absent(selector)) return;
    MetadataValidation.labels(selector.get("matchLabels"), path.child("matchLabels"), errors);
    List<JsonNode> expressions = new ArrayList<>(Nodes.objects(selector, "matchExpressions"));
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode expr = expressions.get(i);
      FieldPath idx = path.child("matchExpressions").index(i);
      String operator = Nodes.text(expr, "operator");
      int values = Nodes.size(expr, "values");
      switch (operator) {
        case "In", "NotIn" -> {
          if (values == 0) errors.required(idx.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
        }
        case "Exists", "DoesNotExist" -> {
          if (values > 0) errors.forbidden(idx.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        }
        default -> errors.invalid(idx.child("operator"), operator, "not a valid selector operator");
      }
      String key = Nodes.text(expr, "key");
      errors.invalidEach(idx.child("key"), key, Syntax.qualifiedName(key));
      List<String> valueList = MetadataValidation.strings(expr.get("values"));
      for (int v = 0; v < valueList.size(); v++) {
        errors.invalidEach(idx.child("values").index(v), valueList.get(v), Syntax.labelValue(valueList.get(v)));
      }
    }
  }

  /** LabelSelectorAsSelector; empty when the selector cannot be converted. */
  static Optional<Selector> convert(JsonNode selector) {
    if (Nodes.absent(selector)) return Optional.of(new Selector(true, List.of()));
    List<Requirement> requirements = new ArrayList<>();
    JsonNode matchLabels = selector.get("matchLabels");
    if (!Nodes.absent(matchLabels)) {
      for (var it = matchLabels.fields(); it.hasNext(); ) {
        var e = it.next();
        String value = e.getValue().asText();
        if (!Syntax.qualifiedName(e.getKey()).isEmpty() || !Syntax.labelValue(value).isEmpty()) return Optional.empty();
        requirements.add(new Requirement(e.getKey(), "In", Set.of(value)));
      }
    }
    for (JsonNode expr : Nodes.objects(selector, "matchExpressions")) {
      String key = Nodes.text(expr, "key");
      String operator = Nodes.text(expr, "operator");
      Set<String> values = new HashSet<>(MetadataValidation.strings(expr.get("values")));
      boolean valid = switch (operator) {
        case "In", "NotIn" -> !values.isEmpty();
        case "Exists", "DoesNotExist" -> values.isEmpty();
        default -> false;
      };
      if (!valid || !Syntax.qualifiedName(key).isEmpty() || values.stream().anyMatch(v -> !Syntax.labelValue(v).isEmpty())) {
        return Optional.empty();
      }
      requirements.add(new Requirement(key, operator, values));
    }
    return Optional.of(new Selector(false, requirements));
  }
}
