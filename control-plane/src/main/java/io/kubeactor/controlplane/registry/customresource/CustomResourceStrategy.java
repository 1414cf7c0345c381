package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.strategy.ResourceStrategy;
import java.util.List;
import java.util.Objects;

/**
 * The strategy of a custom resource (apiextensions pkg/registry/customresource): generation counts
 * every change outside metadata (and outside status, when status is a subresource), and objects
 * are validated against their version's schema on create, update and status update.
 */
public record CustomResourceStrategy(CustomResource custom) implements ResourceStrategy {

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void validate(ObjectNode object, FieldErrors errors) {
    SchemaValidation.validate(object, custom.schema(), errors);
  }

  @Override
  public boolean countsAsNewGeneration(ObjectNode desired, ObjectNode current) {
    return !custom.statusSubresource() && !Objects.equals(desired.get("status"), current.get("status"));
  }

  @Override
  public List<ApiException.Cause> statusFieldErrors(ObjectNode object, ObjectNode old) {
    return ResourceStrategy.statusUpdateErrors(object, old, (o, errors) -> validate((ObjectNode) o, errors));
  }
}
