package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import io.kubeactor.controlplane.registry.admission.GoValue;
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
    validate(object, null, errors);
  }

  @Override
  public void validateUpdate(ObjectNode object, ObjectNode old, FieldErrors errors) {
    validate(object, old, errors);
  }

  /**
   * The schema's checks, then its validation rules, as the custom resource strategy's Validate:
   * rules are not run over an object the schema already finds blocking errors in (one of a wrong
   * type, a missing required field...), which is said in one more error.
   */
  private void validate(ObjectNode object, ObjectNode old, FieldErrors errors) {
    FieldErrors schema = new FieldErrors();
    SchemaValidation.validate(object, custom.schema(), schema);
    schema.causes().forEach(errors::add);
    if (!ValidationRules.any(custom.schema())) return;
    if (schema.causes().stream().anyMatch(c -> BLOCKING.contains(c.reason()))) {
      errors.invalid(new FieldPath("<nil>"), new GoValue.Literal("null"),
          "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
      return;
    }
    ValidationRules.validate(object, old, custom.schema(), errors);
  }

  /** The errors after which validation rules are not run (hasBlockingErr). */
  private static final java.util.Set<String> BLOCKING = java.util.Set.of("FieldValueNotSupported", "FieldValueRequired",
      "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid");

  @Override
  public boolean countsAsNewGeneration(ObjectNode desired, ObjectNode current) {
    return !custom.statusSubresource() && !Objects.equals(desired.get("status"), current.get("status"));
  }

  @Override
  public List<ApiException.Cause> statusFieldErrors(ObjectNode object, ObjectNode old) {
    return ResourceStrategy.statusUpdateErrors(object, old, (o, errors) -> validate((ObjectNode) o, old, errors));
  }
}
