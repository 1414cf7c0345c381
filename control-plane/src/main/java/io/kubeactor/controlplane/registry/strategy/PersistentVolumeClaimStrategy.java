package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.DefaultStorageClass;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.Validator;

/**
 * PersistentVolumeClaims (pkg/registry/core/persistentvolumeclaim and the DefaultStorageClass
 * admission plugin): created with the status given, fixed once created but for binding and growing.
 */
enum PersistentVolumeClaimStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode claim) {}

  @Override
  public void applyDefaults(ResourceType type, ObjectNode claim, AdmissionSettings settings) {
    Defaulter.persistentVolumeClaim(claim);
  }

  /** A claim that asks for no class gets the default one. */
  @Override
  public void admit(ObjectNode claim, AdmissionReads cluster) {
    DefaultStorageClass.admit(claim, cluster.storageClasses());
  }

  @Override
  public void validate(ObjectNode claim, FieldErrors errors) {
    Validator.persistentVolumeClaim(claim, errors);
  }

  @Override
  public void validateUpdate(ObjectNode claim, ObjectNode old, FieldErrors errors) {
    Validator.persistentVolumeClaim(claim, errors);
    Validator.persistentVolumeClaimUpdate(claim, old, errors);
  }
}
