package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.StorageValidation;

/** StorageClasses (pkg/registry/storage/storageclass). */
enum StorageClassStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode storageClass, AdmissionSettings settings) {
    Defaulter.storageClass(storageClass);
  }

  @Override
  public void validate(ObjectNode storageClass, FieldErrors errors) {
    StorageValidation.storageClass(storageClass, null, errors);
  }

  @Override
  public void validateUpdate(ObjectNode storageClass, ObjectNode old, FieldErrors errors) {
    StorageValidation.storageClass(storageClass, old, errors);
  }
}
