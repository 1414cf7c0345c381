package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;

/**
 * Events (pkg/registry/core/event). involvedObject is a struct, not a pointer, in Go: an Event sent
 * without one is stored and served with {@code "involvedObject": {}}, as clients that require the
 * field (the Python client) expect.
 */
enum EventStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode event, AdmissionSettings settings) {
    if (!event.path("involvedObject").isObject()) event.putObject("involvedObject");
  }
}
