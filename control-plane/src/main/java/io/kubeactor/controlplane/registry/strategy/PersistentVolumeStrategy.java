package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.StorageValidation;

/** PersistentVolumes (pkg/registry/core/persistentvolume): created with the status given. */
enum PersistentVolumeStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode volume) {}

  @Override
  public void applyDefaults(ResourceType type, ObjectNode volume, AdmissionSettings settings) {
    Defaulter.persistentVolume(volume);
  }

  @Override
  public void validate(ObjectNode volume, FieldErrors errors) {
    StorageValidation.persistentVolume(volume, errors);
  }
}
