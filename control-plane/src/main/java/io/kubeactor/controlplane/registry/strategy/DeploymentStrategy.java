package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;
import java.time.Instant;

/** Deployments (pkg/registry/apps/deployment). */
enum DeploymentStrategy implements WorkloadStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode deployment, AdmissionSettings settings) {
    Defaulter.deployment(deployment);
  }

  @Override
  public void validate(ObjectNode deployment, FieldErrors errors) {
    WorkloadValidation.deployment(deployment, errors);
  }

  /**
   * deploymentStatusStrategy's PrepareForUpdate: the spec and labels stay as stored, the status and
   * the rest of the metadata come from the request; so the deployment controller writes the revision
   * annotation with its status, as upstream's does (its role may update the status, not patch the object).
   */
  @Override
  public ObjectNode prepareSubresourceUpdate(String subresource, ObjectNode current, ObjectNode requested, Instant now) {
    if (!"status".equals(subresource)) return null;
    ObjectNode out = current.deepCopy();
    if (requested.has("status")) out.set("status", requested.get("status").deepCopy());
    JsonNode annotations = requested.path("metadata").path("annotations");
    if (annotations.isObject()) out.withObjectProperty("metadata").set("annotations", annotations.deepCopy());
    else out.withObjectProperty("metadata").remove("annotations");
    return out;
  }
}
