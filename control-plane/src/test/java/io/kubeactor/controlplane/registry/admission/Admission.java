package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.strategy.ResourceStrategies;
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
    applyDefaults(object, AdmissionSettings.defaults());
    return object;
  }

  /** Its kind's defaults, in place, with the cluster's admission settings. */
  static void applyDefaults(ObjectNode object, AdmissionSettings settings) {
    ResourceType type = typeOf(object);
    ResourceStrategies.of(type).applyDefaults(type, object, settings);
  }

  /** Defaults then validates a new object, as a create does. */
  static List<ApiException.Cause> create(String manifest) {
    return create(yaml(manifest));
  }

  static List<ApiException.Cause> create(ObjectNode object) {
    applyDefaults(object, AdmissionSettings.defaults());
    return ResourceStrategies.of(typeOf(object)).fieldErrors(typeOf(object), object, null);
  }

  /** Defaults then validates a change from one manifest to another, as an update does. */
  static List<ApiException.Cause> update(String before, String after) {
    ObjectNode old = defaulted(before);
    ObjectNode object = defaulted(after);
    return ResourceStrategies.of(typeOf(object)).fieldErrors(typeOf(object), object, old);
  }

  /** The field errors of a status update, as the status strategy finds them. */
  static List<ApiException.Cause> statusUpdate(ObjectNode object, ObjectNode old) {
    return ResourceStrategies.of(typeOf(object)).statusFieldErrors(object, old);
  }

  /** Each cause as Kubernetes prints it in the Status message: "field: message". */
  static List<String> printed(List<ApiException.Cause> causes) {
    return causes.stream().map(c -> c.field() + ": " + c.message()).toList();
  }
}
