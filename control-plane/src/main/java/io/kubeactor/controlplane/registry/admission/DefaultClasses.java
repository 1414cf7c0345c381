package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The default class of the defaulting admission plugins (DefaultStorageClass's GetDefaultClass,
 * DefaultIngressClass's getDefaultClass): of the classes marked as the default, the newest, then
 * the first by name.
 */
final class DefaultClasses {
  private DefaultClasses() {}

  static Optional<String> newest(Collection<? extends JsonNode> classes, Predicate<JsonNode> isDefault) {
    return classes.stream()
        .filter(isDefault)
        .min(Comparator.comparing((JsonNode c) -> created(c), Comparator.reverseOrder())
            .thenComparing(c -> c.path("metadata").path("name").asText()))
        .map(c -> c.path("metadata").path("name").asText());
  }

  private static Instant created(JsonNode object) {
    try {
      return Instant.parse(object.path("metadata").path("creationTimestamp").asText(""));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
