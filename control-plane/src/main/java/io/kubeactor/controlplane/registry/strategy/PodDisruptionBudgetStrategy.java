package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.PolicyValidation;

/** PodDisruptionBudgets (pkg/registry/policy/poddisruptionbudget). */
enum PodDisruptionBudgetStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void validate(ObjectNode budget, FieldErrors errors) {
    PolicyValidation.podDisruptionBudget(budget, errors);
  }
}
