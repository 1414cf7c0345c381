package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Kubernetes' documentation of each definition served and of its properties, as its published
 * OpenAPI spec has it: what {@code kubectl explain} prints. Data, not code: the resource beside this
 * class is made by {@code scripts/openapi-descriptions.py}, which also says where the text comes from.
 */
final class Descriptions {
  private Descriptions() {}

  private static final String RESOURCE = "descriptions.json";

  /** Read once, on the first document built. */
  private static final class Loaded {
    static final JsonNode DEFINITIONS = read().path("definitions");

    private static JsonNode read() {
      try (InputStream in = Descriptions.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException("no " + RESOURCE + " beside " + Descriptions.class.getName());
        return Json.MAPPER.readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The description of a definition ("io.k8s.api.core.v1.PodSpec"), or null when it has none. */
  static String of(String definition) {
    return text(Loaded.DEFINITIONS.path(definition).path("description"));
  }

  /** The description of one property of a definition, or null when it has none. */
  static String of(String definition, String property) {
    return text(Loaded.DEFINITIONS.path(definition).path("properties").path(property));
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
