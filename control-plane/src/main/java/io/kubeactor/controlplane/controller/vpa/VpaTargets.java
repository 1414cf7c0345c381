package io.kubeactor.controlplane.controller.vpa;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.api.vpa.VpaPolicy;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a VPA acts on, read from the informers: the pods of its targetRef (the target's label
 * selector, as upstream's selector fetcher reads a workload's), and the HorizontalPodAutoscalers
 * that scale the same target on a resource the VPA would set, which the VPA leaves alone.
 */
final class VpaTargets {

  /** The target could not be read (upstream's "Cannot read targetRef" reason), as a message. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** An HPA that scales the VPA's target on this resource. */
  record Conflict(String resource, String autoscaler) {}

  private final Informers informers;
  private final Informer<HorizontalPodAutoscaler> autoscalers;

  VpaTargets(Informers informers) {
    this.informers = informers;
    this.autoscalers = informers.of(HorizontalPodAutoscaler.class);
  }

  Informer<HorizontalPodAutoscaler> autoscalers() {
    return autoscalers;
  }

  /** The target's pod selector. */
  LabelSelector selector(VerticalPodAutoscaler vpa) throws Unreadable {
    JsonNode ref = Json.toTree(vpa).path("spec").path("targetRef");
    String kind = ref.path("kind").asText();
    String name = ref.path("name").asText();
    Optional<ResourceType> type = typeOf(ref.path("apiVersion").asText(""), kind);
    if (type.isEmpty()) {
      throw new Unreadable("Unhandled targetRef " + ref.path("apiVersion").asText("") + " / " + kind + " / " + name
          + ", last error the server could not find the requested resource");
    }
    HasMetadata target = object(type.get(), vpa.getMetadata().getNamespace(), name).orElseThrow(
        () -> new Unreadable(type.get().qualifiedResource() + " \"" + name + "\" not found"));
    JsonNode selector = Json.toTree(target).path("spec").get("selector");
    if (selector == null || selector.isNull()) {
      throw new Unreadable(kind + " " + vpa.getMetadata().getNamespace() + "/" + name + " has no selector");
    }
    try {
      return LabelSelector.fromJson(selector);
    } catch (ApiException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  /** An object of a served kind (an apiVersion may be empty) from its informer, if there is one. */
  Optional<HasMetadata> object(String apiVersion, String kind, String namespace, String name) {
    return typeOf(apiVersion == null ? "" : apiVersion, kind).flatMap(t -> object(t, namespace, name));
  }

  private Optional<HasMetadata> object(ResourceType type, String namespace, String name) {
    if (type.isCustom() || !HasMetadata.class.isAssignableFrom(type.model())) return Optional.empty();
    @SuppressWarnings("unchecked")
    Informer<HasMetadata> informer = informers.of((Class<HasMetadata>) type.model());
    return Optional.ofNullable(informer.get(namespace, name));
  }

  private Optional<ResourceType> typeOf(String apiVersion, String kind) {
    if (!apiVersion.isEmpty()) return informers.types().byKind(apiVersion, kind).map(informers.types()::storageType);
    return informers.types().all().stream().filter(t -> t.kind().equals(kind)).findFirst().map(informers.types()::storageType);
  }

  /** The live pods the selector picks in the VPA's namespace: not finished, not being deleted. */
  List<Pod> pods(VerticalPodAutoscaler vpa, LabelSelector selector) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : informers.pods().list(vpa.getMetadata().getNamespace())) {
      if (Pods.isTerminal(p) || p.getMetadata().getDeletionTimestamp() != null) continue;
      if (selector.matches(PodControl.labels(p))) out.add(p);
    }
    return out;
  }

  /**
   * The resources (cpu, memory) on which an HPA in the VPA's namespace scales the same target, with
   * the first such HPA's name, in resource order.
   */
  List<Conflict> conflicts(VerticalPodAutoscaler vpa) {
    JsonNode ref = Json.toTree(vpa).path("spec").path("targetRef");
    Map<String, String> byResource = new LinkedHashMap<>();
    for (HorizontalPodAutoscaler hpa : autoscalers.list(vpa.getMetadata().getNamespace())) {
      JsonNode spec = Json.toTree(hpa).path("spec");
      JsonNode target = spec.path("scaleTargetRef");
      if (!target.path("kind").asText().equals(ref.path("kind").asText())
          || !target.path("name").asText().equals(ref.path("name").asText())) {
        continue;
      }
      for (String resource : resourcesOf(spec)) byResource.putIfAbsent(resource, hpa.getMetadata().getName());
    }
    List<Conflict> out = new ArrayList<>();
    for (String resource : List.of(VpaPolicy.CPU, VpaPolicy.MEMORY)) {
      if (byResource.containsKey(resource)) out.add(new Conflict(resource, byResource.get(resource)));
    }
    return out;
  }

  /** The resources an autoscaling/v2 HPA's Resource and ContainerResource metrics scale on; cpu when it has none (its default). */
  private static List<String> resourcesOf(JsonNode spec) {
    List<String> out = new ArrayList<>();
    if (spec.path("metrics").size() == 0) return List.of(VpaPolicy.CPU);
    for (JsonNode m : spec.path("metrics")) {
      String type = m.path("type").asText();
      if (type.equals("Resource")) out.add(m.path("resource").path("name").asText());
      if (type.equals("ContainerResource")) out.add(m.path("containerResource").path("name").asText());
    }
    return out;
  }
}
