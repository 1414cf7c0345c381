package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.Validator;

/**
 * Namespaces (pkg/registry/core/namespace): Active when created; deleting one deletes everything in
 * it first (the namespace controller's work, done by the registry).
 */
enum NamespaceStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public Syntax.NameRule nameRule() {
    return Syntax.NameRule.DNS1123_LABEL;
  }

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode namespace) {
    namespace.remove("status");
    namespace.withObjectProperty("status").put("phase", "Active");
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode namespace, AdmissionSettings settings) {
    Defaulter.namespace(namespace);
  }

  @Override
  public void validate(ObjectNode namespace, FieldErrors errors) {
    Validator.namespace(namespace, errors);
  }

  /** The finalizers are checked when a namespace is created; an update checks only its metadata. */
  @Override
  public void validateUpdate(ObjectNode namespace, ObjectNode old, FieldErrors errors) {}

  /** An update may carry the namespace's status (its phase). */
  @Override
  public boolean updateKeepsStatus(ResourceType type) {
    return false;
  }

  @Override
  public boolean deletesContents() {
    return true;
  }
}
