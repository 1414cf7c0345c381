package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.api.vpa.VpaPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The VPA admission controller's pod mutation (upstream's
 * pkg/admission-controller/resource/pod): a new pod that a VerticalPodAutoscaler's target selects,
 * in any mode but Off, gets each autoscaled container's requests set to the recommendation's
 * target, and, under controlledValues RequestsAndLimits, its limits scaled to keep their ratio to
 * the requests (RequestsOnly keeps the limits and keeps requests under them); the annotations
 * {@value #UPDATES} ("Pod resources updated by web: container 0: cpu request, cpu limit") and
 * {@value #OBSERVED_CONTAINERS} record what it did, as upstream's.
 */
public final class VerticalPodAutoscalerAdmission {
  private VerticalPodAutoscalerAdmission() {}

  public static final String UPDATES = "vpaUpdates";
  public static final String OBSERVED_CONTAINERS = "vpaObservedContainers";

  /**
   * Mutates the pod from the first (by name) VPA of its namespace whose target selects it.
   *
   * @param vpas the VerticalPodAutoscalers of the pod's namespace, as stored
   * @param target reads a VPA's target (its spec.targetRef, the namespace) as stored, or null
   */
  public static void admit(ObjectNode pod, Collection<ObjectNode> vpas, BiFunction<JsonNode, String, JsonNode> target) {
    String namespace = pod.path("metadata").path("namespace").asText();
    JsonNode labels = pod.path("metadata").path("labels");
    List<ObjectNode> sorted = new ArrayList<>(vpas);
    sorted.sort(Comparator.comparing(v -> v.path("metadata").path("name").asText()));
    for (ObjectNode vpa : sorted) {
      if (!VpaPolicy.appliesAtCreation(VpaPolicy.updateMode(vpa))) continue;
      JsonNode workload = target.apply(vpa.path("spec").path("targetRef"), namespace);
      if (workload == null || !selects(workload.path("spec").get("selector"), labels)) continue;
      apply(pod, vpa);
      return;
    }
  }

  private static boolean selects(JsonNode selector, JsonNode labels) {
    try {
      return LabelSelector.fromJson(selector).matches(labels);
    } catch (ApiException e) {
      return false;
    }
  }

  private static void apply(ObjectNode pod, JsonNode vpa) {
    List<String> updates = new ArrayList<>();
    List<String> observed = new ArrayList<>();
    int i = 0;
    for (JsonNode c : pod.path("spec").path("containers")) {
      int index = i++;
      String name = c.path("name").asText();
      observed.add(name);
      JsonNode policy = VpaPolicy.containerPolicy(vpa, name);
      JsonNode recommendation = VpaPolicy.recommendationOf(vpa, name);
      if (recommendation == null || !VpaPolicy.scaled(policy)) continue;
      List<String> changed = VpaPolicy.setResources((ObjectNode) c, policy, recommendation);
      if (!changed.isEmpty()) updates.add("container " + index + ": " + String.join(", ", changed));
    }
    ObjectNode annotations = pod.withObjectProperty("metadata").withObjectProperty("annotations");
    if (!updates.isEmpty()) {
      annotations.put(UPDATES, "Pod resources updated by " + vpa.path("metadata").path("name").asText() + ": "
          + String.join("; ", updates));
    }
    annotations.put(OBSERVED_CONTAINERS, String.join(", ", observed));
  }
}
