package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.admission.ConfigValidation;
import io.kubeactor.controlplane.registry.admission.FieldErrors;

/** ConfigMaps (pkg/registry/core/configmap): an immutable one keeps its data. */
enum ConfigMapStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void validate(ObjectNode configMap, FieldErrors errors) {
    ConfigValidation.configMap(configMap, errors);
  }

  @Override
  public void validateUpdate(ObjectNode configMap, ObjectNode old, FieldErrors errors) {
    ConfigValidation.configMapUpdate(configMap, old, errors);
    ConfigValidation.configMap(configMap, errors);
  }
}
