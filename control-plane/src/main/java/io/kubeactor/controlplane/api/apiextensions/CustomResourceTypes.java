package io.kubeactor.controlplane.api.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.ArrayList;
import java.util.List;

/** The ResourceTypes a CustomResourceDefinition (as JSON) serves: one per served version. */
public final class CustomResourceTypes {
  private CustomResourceTypes() {}

  /** Whether the CRD's Established condition is True: only then are its objects served. */
  public static boolean established(JsonNode crd) {
    return conditionTrue(crd, "Established");
  }

  public static boolean conditionTrue(JsonNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) return c.path("status").asText().equals("True");
    }
    return false;
  }

  /**
   * The served versions' types, the storage version first (the registry stores a kind's objects at
   * its first type), under the names the CRD's status accepted.
   */
  public static List<ResourceType> of(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode accepted = crd.path("status").path("acceptedNames");
    JsonNode names = accepted.path("plural").asText("").isEmpty() ? spec.path("names") : accepted;
    String group = spec.path("group").asText();
    boolean namespaced = !spec.path("scope").asText().equals("Cluster");
    boolean terminating = crd.path("metadata").hasNonNull("deletionTimestamp");
    String plural = names.path("plural").asText();
    String kind = names.path("kind").asText();
    String singular = names.path("singular").asText(kind.toLowerCase());
    List<String> shortNames = texts(names.path("shortNames"));
    List<String> categories = texts(names.path("categories"));
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(false)) continue;
      List<String> subresources = new ArrayList<>();
      JsonNode sub = v.path("subresources");
      if (sub.has("status")) subresources.add("status");
      CustomResource.ScaleSubresource scale = null;
      if (sub.path("scale").isObject()) {
        JsonNode s = sub.get("scale");
        subresources.add("scale");
        scale = new CustomResource.ScaleSubresource(s.path("specReplicasPath").asText(),
            s.path("statusReplicasPath").asText(), s.path("labelSelectorPath").asText(""));
      }
      List<CustomResource.PrinterColumn> columns = new ArrayList<>();
      for (JsonNode c : v.path("additionalPrinterColumns")) {
        columns.add(new CustomResource.PrinterColumn(c.path("name").asText(), c.path("type").asText(),
            c.path("format").asText(""), c.path("description").asText(""), c.path("priority").asInt(0),
            c.path("jsonPath").asText()));
      }
      CustomResource custom = new CustomResource(crd.path("metadata").path("name").asText(),
          StructuralSchema.of(v.path("schema").path("openAPIV3Schema")), sub.has("status"), scale, List.copyOf(columns),
          terminating);
      ResourceType t = new ResourceType(group, v.path("name").asText(), kind, plural, singular, namespaced, shortNames,
          categories, ResourceType.ALL_VERBS, List.copyOf(subresources), GenericKubernetesResource.class, custom);
      if (v.path("storage").asBoolean(false)) out.add(0, t);
      else out.add(t);
    }
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }
}
