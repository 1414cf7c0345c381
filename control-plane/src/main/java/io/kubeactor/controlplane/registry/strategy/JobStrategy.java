package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.BatchValidation;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import java.util.List;

/**
 * Jobs (pkg/registry/batch/job): unless the client asks for a manual selector, a new Job selects
 * its pods by its own uid, labelling its template with its uid and name (generateSelector), so no
 * two Jobs ever share pods; most of its spec is fixed once created.
 */
enum JobStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode job) {
    job.remove("status");
    if (!job.path("spec").path("manualSelector").asBoolean(false)) generateSelector(job);
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode job, AdmissionSettings settings) {
    Defaulter.job(job);
  }

  @Override
  public void validate(ObjectNode job, FieldErrors errors) {
    BatchValidation.job(job, errors);
  }

  @Override
  public void validateUpdate(ObjectNode job, ObjectNode old, FieldErrors errors) {
    BatchValidation.jobUpdate(job, old, errors);
  }

  /** The template labelled with the Job's uid and name, and a selector of its uid; labels the client set are kept. */
  private static void generateSelector(ObjectNode job) {
    String uid = job.path("metadata").path("uid").asText();
    String name = job.path("metadata").path("name").asText();
    ObjectNode labels = job.withObjectProperty("spec").withObjectProperty("template").withObjectProperty("metadata")
        .withObjectProperty("labels");
    for (String key : List.of(BatchValidation.LEGACY_CONTROLLER_UID, BatchValidation.CONTROLLER_UID)) {
      if (!labels.has(key)) labels.put(key, uid);
    }
    for (String key : List.of(BatchValidation.LEGACY_JOB_NAME, BatchValidation.JOB_NAME)) {
      if (!labels.has(key)) labels.put(key, name);
    }
    ObjectNode matchLabels = job.withObjectProperty("spec").withObjectProperty("selector").withObjectProperty("matchLabels");
    if (!matchLabels.has(BatchValidation.CONTROLLER_UID)) matchLabels.put(BatchValidation.CONTROLLER_UID, uid);
  }
}
