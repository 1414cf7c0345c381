package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.RbacValidation;

/**
 * The four RBAC kinds (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/strategy.go):
 * names are path segments ("system:node" is valid), bindings get their defaults and keep their
 * roleRef. The escalation and bind checks of their policy-based storage are the registry's
 * {@link io.kubeactor.controlplane.registry.WriteGuard}, since they need the authorizer.
 */
enum RbacStrategy implements ResourceStrategy {
  ROLE, CLUSTER_ROLE, ROLE_BINDING, CLUSTER_ROLE_BINDING;

  private boolean binding() {
    return this == ROLE_BINDING || this == CLUSTER_ROLE_BINDING;
  }

  @Override
  public Syntax.NameRule nameRule() {
    return Syntax.NameRule.PATH_SEGMENT;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode object, AdmissionSettings settings) {
    if (binding()) RbacValidation.defaultBinding(object);
  }

  @Override
  public void validate(ObjectNode object, FieldErrors errors) {
    switch (this) {
      case ROLE -> RbacValidation.role(object, errors);
      case CLUSTER_ROLE -> RbacValidation.clusterRole(object, errors);
      case ROLE_BINDING -> RbacValidation.roleBinding(object, errors);
      case CLUSTER_ROLE_BINDING -> RbacValidation.clusterRoleBinding(object, errors);
    }
  }

  @Override
  public void validateUpdate(ObjectNode object, ObjectNode old, FieldErrors errors) {
    validate(object, errors);
    if (binding()) RbacValidation.bindingUpdate(object, old, errors);
  }
}
