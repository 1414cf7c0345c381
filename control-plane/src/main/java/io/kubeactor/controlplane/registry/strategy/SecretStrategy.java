package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.ConfigValidation;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;

/** Secrets (pkg/registry/core/secret): Opaque unless typed; the type and an immutable one's data stay. */
enum SecretStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode secret, AdmissionSettings settings) {
    Defaulter.secret(secret);
  }

  @Override
  public void validate(ObjectNode secret, FieldErrors errors) {
    ConfigValidation.secret(secret, errors);
  }

  @Override
  public void validateUpdate(ObjectNode secret, ObjectNode old, FieldErrors errors) {
    ConfigValidation.secretUpdate(secret, old, errors);
    ConfigValidation.secret(secret, errors);
  }
}
