package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import java.io.UncheckedIOException;
import java.util.List;

/** Test helpers: manifests from YAML, admitted as the API server admits them. */
final class Admission {
  private Admission() {}

  private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();

  static ObjectNode yaml(String text) {
    return (ObjectNode) node(text);
  }

  /** Any YAML value as a tree. */
  static JsonNode node(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ResourceType typeOf(ObjectNode object) {
    return REGISTRY.byKind(object.path("apiVersion").asText(), object.path("kind").asText()).orElseThrow();
  }

  /** The object after defaulting. */
  static ObjectNode defaulted(String manifest) {
    ObjectNode object = yaml(manifest);
    Defaulter.apply(typeOf(object), object);
    return object;
  }

  /** Defaults then validates a new object, as a create does. */
  static List<ApiException.Cause> create(String manifest) {
    return create(yaml(manifest));
  }

  static List<ApiException.Cause> create(ObjectNode object) {
    Defaulter.apply(typeOf(object), object);
    return Validator.validate(typeOf(object), object, null);
  }

  /** Defaults then validates a change from one manifest to another, as an update does. */
  static List<ApiException.Cause> update(String before, String after) {
    ObjectNode old = defaulted(before);
    ObjectNode object = defaulted(after);
    return Validator.validate(typeOf(object), object, old);
  }

  /** Each cause as Kubernetes prints it in the Status message: "field: message". */
  static List<String> printed(List<ApiException.Cause> causes) {
    return causes.stream().map(c -> c.field() + ": " + c.message()).toList();
  }
}
