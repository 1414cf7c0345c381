package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.time.Instant;

/** Test objects written as YAML, and the fixed clock they are printed at. */
final class Fixtures {
  private Fixtures() {}

  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
