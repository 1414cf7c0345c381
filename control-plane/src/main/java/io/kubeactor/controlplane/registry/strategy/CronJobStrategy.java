package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.BatchValidation;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;

/** CronJobs (pkg/registry/batch/cronjob). */
enum CronJobStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode cronJob, AdmissionSettings settings) {
    Defaulter.cronJob(cronJob);
  }

  @Override
  public void validate(ObjectNode cronJob, FieldErrors errors) {
    BatchValidation.cronJob(cronJob, errors);
  }
}
