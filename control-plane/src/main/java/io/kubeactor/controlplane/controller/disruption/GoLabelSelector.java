package io.kubeactor.controlplane.controller.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A metav1.LabelSelector as Go prints one with %v (its generated String()), for upstream's event messages. */
final class GoLabelSelector {
  private GoLabelSelector() {}

  static String format(JsonNode selector) {
    if (selector == null || selector.isNull() || selector.isMissingNode()) return "nil";
    TreeMap<String, String> labels = new TreeMap<>();
    selector.path("matchLabels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    StringBuilder s = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
    labels.forEach((k, v) -> s.append(k).append(": ").append(v).append(','));
    s.append("},MatchExpressions:[]LabelSelectorRequirement{");
    for (JsonNode r : selector.path("matchExpressions")) {
      List<String> values = new ArrayList<>();
      r.path("values").forEach(v -> values.add(v.asText()));
      s.append("LabelSelectorRequirement{Key:").append(r.path("key").asText()).append(",Operator:")
          .append(r.path("operator").asText()).append(",Values:[").append(String.join(" ", values)).append("],},");
    }
    return s.append("},}").toString();
  }
}
