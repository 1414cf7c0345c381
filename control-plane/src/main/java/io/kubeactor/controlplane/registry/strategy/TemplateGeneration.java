package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A DaemonSet's template generation (the DaemonSet REST strategy): 1 when it is created, one more
 * each time an update changes its pod template. apps/v1 has no field for it, so it shows as the
 * annotation {@code deprecated.daemonset.template.generation}, which clients cannot change; the
 * DaemonSet controller labels its pods with it ({@code pod-template-generation}).
 */
final class TemplateGeneration {
  private TemplateGeneration() {}

  static final String ANNOTATION = "deprecated.daemonset.template.generation";

  /** On create: the generation the client gave, if it is a positive number, else 1. */
  static void onCreate(ObjectNode daemonSet) {
    long given = parse(daemonSet.path("metadata").path("annotations").path(ANNOTATION));
    set(daemonSet, Math.max(1, given));
  }

  /** On update: the stored generation, one more if the (defaulted) template changed. */
  static void onUpdate(ObjectNode desired, ObjectNode current) {
    long generation = Math.max(1, parse(current.path("metadata").path("annotations").path(ANNOTATION)));
    if (!Objects.equals(desired.path("spec").path("template"), current.path("spec").path("template"))) generation++;
    set(desired, generation);
  }

  private static long parse(JsonNode value) {
    try {
      return value.isTextual() ? Long.parseLong(value.asText()) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void set(ObjectNode daemonSet, long generation) {
    daemonSet.withObjectProperty("metadata").withObjectProperty("annotations").put(ANNOTATION, Long.toString(generation));
  }
}
