package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;

/** ControllerRevisions (pkg/registry/apps/controllerrevision): a generation, and a revision always written. */
enum ControllerRevisionStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode revision, AdmissionSettings settings) {
    Defaulter.controllerRevision(revision);
  }
}
